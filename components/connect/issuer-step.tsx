"use client";

import type { UseFormReturn } from "react-hook-form";
import { InputField, SelectField, TextareaField } from "@/components/forms/fields";
import { errorText } from "@/components/forms/error-text";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Code } from "@/components/ui/description-list";
import { FieldError } from "@/components/ui/field-error";
import type { KeyMode, ProviderPreset } from "@/lib/providers";
import { KeyCheckResult, type KeyCheckState } from "./key-check";
import { PresetFields } from "./preset-fields";
import type { ConnectFormValues } from "./wizard-model";
import type { ConnectOptions } from "@/lib/console/connect-options";

const MODES: Record<KeyMode, { label: string; description: string }> = {
  discovery: { label: "OIDC discovery", description: "Read jwks_uri from the issuer's /.well-known/openid-configuration." },
  explicit_url: { label: "JWKS URL", description: "Fetch keys from a URL you give (no discovery document, or a private cluster's proxy)." },
  inline: { label: "Paste the keys", description: "Never fetched or refreshed; update them when the issuer rotates its key." },
};

export function IssuerStep({
  form,
  preset,
  values,
  issuerUrl,
  matches,
  keyCheck,
  onCheckKeys,
  onAcceptKeyFailure,
  onModeChosen,
}: {
  form: UseFormReturn<ConnectFormValues>;
  preset: ProviderPreset;
  values: ConnectFormValues;
  issuerUrl: string;
  matches: ConnectOptions["issuers"];
  keyCheck: KeyCheckState;
  onCheckKeys: () => void;
  /** Go on although the key check failed (an explicit choice; the review then says Create anyway). */
  onAcceptKeyFailure: () => void;
  onModeChosen: () => void;
}) {
  const errors = form.formState.errors;
  const issuer = values.issuer;
  const mode = issuer.mode;
  const canCheck = mode === "existing" ? !!issuer.id : !!issuerUrl;

  return (
    <div className="space-y-6">
      {preset.issuer.note && <Alert tone="info">{preset.issuer.note}</Alert>}
      <PresetFields form={form} fields={preset.issuer.fields} values={values.answers} columns={1} />

      <div className="space-y-1">
        <p className="text-sm font-medium text-zinc-900">Issuer URL</p>
        <p className="text-sm">{issuerUrl ? <Code>{issuerUrl}</Code> : <span className="text-zinc-600">Fill in the fields above.</span>}</p>
        <p className="text-[13px] text-zinc-600">Tokens must carry exactly this iss.</p>
        <FieldError id="issuer-url-error" message={errorText(errors, "issuer.url")} />
      </div>

      {matches.length > 0 && (
        <fieldset className="space-y-2" aria-describedby="issuer-id-error">
          <legend className="text-sm font-medium text-zinc-900">This issuer is already registered</legend>
          <div className="grid gap-2 sm:grid-cols-2">
            <label className="flex cursor-pointer gap-2.5 rounded-md border border-zinc-300 p-3 text-sm has-checked:border-brand-600 has-checked:bg-brand-50">
              <input type="radio" value="existing" className="mt-0.5 size-4 accent-brand-600" {...form.register("issuer.mode", { onChange: onModeChosen })} />
              <span>
                <span className="block font-medium text-zinc-900">Use the registered issuer</span>
                <span className="block text-[13px] text-zinc-600">{matches.length === 1 ? matches[0]!.name : `${matches.length} issuers have this URL`}</span>
              </span>
            </label>
            <label className="flex cursor-pointer gap-2.5 rounded-md border border-zinc-300 p-3 text-sm has-checked:border-brand-600 has-checked:bg-brand-50">
              <input type="radio" value="new" className="mt-0.5 size-4 accent-brand-600" {...form.register("issuer.mode", { onChange: onModeChosen })} />
              <span>
                <span className="block font-medium text-zinc-900">Register another</span>
                <span className="block text-[13px] text-zinc-600">With its own key settings.</span>
              </span>
            </label>
          </div>
          {mode === "existing" && matches.length > 1 && (
            <SelectField form={form} name="issuer.id" id="issuer-id" label="Registered issuer" options={matches.map((m) => ({ value: m.id, label: m.name }))} />
          )}
          {!(mode === "existing" && matches.length > 1) && <FieldError id="issuer-id-error" message={errorText(errors, "issuer.id")} />}
        </fieldset>
      )}

      {mode === "new" && (
        <div className="space-y-5">
          <InputField form={form} name="issuer.name" id="issuer-name" label="Issuer name" hint="Lowercase letters, digits and hyphens." autoComplete="off" spellCheck={false} />

          {preset.issuer.keyModes.length > 1 && (
            <fieldset className="space-y-2" aria-describedby="issuer-jwks_type-error">
              <legend className="text-sm font-medium text-zinc-900">Signing keys</legend>
              <div className="grid gap-2 sm:grid-cols-3">
                {preset.issuer.keyModes.map((m) => (
                  <label key={m} className="flex cursor-pointer gap-2.5 rounded-md border border-zinc-300 p-3 text-sm has-checked:border-brand-600 has-checked:bg-brand-50 has-focus-visible:outline-2 has-focus-visible:outline-brand-600">
                    <input type="radio" value={m} className="mt-0.5 size-4 shrink-0 accent-brand-600 focus-visible:outline-none" {...form.register("issuer.jwks_type")} />
                    <span>
                      <span className="block font-medium text-zinc-900">{MODES[m].label}</span>
                      <span className="mt-0.5 block text-[13px] text-zinc-600">{MODES[m].description}</span>
                    </span>
                  </label>
                ))}
              </div>
              <FieldError id="issuer-jwks_type-error" message={errorText(errors, "issuer.jwks_type")} />
            </fieldset>
          )}
          {issuer.jwks_type === "explicit_url" && (
            <InputField form={form} name="issuer.jwks_url" id="issuer-jwks-url" label="JWKS URL" type="url" spellCheck={false} className="font-mono" placeholder="https://issuer.example.com/keys" />
          )}
          {issuer.jwks_type === "inline" && (
            <TextareaField form={form} name="issuer.jwks_json" id="issuer-jwks-json" label="JWK set (JSON)" hint={'Public keys only: {"keys": [{"kty": "RSA", "kid": "…", "n": "…", "e": "AQAB"}]}'} rows={8} spellCheck={false} />
          )}

          <details className="rounded-md border border-zinc-200 px-3 py-2 text-sm [&[open]]:pb-4">
            <summary className="cursor-pointer font-medium text-zinc-900">More issuer settings</summary>
            <div className="mt-4 space-y-5">
              {issuer.jwks_type === "discovery" && (
                <InputField form={form} name="issuer.discovery_base" id="issuer-discovery-base" label="Discovery base URL" optional hint="Only when the discovery document lives elsewhere than the issuer URL." type="url" spellCheck={false} className="font-mono" />
              )}
              <InputField form={form} name="issuer.max_jwt_lifetime_seconds" id="issuer-max-lifetime" label="Maximum identity-token lifetime (seconds)" hint="exp − iat may not exceed this; 1 to 176400." type="number" inputMode="numeric" className="w-40" />
              <Checkbox id="issuer-check-jti" label="Single-use tokens (check jti)" description="A token carrying a jti can be exchanged once." {...form.register("issuer.check_jti")} />
            </div>
          </details>
        </div>
      )}

      <div className="space-y-3 border-t border-zinc-200 pt-5">
        <div className="flex flex-wrap items-center gap-3">
          <Button onClick={onCheckKeys} disabled={!canCheck || keyCheck.status === "checking"}>
            {keyCheck.status === "checking" ? "Checking…" : "Check the issuer's keys"}
          </Button>
          <p className="text-[13px] text-zinc-600">Fetches the keys now, the way the token endpoint will.</p>
        </div>
        <KeyCheckResult state={keyCheck} onRetry={onCheckKeys} onAccept={onAcceptKeyFailure} />
      </div>
    </div>
  );
}
