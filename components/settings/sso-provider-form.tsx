"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { useFieldArray, useForm } from "react-hook-form";
import { createSsoProviderAction, updateSsoProviderAction } from "@/lib/console/actions/sso";
import { fieldMap, showActionError, type FieldMap } from "@/components/forms/action-errors";
import { InputField, SelectField, TextareaField } from "@/components/forms/fields";
import { formErrorText } from "@/components/forms/error-text";
import { Alert, FormError } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import type { RoleMapping } from "@/lib/core/role-mapping";
import type { SsoProviderDto } from "@/lib/schemas/sso";

/** One mapping as the form edits it: exact claims as `name = value` lines. */
interface MappingRow {
  role: RoleMapping["role"];
  match: { subject_prefix: string; condition: string };
  claims_text: string;
}

interface ProviderFormValues {
  name: string;
  issuer_url: string;
  client_id: string;
  client_secret: string;
  scopes: string;
  allowed_domains: string;
  role_mappings: MappingRow[];
}

const ROLE_OPTIONS = [
  { value: "admin", label: "Admin" },
  { value: "developer", label: "Developer" },
  { value: "viewer", label: "Viewer" },
];

const toRow = (m: RoleMapping): MappingRow => ({
  role: m.role,
  match: { subject_prefix: m.match.subject_prefix ?? "", condition: m.match.condition ?? "" },
  claims_text: Object.entries(m.match.claims ?? {})
    .map(([k, v]) => `${k} = ${v}`)
    .join("\n"),
});

/** The form's rows in the API's shape; empty parts are left out, so the schema's "at least one" check speaks. */
export function mappingsFromRows(rows: MappingRow[]): RoleMapping[] {
  return rows.map((r) => {
    const claims = Object.fromEntries(
      r.claims_text
        .split("\n")
        .map((line) => line.trim())
        .filter(Boolean)
        .map((line) => {
          const at = line.indexOf("=");
          return at < 0 ? [line, ""] : [line.slice(0, at).trim(), line.slice(at + 1).trim()];
        }),
    );
    return {
      role: r.role,
      match: {
        ...(r.match.subject_prefix.trim() ? { subject_prefix: r.match.subject_prefix.trim() } : {}),
        ...(Object.keys(claims).length ? { claims } : {}),
        ...(r.match.condition.trim() ? { condition: r.match.condition.trim() } : {}),
      },
    };
  });
}

const FIELDS = ["name", "issuer_url", "client_id", "client_secret", "scopes", "allowed_domains"];

/** API field paths to the form's: a mapping's claims to its text box, the rest as named. */
const providerFieldMap: FieldMap = (apiField) => {
  const claims = /^role_mappings\.(\d+)\.match\.claims/.exec(apiField);
  if (claims) return `role_mappings.${claims[1]}.claims_text`;
  const part = /^role_mappings\.(\d+)\.(role|match\.subject_prefix|match\.condition)/.exec(apiField);
  if (part) return `role_mappings.${part[1]}.${part[2]}`;
  const mapping = /^role_mappings\.(\d+)/.exec(apiField);
  if (mapping) return `role_mappings.${mapping[1]}.match.condition`;
  return fieldMap(FIELDS)(apiField);
};

/** Add or edit an OIDC provider: connection, which email domains may sign in, and the ordered role mappings. */
export function SsoProviderForm({ provider, onSaved }: { provider?: SsoProviderDto; onSaved?: () => void }) {
  const router = useRouter();
  const [saved, setSaved] = useState<string>();
  const idp = provider?.id ?? "new";
  const form = useForm<ProviderFormValues>({
    defaultValues: {
      name: provider?.name ?? "",
      issuer_url: provider?.issuer_url ?? "",
      client_id: provider?.client_id ?? "",
      client_secret: "",
      scopes: provider?.scopes ?? "openid email profile groups",
      allowed_domains: provider?.allowed_domains.join(", ") ?? "",
      role_mappings: provider?.role_mappings.map(toRow) ?? [{ role: "viewer", match: { subject_prefix: "", condition: "" }, claims_text: "" }],
    },
  });
  const rows = useFieldArray({ control: form.control, name: "role_mappings" });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (v) => {
    setSaved(undefined);
    const input = {
      name: v.name,
      issuer_url: v.issuer_url.trim(),
      client_id: v.client_id,
      ...(v.client_secret ? { client_secret: v.client_secret } : {}),
      scopes: v.scopes,
      allowed_domains: v.allowed_domains
        .split(/[\s,]+/)
        .map((d) => d.trim())
        .filter(Boolean),
      role_mappings: mappingsFromRows(v.role_mappings),
    };
    const result = provider ? await updateSsoProviderAction(provider.id, input) : await createSsoProviderAction(input);
    if (!result.ok) return showActionError(form, result.error, providerFieldMap);
    setSaved(provider ? "Provider saved." : `Provider ${result.data.name} added.`);
    if (!provider) form.reset();
    else form.resetField("client_secret");
    onSaved?.();
    router.refresh();
  });

  const readOnly = provider?.source === "environment";
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4" aria-label={provider ? `Edit ${provider.name}` : "Add a provider"}>
      {saved && <Alert tone="success">{saved}</Alert>}
      {readOnly && <Alert tone="info">This provider comes from WIF_SSO_PROVIDERS; change it there and restart.</Alert>}
      <FormError message={formErrorText(errors)} />
      <fieldset disabled={readOnly} className="space-y-4">
        <div className="grid gap-4 md:grid-cols-2">
          <InputField form={form} name="name" id={`${idp}-name`} label="Name" hint="Shown on the sign-in button, e.g. Okta." autoComplete="off" />
          <InputField form={form} name="issuer_url" id={`${idp}-issuer`} label="Issuer URL" hint="e.g. https://acme.okta.com or https://login.microsoftonline.com/<tenant>/v2.0" spellCheck={false} />
          <InputField form={form} name="client_id" id={`${idp}-client-id`} label="Client ID" spellCheck={false} autoComplete="off" />
          <InputField
            form={form}
            name="client_secret"
            id={`${idp}-client-secret`}
            label="Client secret"
            type="password"
            autoComplete="new-password"
            optional
            hint={provider?.client_secret_last4 ? `Stored, ending in ${provider.client_secret_last4}; leave empty to keep it.` : "Stored encrypted and never shown again. Leave empty for a public client (PKCE only)."}
          />
          <InputField form={form} name="scopes" id={`${idp}-scopes`} label="Scopes" hint="openid, email and profile are always asked for." spellCheck={false} />
          <InputField form={form} name="allowed_domains" id={`${idp}-domains`} label="Allowed email domains" optional hint="Comma-separated, e.g. acme.com. Empty: any domain." spellCheck={false} />
        </div>
        <div className="space-y-3" role="group" aria-labelledby={`${idp}-mappings-label`}>
          <div>
            <p id={`${idp}-mappings-label`} className="text-sm font-medium text-zinc-900">
              Role mappings
            </p>
            <p className="text-[13px] text-zinc-600">
              Checked in order against the ID token&apos;s claims, like a federation rule&apos;s match; the first that matches gives the role. Nobody matching: no access.
            </p>
          </div>
          {rows.fields.map((row, i) => (
            <div key={row.id} className="space-y-3 rounded-md border border-zinc-200 p-3" role="group" aria-label={`Mapping ${i + 1}`}>
              <div className="grid gap-3 md:grid-cols-[10rem_1fr]">
                <SelectField form={form} name={`role_mappings.${i}.role`} id={`${idp}-m${i}-role`} label={`Mapping ${i + 1} role`} options={ROLE_OPTIONS} />
                <InputField
                  form={form}
                  name={`role_mappings.${i}.match.condition`}
                  id={`${idp}-m${i}-condition`}
                  label={`Mapping ${i + 1} condition`}
                  optional
                  hint={<>CEL over claims, e.g. &quot;platform-admins&quot; in claims.groups</>}
                  spellCheck={false}
                  className="font-mono"
                />
                <InputField form={form} name={`role_mappings.${i}.match.subject_prefix`} id={`${idp}-m${i}-subject`} label={`Mapping ${i + 1} subject`} optional hint="Exact sub, or a prefix ending in *." spellCheck={false} />
                <TextareaField
                  form={form}
                  name={`role_mappings.${i}.claims_text`}
                  id={`${idp}-m${i}-claims`}
                  label={`Mapping ${i + 1} exact claims`}
                  optional
                  hint="One name = value per line, e.g. department = platform."
                  rows={2}
                  spellCheck={false}
                  className="font-mono"
                />
              </div>
              <div className="flex flex-wrap justify-end gap-2">
                <Button variant="ghost" size="sm" disabled={i === 0} onClick={() => rows.move(i, i - 1)} aria-label={`Move mapping ${i + 1} up`}>
                  Move up
                </Button>
                <Button variant="ghost" size="sm" onClick={() => rows.remove(i)} aria-label={`Remove mapping ${i + 1}`}>
                  Remove
                </Button>
              </div>
            </div>
          ))}
          <Button size="sm" onClick={() => rows.append({ role: "viewer", match: { subject_prefix: "", condition: "" }, claims_text: "" })}>
            Add a mapping
          </Button>
        </div>
        <Button type="submit" variant="primary" disabled={isSubmitting}>
          {isSubmitting ? "Saving…" : provider ? "Save provider" : "Add provider"}
        </Button>
      </fieldset>
    </form>
  );
}
