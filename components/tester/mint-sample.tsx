"use client";

/**
 * "Mint a sample token": a GitHub Actions, GitLab CI or Kubernetes shaped token from this
 * server's demo issuer, with the claims people edit most. Validated by the action's own
 * schema (sampleTokenRequest) on the composed claims.
 */
import { useEffect, useRef, useState } from "react";
import { useForm } from "react-hook-form";
import { mintSampleTokenAction } from "@/lib/console/actions/tester";
import { fieldMap, showActionError } from "@/components/forms/action-errors";
import { InputField, SelectField } from "@/components/forms/fields";
import { errorText, formErrorText } from "@/components/forms/error-text";
import { useServerResolver } from "@/components/forms/server-resolver";
import { Alert, FormError } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { DEFAULT_FIELDS, SAMPLE_SHAPES, sampleClaims, sampleSubject, type SampleFields, type SampleShape } from "./sample-shapes";

interface MintValues extends SampleFields {
  shape: SampleShape;
  subject: string;
  audience: string;
  lifetime_seconds: string;
}

const toInput = (v: MintValues) => ({
  subject: v.subject,
  audience: v.audience,
  claims: sampleClaims(v.shape, v),
  lifetime_seconds: v.lifetime_seconds.trim() === "" ? Number.NaN : Number(v.lifetime_seconds),
});

const FIELDS = fieldMap(["subject", "audience", "lifetime_seconds"], { claims: "root.schema" });

export function MintSample({ defaultAudience, demoIssuerUrl, demoIssuerId, onMinted }: { defaultAudience: string; demoIssuerUrl: string; demoIssuerId: string | null; onMinted: (token: string) => void }) {
  const [minted, setMinted] = useState<{ expiresAt: string; issuerId: string | null }>();
  const form = useForm<MintValues>({
    defaultValues: { shape: "github", ...DEFAULT_FIELDS, subject: sampleSubject("github", DEFAULT_FIELDS), audience: defaultAudience, lifetime_seconds: "300" },
    resolver: useServerResolver("tester.sample", FIELDS, { toInput }),
  });
  const { errors, isSubmitting } = form.formState;
  const shape = form.watch("shape");

  // The audience follows the chosen rule until the user edits it.
  useEffect(() => {
    if (!form.getFieldState("audience").isDirty) form.setValue("audience", defaultAudience);
  }, [defaultAudience, form]);

  // The subject follows the fields until the user edits it by hand.
  const subjectEdited = useRef(false);
  const values = form.watch();
  const derived = sampleSubject(values.shape, values);
  useEffect(() => {
    if (!subjectEdited.current && form.getValues("subject") !== derived) form.setValue("subject", derived);
  }, [derived, form]);

  const onSubmit = form.handleSubmit(async (v) => {
    setMinted(undefined);
    const result = await mintSampleTokenAction(toInput(v));
    if (!result.ok) return showActionError(form, result.error, FIELDS);
    setMinted({ expiresAt: result.data.expires_at, issuerId: result.data.issuer_id });
    onMinted(result.data.token);
  });

  const subjectField = form.register("subject", { onChange: () => (subjectEdited.current = true) });
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4" aria-label="Mint a sample token">
      <p className="text-sm text-zinc-600">
        Signed by this server&apos;s demo issuer <code className="font-mono text-[12.5px] break-all">{demoIssuerUrl}</code>.{" "}
        {demoIssuerId ? "It is registered as an issuer here, so its rules can admit the token." : "Register that URL as an issuer (discovery) for a rule to admit these tokens."}
      </p>
      <FormError message={formErrorText(errors)} />
      <div className="grid gap-4 sm:grid-cols-3">
        <SelectField form={form} name="shape" id="mint-shape" label="Shape" options={SAMPLE_SHAPES.map((s) => ({ value: s.id, label: s.label }))} />
        {shape === "github" && (
          <>
            <InputField form={form} name="repository" id="mint-repository" label="Repository" hint="owner/repo" spellCheck={false} className="font-mono" />
            <InputField form={form} name="ref" id="mint-ref" label="Ref" hint="refs/heads/… or refs/tags/…" spellCheck={false} className="font-mono" />
            <SelectField form={form} name="event_name" id="mint-event" label="Event" options={["push", "pull_request", "pull_request_target", "workflow_dispatch"].map((e) => ({ value: e, label: e }))} />
            <InputField form={form} name="environment" id="mint-environment" label="Environment" optional spellCheck={false} className="font-mono" />
          </>
        )}
        {shape === "gitlab" && (
          <>
            <InputField form={form} name="project_path" id="mint-project" label="Project path" hint="group/project" spellCheck={false} className="font-mono" />
            <SelectField form={form} name="ref_type" id="mint-ref-type" label="Ref type" options={[{ value: "branch", label: "branch" }, { value: "tag", label: "tag" }]} />
            <InputField form={form} name="gitlab_ref" id="mint-gitlab-ref" label="Ref" hint="Branch or tag name" spellCheck={false} className="font-mono" />
            <InputField form={form} name="environment" id="mint-gitlab-environment" label="Environment" optional spellCheck={false} className="font-mono" />
          </>
        )}
        {shape === "kubernetes" && (
          <>
            <InputField form={form} name="namespace" id="mint-namespace" label="Namespace" spellCheck={false} className="font-mono" />
            <InputField form={form} name="service_account" id="mint-service-account" label="Service account name" spellCheck={false} className="font-mono" />
          </>
        )}
      </div>
      <div className="grid gap-4 sm:grid-cols-[2fr_2fr_1fr]">
        <Field id="mint-subject" label="Subject (sub)" hint="Follows the fields above until you edit it." error={errorText(errors, "subject")}>
          {(a) => <Input {...a} spellCheck={false} className="font-mono" {...subjectField} />}
        </Field>
        <InputField form={form} name="audience" id="mint-audience" label="Audience (aud)" spellCheck={false} className="font-mono" />
        <InputField form={form} name="lifetime_seconds" id="mint-lifetime" label="Lifetime (s)" type="number" inputMode="numeric" min={30} max={3600} />
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={isSubmitting}>
          {isSubmitting ? "Minting…" : "Mint sample token"}
        </Button>
        <div role="status" className="text-sm">
          {minted && (
            <Alert tone="success" className="py-1.5">
              Sample token minted into the token field (valid until {new Date(minted.expiresAt).toISOString().slice(11, 19)} UTC).
            </Alert>
          )}
        </div>
      </div>
    </form>
  );
}
