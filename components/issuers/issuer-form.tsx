"use client";

import { useForm } from "react-hook-form";
import { createIssuerAction, updateIssuerAction } from "@/lib/console/actions/issuers";
import { useOpenPage } from "@/components/forms/use-open-page";
import { fieldMap, showActionError } from "@/components/forms/action-errors";
import { FormActions } from "@/components/forms/form-actions";
import { InputField, TextareaField } from "@/components/forms/fields";
import { isInvalidJson, parsePastedKeys } from "@/components/forms/pasted-keys";
import { errorText, formErrorText } from "@/components/forms/error-text";
import { useServerResolver } from "@/components/forms/server-resolver";
import { FormError } from "@/components/ui/alert";
import { Checkbox } from "@/components/ui/checkbox";
import { Field } from "@/components/ui/field";
import { Textarea } from "@/components/ui/textarea";
import type { IssuerDto } from "@/lib/services/dto";
import type { JwksConfig } from "@/lib/core/types";

type JwksType = JwksConfig["type"];

interface IssuerFormValues {
  name: string;
  issuer_url: string;
  jwks_type: JwksType;
  discovery_base: string;
  jwks_url: string;
  jwks_json: string;
  ca_cert_pem: string;
  check_jti: boolean;
  max_jwt_lifetime_seconds: string;
}

function toJwks(v: IssuerFormValues): unknown {
  const ca = v.ca_cert_pem.trim() || null;
  switch (v.jwks_type) {
    case "discovery":
      return { type: "discovery", discovery_base: v.discovery_base.trim() || null, ca_cert_pem: ca };
    case "explicit_url":
      return { type: "explicit_url", url: v.jwks_url.trim(), ca_cert_pem: ca };
    case "inline":
      return { type: "inline", keys: parsePastedKeys(v.jwks_json) };
  }
}

const toNumber = (s: string) => (s.trim() === "" ? null : Number(s));

function toCreateInput(v: IssuerFormValues) {
  return { name: v.name, issuer_url: v.issuer_url.trim(), jwks: toJwks(v), check_jti: v.check_jti, max_jwt_lifetime_seconds: toNumber(v.max_jwt_lifetime_seconds) };
}

/** Updates send the key configuration only when it changed: a change restarts key polling. */
function toUpdateInput(v: IssuerFormValues, original: IssuerDto) {
  const jwks = toJwks(v);
  const changed = JSON.stringify(normaliseJwks(jwks)) !== JSON.stringify(normaliseJwks(original.jwks));
  return { name: v.name, issuer_url: v.issuer_url.trim(), ...(changed ? { jwks } : {}), check_jti: v.check_jti, max_jwt_lifetime_seconds: toNumber(v.max_jwt_lifetime_seconds) };
}

function normaliseJwks(j: unknown): unknown {
  if (!j || typeof j !== "object") return j;
  return Object.fromEntries(Object.entries(j).filter(([, value]) => value != null).sort(([a], [b]) => a.localeCompare(b)));
}

const FIELDS = fieldMap(["name", "issuer_url", "jwks_type", "discovery_base", "jwks_url", "jwks_json", "ca_cert_pem", "check_jti", "max_jwt_lifetime_seconds"], {
  jwks: "jwks_type",
  "jwks.type": "jwks_type",
  "jwks.discovery_base": "discovery_base",
  "jwks.url": "jwks_url",
  "jwks.keys": "jwks_json",
  "jwks.ca_cert_pem": "ca_cert_pem",
});

function defaults(issuer?: IssuerDto): IssuerFormValues {
  const j = issuer?.jwks;
  return {
    name: issuer?.name ?? "",
    issuer_url: issuer?.issuer_url ?? "",
    jwks_type: j?.type ?? "discovery",
    discovery_base: j?.type === "discovery" ? (j.discovery_base ?? "") : "",
    jwks_url: j?.type === "explicit_url" ? j.url : "",
    jwks_json: j?.type === "inline" ? JSON.stringify({ keys: j.keys }, null, 2) : "",
    ca_cert_pem: j && j.type !== "inline" ? (j.ca_cert_pem ?? "") : "",
    check_jti: issuer?.check_jti ?? true,
    max_jwt_lifetime_seconds: String(issuer?.max_jwt_lifetime_seconds ?? 3600),
  };
}

const MODES: Array<{ value: JwksType; label: string; description: string }> = [
  { value: "discovery", label: "OIDC discovery", description: "Read jwks_uri from the issuer's /.well-known/openid-configuration (most providers)." },
  { value: "explicit_url", label: "JWKS URL", description: "Fetch keys from a URL you give, when the provider publishes no discovery document." },
  { value: "inline", label: "Inline keys", description: "Paste the public JWK set. Never fetched or refreshed; for air-gapped issuers." },
];

export function IssuerForm({ issuer }: { issuer?: IssuerDto }) {
  const openPage = useOpenPage();
  const editing = !!issuer;
  const form = useForm<IssuerFormValues>({
    defaultValues: defaults(issuer),
    resolver: useServerResolver(editing ? "issuer.update" : "issuer.create", FIELDS, { toInput: (v: IssuerFormValues) => (editing ? toUpdateInput(v, issuer) : toCreateInput(v)) }),
  });
  const { errors, isSubmitting, isSubmitted } = form.formState;
  const mode = form.watch("jwks_type");
  const jsonInvalid = mode === "inline" && isInvalidJson(form.watch("jwks_json"));

  const onSubmit = form.handleSubmit(async (values) => {
    const result = editing ? await updateIssuerAction(issuer.id, toUpdateInput(values, issuer)) : await createIssuerAction(toCreateInput(values));
    if (!result.ok) return showActionError(form, result.error, FIELDS);
    openPage(`/issuers/${result.data.id}`);
  });

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-6">
      <FormError message={formErrorText(errors)} />
      <div className="grid gap-5 sm:grid-cols-2">
        <InputField form={form} name="name" id="name" label="Name" hint="Lowercase letters, digits and hyphens, e.g. github-actions." autoComplete="off" spellCheck={false} />
        <InputField form={form} name="issuer_url" id="issuer_url" label="Issuer URL" hint="Must equal the token's iss claim byte for byte." type="url" inputMode="url" spellCheck={false} placeholder="https://token.actions.githubusercontent.com" />
      </div>

      <fieldset className="space-y-3" aria-describedby="jwks_type-error">
        <legend className="text-sm font-medium text-zinc-900">Signing keys</legend>
        <div className="grid gap-2 sm:grid-cols-3">
          {MODES.map((m) => (
            <label key={m.value} className="flex cursor-pointer gap-2.5 rounded-md border border-zinc-300 p-3 text-sm has-checked:border-brand-600 has-checked:bg-brand-50 has-focus-visible:outline-2 has-focus-visible:outline-brand-600">
              <input type="radio" value={m.value} className="mt-0.5 size-4 shrink-0 accent-brand-600 focus-visible:outline-none" {...form.register("jwks_type")} />
              <span>
                <span className="block font-medium text-zinc-900">{m.label}</span>
                <span className="mt-0.5 block text-[13px] text-zinc-600">{m.description}</span>
              </span>
            </label>
          ))}
        </div>
        <p id="jwks_type-error" aria-live="polite" className="text-sm text-red-700 empty:hidden">
          {errorText(errors, "jwks_type")}
        </p>
        {mode === "discovery" && (
          <InputField form={form} name="discovery_base" id="discovery_base" label="Discovery base URL" optional hint="Only when the discovery document lives elsewhere than the issuer URL." type="url" spellCheck={false} />
        )}
        {mode === "explicit_url" && (
          <InputField form={form} name="jwks_url" id="jwks_url" label="JWKS URL" type="url" spellCheck={false} placeholder="https://issuer.example.com/keys" />
        )}
        {mode === "inline" && (
          <Field
            id="jwks_json"
            label="JWK set (JSON)"
            hint={'Public keys only: {"keys": [{"kty": "RSA", "kid": "…", "n": "…", "e": "AQAB"}]}'}
            error={jsonInvalid && isSubmitted ? "This is not valid JSON; check the brackets, commas and quotes" : errorText(errors, "jwks_json")}
          >
            {(a) => <Textarea {...a} rows={10} spellCheck={false} {...form.register("jwks_json")} />}
          </Field>
        )}
        {mode !== "inline" && (
          <TextareaField form={form} name="ca_cert_pem" id="ca_cert_pem" label="CA certificate (PEM)" optional hint="Trust a private CA for this issuer's key fetches." rows={3} spellCheck={false} placeholder="-----BEGIN CERTIFICATE-----" />
        )}
      </fieldset>

      <div className="grid gap-5 sm:grid-cols-2">
        <InputField form={form} name="max_jwt_lifetime_seconds" id="max_jwt_lifetime_seconds" label="Maximum token lifetime (seconds)" hint="exp − iat may not exceed this; 1 to 176400." type="number" inputMode="numeric" min={1} max={176400} />
        <div className="pt-1 sm:pt-7">
          <Checkbox id="check_jti" label="Single-use tokens (check jti)" description="A token carrying a jti can be exchanged once." {...form.register("check_jti")} />
        </div>
      </div>

      <FormActions submitting={isSubmitting} submitLabel={editing ? "Save changes" : "Create issuer"} cancelHref={editing ? `/issuers/${issuer.id}` : "/issuers"} />
    </form>
  );
}
