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
import { errorText, formErrorText } from "@/components/forms/error-text";
import { schemaResolver } from "@/components/forms/schema-resolver";
import { Alert, FormError } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { sampleTokenRequest } from "@/lib/schemas/tester";
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
    resolver: schemaResolver(sampleTokenRequest, toInput, FIELDS),
  });
  const { errors, isSubmitting } = form.formState;
  const shape = form.watch("shape");

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
        <Field id="mint-shape" label="Shape">
          {(a) => <Select {...a} {...form.register("shape")} options={SAMPLE_SHAPES.map((s) => ({ value: s.id, label: s.label }))} />}
        </Field>
        {shape === "github" && (
          <>
            <Field id="mint-repository" label="Repository" hint="owner/repo">
              {(a) => <Input {...a} spellCheck={false} className="font-mono" {...form.register("repository")} />}
            </Field>
            <Field id="mint-ref" label="Ref" hint="refs/heads/… or refs/tags/…">
              {(a) => <Input {...a} spellCheck={false} className="font-mono" {...form.register("ref")} />}
            </Field>
            <Field id="mint-event" label="Event">
              {(a) => <Select {...a} {...form.register("event_name")} options={["push", "pull_request", "pull_request_target", "workflow_dispatch"].map((e) => ({ value: e, label: e }))} />}
            </Field>
            <Field id="mint-environment" label="Environment" optional>
              {(a) => <Input {...a} spellCheck={false} className="font-mono" {...form.register("environment")} />}
            </Field>
          </>
        )}
        {shape === "gitlab" && (
          <>
            <Field id="mint-project" label="Project path" hint="group/project">
              {(a) => <Input {...a} spellCheck={false} className="font-mono" {...form.register("project_path")} />}
            </Field>
            <Field id="mint-ref-type" label="Ref type">
              {(a) => <Select {...a} {...form.register("ref_type")} options={[{ value: "branch", label: "branch" }, { value: "tag", label: "tag" }]} />}
            </Field>
            <Field id="mint-gitlab-ref" label="Ref" hint="Branch or tag name">
              {(a) => <Input {...a} spellCheck={false} className="font-mono" {...form.register("gitlab_ref")} />}
            </Field>
            <Field id="mint-gitlab-environment" label="Environment" optional>
              {(a) => <Input {...a} spellCheck={false} className="font-mono" {...form.register("environment")} />}
            </Field>
          </>
        )}
        {shape === "kubernetes" && (
          <>
            <Field id="mint-namespace" label="Namespace">
              {(a) => <Input {...a} spellCheck={false} className="font-mono" {...form.register("namespace")} />}
            </Field>
            <Field id="mint-service-account" label="Service account name">
              {(a) => <Input {...a} spellCheck={false} className="font-mono" {...form.register("service_account")} />}
            </Field>
          </>
        )}
      </div>
      <div className="grid gap-4 sm:grid-cols-[2fr_2fr_1fr]">
        <Field id="mint-subject" label="Subject (sub)" hint="Follows the fields above until you edit it." error={errorText(errors, "subject")}>
          {(a) => <Input {...a} spellCheck={false} className="font-mono" {...subjectField} />}
        </Field>
        <Field id="mint-audience" label="Audience (aud)" error={errorText(errors, "audience")}>
          {(a) => <Input {...a} spellCheck={false} className="font-mono" {...form.register("audience")} />}
        </Field>
        <Field id="mint-lifetime" label="Lifetime (s)" error={errorText(errors, "lifetime_seconds")}>
          {(a) => <Input {...a} type="number" inputMode="numeric" min={30} max={3600} {...form.register("lifetime_seconds")} />}
        </Field>
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
