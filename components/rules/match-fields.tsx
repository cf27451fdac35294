"use client";

/** A rule's match as form fields (subject, audience, claims, condition): the rule form, and the guided setup's match edited by hand. */
import type { ReactNode } from "react";
import type { ArrayPath, FieldValues, Path, UseFormReturn } from "react-hook-form";
import { ClaimRowsEditor } from "@/components/forms/claim-rows";
import { errorText } from "@/components/forms/error-text";
import { InputField, TextareaField } from "@/components/forms/fields";

export function MatchFields<T extends FieldValues>({
  form,
  names,
  idPrefix,
  audienceHint,
  subjectPlaceholder,
}: {
  form: UseFormReturn<T>;
  /** Where each part of the match is in the form's values. */
  names: { subject: Path<T>; audience: Path<T>; claims: ArrayPath<T>; condition: Path<T> };
  /** Starts the controls' ids (`rule-` → `rule-subject`). */
  idPrefix: string;
  audienceHint: ReactNode;
  /** An example subject, where the provider is known. */
  subjectPlaceholder?: string;
}) {
  return (
    <>
      <InputField
        form={form}
        name={names.subject}
        id={`${idPrefix}subject`}
        label="Subject"
        optional
        hint="The token's sub, exactly; end it with * to match a prefix (repo:acme/api:*). A bare * is not allowed."
        spellCheck={false}
        className="font-mono"
        placeholder={subjectPlaceholder}
      />
      <InputField form={form} name={names.audience} id={`${idPrefix}audience`} label="Audience" optional hint={audienceHint} spellCheck={false} className="font-mono" />
      <ClaimRowsEditor form={form} name={names.claims} error={errorText(form.formState.errors, names.claims)} errorId={`${idPrefix}claims-error`} />
      <TextareaField
        form={form}
        name={names.condition}
        id={`${idPrefix}condition`}
        label="Condition (CEL)"
        optional
        hint={<>A boolean CEL expression over claims, e.g. claims.ref == &quot;refs/heads/main&quot; &amp;&amp; claims.event_name != &quot;pull_request&quot;.</>}
        rows={3}
        spellCheck={false}
      />
    </>
  );
}
