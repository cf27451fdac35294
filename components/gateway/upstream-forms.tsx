"use client";

/**
 * The Upstream page's forms (admins): the organization's default upstream and key, a
 * workspace's override, and Test connection. Keys are write-only: the fields start empty, an
 * empty field keeps the stored key, and only its last four characters are ever shown. The
 * upstreamUpdate schema checks the form (through the server), the server action and the Admin API alike.
 */
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { fieldMap, showActionError } from "@/components/forms/action-errors";
import { errorText, formErrorText } from "@/components/forms/error-text";
import { FormActions } from "@/components/forms/form-actions";
import { InputField, SelectField } from "@/components/forms/fields";
import { useServerResolver } from "@/components/forms/server-resolver";
import { Alert, FormError } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Code } from "@/components/ui/description-list";
import { testUpstreamAction, updateUpstreamAction } from "@/lib/console/actions/gateway";
import type { UpstreamSettingsDto, UpstreamTestResult } from "@/lib/services/gateway-upstreams";

const FIELDS = fieldMap(["workspace_id", "base_url", "api_key", "allow_passthrough"]);

interface UpstreamFormValues {
  workspace_id: string;
  base_url: string;
  api_key: string;
  remove_key: boolean;
  allow_passthrough: boolean;
}

/** The form as the API's input: an empty key keeps the stored one; "remove" sends null; an empty URL inherits. */
function toInput(v: UpstreamFormValues, scope: { workspace: boolean; urlLocked: boolean; keyLocked: boolean }): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  if (scope.workspace) input.workspace_id = v.workspace_id;
  if (!scope.urlLocked) input.base_url = v.base_url.trim() === "" ? null : v.base_url.trim();
  if (!scope.keyLocked) {
    if (v.remove_key) input.api_key = null;
    else if (v.api_key.trim() !== "") input.api_key = v.api_key;
  }
  if (!scope.workspace) input.allow_passthrough = v.allow_passthrough;
  return input;
}

function useUpstreamForm(defaults: UpstreamFormValues, scope: { workspace: boolean; urlLocked: boolean; keyLocked: boolean }) {
  const router = useRouter();
  const [saved, setSaved] = useState(false);
  const form = useForm<UpstreamFormValues>({ defaultValues: defaults, resolver: useServerResolver("upstream.update", FIELDS, { toInput: (v: UpstreamFormValues) => toInput(v, scope) }) });
  const onSubmit = form.handleSubmit(async (values) => {
    setSaved(false);
    const result = await updateUpstreamAction(toInput(values, scope));
    if (!result.ok) return showActionError(form, result.error, FIELDS);
    // The key never comes back: clear the field so it cannot be sent twice by accident.
    form.reset({ ...values, api_key: "", remove_key: false });
    setSaved(true);
    router.refresh();
  });
  return { form, onSubmit, saved };
}

const KEY_HINT = "Write-only: leave empty to keep the stored key. Only its last four characters are ever shown.";

export function OrganizationUpstreamForm({ settings }: { settings: UpstreamSettingsDto["default"] }) {
  const urlLocked = settings.base_url_source === "environment";
  const keyLocked = settings.api_key_source === "environment";
  const { form, onSubmit, saved } = useUpstreamForm(
    { workspace_id: "", base_url: settings.base_url_source === "organization" ? settings.base_url : "", api_key: "", remove_key: false, allow_passthrough: settings.allow_passthrough },
    { workspace: false, urlLocked, keyLocked },
  );
  const { errors, isSubmitting } = form.formState;
  return (
    <form onSubmit={onSubmit} noValidate aria-label="Organization upstream" className="space-y-5">
      <FormError message={formErrorText(errors)} />
      <InputField
        form={form}
        name="base_url"
        id="upstream-base_url"
        label="Upstream URL"
        optional={!urlLocked}
        disabled={urlLocked}
        placeholder={urlLocked ? settings.base_url : "https://api.anthropic.com"}
        hint={urlLocked ? "Set by WIF_UPSTREAM_URL; change the environment to change it." : "Empty: https://api.anthropic.com. https, or http to a loopback address (a local test upstream); demo for the built-in one."}
        spellCheck={false}
        autoComplete="off"
        className="font-mono"
      />
      <InputField
        form={form}
        name="api_key"
        id="upstream-api_key"
        label={settings.api_key_last4 ? `Upstream API key (stored: …${settings.api_key_last4})` : "Upstream API key"}
        type="password"
        disabled={keyLocked}
        placeholder={keyLocked ? "Set by WIF_UPSTREAM_API_KEY" : settings.api_key_last4 ? "Leave empty to keep the stored key" : "sk-ant-api03-…"}
        hint={keyLocked ? "Set by WIF_UPSTREAM_API_KEY; change the environment to change it." : KEY_HINT}
        spellCheck={false}
        autoComplete="off"
        className="font-mono"
      />
      {settings.api_key_source === "organization" && <Checkbox id="upstream-remove_key" label="Remove the stored key" description="Requests then have no upstream key unless their workspace has one." {...form.register("remove_key")} />}
      <div className="space-y-1">
        <Checkbox
          id="upstream-allow_passthrough"
          label="Pass through real upstream keys"
          description="A client not yet migrated may send its own Claude API key; it is forwarded as is and audited by its last four characters. This server's own keys are never sent upstream. Off by default."
          {...form.register("allow_passthrough")}
        />
        {errorText(errors, "allow_passthrough") && <p className="text-sm text-red-700">{errorText(errors, "allow_passthrough")}</p>}
      </div>
      <div role="status" className="empty:hidden">
        {saved && <Alert tone="success">Upstream settings saved.</Alert>}
      </div>
      <FormActions submitting={isSubmitting} submitLabel="Save upstream" />
    </form>
  );
}

export function WorkspaceUpstreamForm({ workspaces }: { workspaces: Array<{ value: string; label: string }> }) {
  const { form, onSubmit, saved } = useUpstreamForm({ workspace_id: workspaces[0]?.value ?? "", base_url: "", api_key: "", remove_key: false, allow_passthrough: false }, { workspace: true, urlLocked: false, keyLocked: false });
  const { errors, isSubmitting } = form.formState;
  return (
    <form onSubmit={onSubmit} noValidate aria-label="Workspace upstream" className="space-y-5">
      <FormError message={formErrorText(errors)} />
      <div className="grid gap-5 md:grid-cols-2">
        <SelectField form={form} name="workspace_id" id="ws-upstream-workspace_id" label="Workspace" options={workspaces} />
        <InputField form={form} name="base_url" id="ws-upstream-base_url" label="Upstream URL" optional hint="Empty: the organization's." spellCheck={false} autoComplete="off" className="font-mono" />
      </div>
      <InputField form={form} name="api_key" id="ws-upstream-api_key" label="Upstream API key" type="password" hint={KEY_HINT} spellCheck={false} autoComplete="off" className="font-mono" />
      <Checkbox id="ws-upstream-remove_key" label="Remove this workspace's key" description="Its requests then use the organization's key." {...form.register("remove_key")} />
      <div role="status" className="empty:hidden">
        {saved && <Alert tone="success">Workspace override saved.</Alert>}
      </div>
      <FormActions submitting={isSubmitting} submitLabel="Save override" />
    </form>
  );
}

/** Asks the upstream for `GET /v1/models` with the stored key; shows the models, or the step that failed. */
export function TestConnection({ workspaceId, label = "Test connection" }: { workspaceId?: string; label?: string }) {
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<UpstreamTestResult | { error: string } | null>(null);
  const run = async () => {
    setRunning(true);
    setResult(null);
    const reply = await testUpstreamAction(workspaceId ? { workspace_id: workspaceId } : {});
    setResult(reply.ok ? reply.data : { error: reply.error.message });
    setRunning(false);
  };
  return (
    <div className="space-y-3">
      <Button onClick={run} disabled={running}>
        {running ? "Testing…" : label}
      </Button>
      <div role="status" aria-live="polite" className="empty:hidden">
        {result && "error" in result && <Alert tone="error">{result.error}</Alert>}
        {result && !("error" in result) && (
          <Alert tone={result.ok ? "success" : "error"} title={result.ok ? "Connected" : "Connection failed"}>
            <p>{result.message}</p>
            {(result.status !== null || result.upstream_request_id) && (
              <p className="mt-1 text-xs">
                {result.status !== null && <>Status {result.status}</>}
                {result.upstream_request_id && (
                  <>
                    {" · "}upstream request ID <Code>{result.upstream_request_id}</Code>
                  </>
                )}
                {result.problem && <> · {result.problem}</>}
              </p>
            )}
            {result.models.length > 0 && (
              <ul aria-label="Models the key can use" className="mt-2 flex flex-wrap gap-1.5">
                {result.models.map((m) => (
                  <li key={m.id}>
                    <Code>{m.id}</Code>
                  </li>
                ))}
              </ul>
            )}
          </Alert>
        )}
      </div>
    </div>
  );
}
