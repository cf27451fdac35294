"use client";

/**
 * The live exchange: the real token exchange over HTTP, against this server's token endpoint
 * or another platform's. The reply is shown with secrets redacted; a granted access token is
 * tried once on the server and never reaches the browser.
 */
import Link from "next/link";
import { useEffect, useState } from "react";
import { useForm, type UseFormReturn } from "react-hook-form";
import { liveExchangeAction } from "@/lib/console/actions/tester";
import { fieldMap, showActionError } from "@/components/forms/action-errors";
import { InputField, SelectField } from "@/components/forms/fields";
import { errorText, formErrorText } from "@/components/forms/error-text";
import { useServerResolver } from "@/components/forms/server-resolver";
import { Alert, FormError } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { FieldError } from "@/components/ui/field-error";
import type { HttpCallView, LiveExchangeResult } from "@/lib/services/live-exchange";
import { formatSeconds } from "@/components/resources/format";
import { JsonBlock, LifetimeNote } from "./token-report";

export interface RuleOption {
  id: string;
  name: string;
  issuerName: string | null;
  /** The rule's own audience; null: the server's default. */
  audience?: string | null;
}

/** A rule as a choice in a select: its name, and its issuer's in brackets. */
export const ruleChoice = (r: RuleOption) => ({ value: r.id, label: r.issuerName ? `${r.name} (${r.issuerName})` : r.name });

interface LiveValues {
  target: "this_server" | "other";
  base_url: string;
  organization_id: string;
  rule_id: string;
  remote_rule_id: string;
  workspace_id: string;
  try_call: boolean;
}

const FIELDS = fieldMap(["target", "base_url", "organization_id", "workspace_id", "try_call"], { assertion: "token", federation_rule_id: "rule_id" });

const link = "font-medium text-brand-700 hover:underline";

function CallView({ call, title, historyLink }: { call: HttpCallView; title: string; historyLink: boolean }) {
  const status = call.reply?.status;
  return (
    <div className="space-y-2">
      <h3 className="text-sm font-semibold text-zinc-900">{title}</h3>
      <p className="font-mono text-[12.5px] break-all text-zinc-800">
        {call.request.method} {call.request.url}
      </p>
      <div className="grid gap-3 lg:grid-cols-2">
        <div>
          <p className="mb-1 text-[13px] text-zinc-600">Request (secrets redacted)</p>
          <JsonBlock value={{ headers: call.request.headers, ...(call.request.body !== null ? { body: call.request.body } : {}) }} label={`${title}: request`} />
        </div>
        <div>
          {call.reply ? (
            <>
              <p className="mb-1 flex flex-wrap items-center gap-2 text-[13px] text-zinc-600">
                Reply <Badge tone={status! < 300 ? "green" : "red"}>HTTP {status}</Badge>
                {call.reply.requestId && (
                  <span>
                    request-id{" "}
                    {historyLink ? (
                      <Link href={`/history?request_id=${encodeURIComponent(call.reply.requestId)}`} className={`${link} font-mono`}>
                        {call.reply.requestId}
                      </Link>
                    ) : (
                      <code className="font-mono">{call.reply.requestId}</code>
                    )}
                  </span>
                )}
              </p>
              <JsonBlock value={call.reply.body} label={`${title}: reply`} />
            </>
          ) : (
            <Alert tone="error" title="No reply">
              {call.error}
            </Alert>
          )}
        </div>
      </div>
    </div>
  );
}

function ResultView({ result }: { result: LiveExchangeResult }) {
  const self = result.target === "this_server";
  const h = result.history;
  return (
    <div className="space-y-5 border-t border-zinc-200 pt-5" aria-label="Live exchange result" role="region">
      {h &&
        (h.outcome === "granted" ? (
          <Alert tone="success" title="Granted">
            The token endpoint issued an access token
            {result.lifetime && ` for ${formatSeconds(result.lifetime.seconds)} (the rule configures ${formatSeconds(result.lifetime.configuredSeconds)})`}. It stays on the server; only its prefix is shown.{" "}
            <Link href={`/history?request_id=${encodeURIComponent(h.requestId)}`} className={link}>
              See it in the history
            </Link>
            .
            {result.lifetime && <LifetimeNote seconds={result.lifetime.seconds} configured={result.lifetime.configuredSeconds} reason={result.lifetime.reason} />}
          </Alert>
        ) : (
          <Alert tone="error" title={`Refused: ${h.title ?? h.reason}`}>
            <p>
              The caller only sees &quot;401 Authentication failed&quot;; the history recorded why: {h.explanation}{" "}
              <span className="font-mono text-xs">({h.reason})</span>
            </p>
            {h.detail && (
              <p className="mt-1 break-words">
                <span className="font-medium">What happened:</span> {h.detail}
              </p>
            )}
            {h.fix && (
              <p className="mt-1">
                <span className="font-medium">Fix:</span> {h.fix}
              </p>
            )}
            <p className="mt-1">
              <Link href={`/history?request_id=${encodeURIComponent(h.requestId)}`} className={link}>
                Open the history entry
              </Link>
            </p>
          </Alert>
        ))}
      {!self && result.reply && <Alert tone={result.granted ? "success" : "info"}>{result.granted ? "Granted by the other platform." : "The other platform keeps its reason in its own history."}</Alert>}
      <CallView call={result} title="Token exchange" historyLink={self} />
      {result.calls.map((call) => (
        <CallView key={call.request.url} call={call} title={`Trying the access token: ${new URL(call.request.url).pathname}`} historyLink={false} />
      ))}
    </div>
  );
}

export function LiveExchange({ rules, defaultRuleId, publicUrl, getAssertion }: { rules: RuleOption[]; defaultRuleId: string; publicUrl: string; getAssertion: () => string }) {
  const [result, setResult] = useState<LiveExchangeResult>();
  const toInput = (v: LiveValues) => ({
    assertion: getAssertion(),
    target: v.target,
    base_url: v.target === "other" ? v.base_url : "",
    federation_rule_id: v.target === "other" ? v.remote_rule_id : v.rule_id,
    organization_id: v.target === "other" ? v.organization_id : "",
    workspace_id: v.workspace_id,
    try_call: v.try_call,
  });
  // The rule ID is one API field shown by two controls: the rule list here, a text field for another platform.
  const mapField = (target: LiveValues["target"]) => (f: string): string | undefined => (f === "federation_rule_id" ? (target === "other" ? "remote_rule_id" : "rule_id") : FIELDS(f));
  const form: UseFormReturn<LiveValues> = useForm<LiveValues>({
    defaultValues: { target: "this_server", base_url: "", organization_id: "", rule_id: defaultRuleId || rules[0]?.id || "", remote_rule_id: "", workspace_id: "", try_call: true },
    resolver: useServerResolver("tester.live", (f, values) => mapField(values.target)(f), { toInput }),
  });
  const { errors, isSubmitting } = form.formState;
  const target = form.watch("target");
  // Follow the rule chosen for testing until this form's own choice is touched.
  useEffect(() => {
    if (defaultRuleId && !form.getFieldState("rule_id").isDirty) form.setValue("rule_id", defaultRuleId);
  }, [defaultRuleId, form]);

  const onSubmit = form.handleSubmit(async (v) => {
    setResult(undefined);
    const res = await liveExchangeAction(toInput(v));
    if (!res.ok) return showActionError(form, res.error, mapField(v.target));
    setResult(res.data);
  }, () => setResult(undefined));

  return (
    <div className="space-y-5">
      <form onSubmit={onSubmit} noValidate className="space-y-4" aria-label="Live exchange">
        <FormError message={formErrorText(errors)} />
        <fieldset>
          <legend className="text-sm font-medium text-zinc-900">Token endpoint</legend>
          <div className="mt-2 flex flex-col gap-2 sm:flex-row sm:gap-6">
            <label className="flex items-center gap-2 text-sm">
              <input type="radio" value="this_server" className="accent-brand-600" {...form.register("target")} />
              This server <code className="font-mono text-[12.5px] break-all text-zinc-600">{publicUrl}</code>
            </label>
            <label className="flex items-center gap-2 text-sm">
              <input type="radio" value="other" className="accent-brand-600" {...form.register("target")} />
              Another platform
            </label>
          </div>
        </fieldset>
        <div className="grid gap-4 sm:grid-cols-2">
          {target === "this_server" ? (
            <SelectField form={form} name="rule_id" id="live-rule" label="Federation rule" options={rules.map(ruleChoice)}>
              {rules.length === 0 && <option value="">No live rules</option>}
            </SelectField>
          ) : (
            <>
              <InputField form={form} name="base_url" id="live-base-url" label="Platform base URL" hint="The platform's API origin, e.g. https://api.example.com" type="url" spellCheck={false} placeholder="https://" />
              <InputField form={form} name="organization_id" id="live-organization" label="Organization ID on that platform" spellCheck={false} className="font-mono" />
              <InputField form={form} name="remote_rule_id" id="live-remote-rule" label="Federation rule ID on that platform" spellCheck={false} className="font-mono" placeholder="fdrl_…" />
            </>
          )}
          <InputField form={form} name="workspace_id" id="live-workspace" label="Workspace" optional hint="wrkspc_… or default; needed when the rule covers several." spellCheck={false} className="font-mono" />
        </div>
        <Checkbox
          id="live-try-call"
          label="Then try the access token on the Admin API"
          description="GET /v1/organizations/me (and workspaces when the scope is org:admin). The token is used on the server and never sent to your browser."
          {...form.register("try_call")}
        />
        <Alert tone="warning">This is a real exchange: it is recorded in the history, and a single-use token (jti) cannot be exchanged again afterwards.</Alert>
        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit" variant="primary" disabled={isSubmitting}>
            {isSubmitting ? "Exchanging…" : "Run live exchange"}
          </Button>
          <FieldError id="live-token-error" message={errorText(errors, "token")} />
        </div>
      </form>
      {result && <ResultView result={result} />}
    </div>
  );
}
