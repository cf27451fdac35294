"use client";

import { useState } from "react";
import { useForm } from "react-hook-form";
import { tryRoleMappingsAction } from "@/lib/console/actions/sso";
import { fieldMap, showActionError } from "@/components/forms/action-errors";
import { SelectField, TextareaField } from "@/components/forms/fields";
import { formErrorText } from "@/components/forms/error-text";
import { Alert, FormError } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import type { MappingExplanation } from "@/lib/core/role-mapping";

const SAMPLE = JSON.stringify({ sub: "00u1a2b3c4", email: "ada@acme.com", groups: ["platform-admins"] }, null, 2);

/** Paste a sample ID token's claims and see which mapping would give which role, check by check (the rule tester's checks). */
export function RoleMappingTrial({ providers }: { providers: Array<{ id: string; name: string }> }) {
  const [outcome, setOutcome] = useState<{ role: string | undefined; explanations: MappingExplanation[] }>();
  const form = useForm<{ provider: string; claims: string }>({ defaultValues: { provider: providers[0]?.id ?? "", claims: SAMPLE } });
  const { errors, isSubmitting } = form.formState;
  const onSubmit = form.handleSubmit(async (v) => {
    setOutcome(undefined);
    const result = await tryRoleMappingsAction(v.provider, { claims: v.claims });
    if (!result.ok) return showActionError(form, result.error, fieldMap(["claims"]));
    setOutcome(result.data);
  });
  if (providers.length === 0) return <p className="text-sm text-zinc-600">Add a provider first.</p>;
  return (
    <div className="space-y-4">
      <form onSubmit={onSubmit} noValidate className="space-y-4">
        <FormError message={formErrorText(errors)} />
        <SelectField form={form} name="provider" id="trial-provider" label="Provider" options={providers.map((p) => ({ value: p.id, label: p.name }))} />
        <TextareaField form={form} name="claims" id="trial-claims" label="Sample ID-token claims (JSON)" rows={6} spellCheck={false} className="font-mono" />
        <Button type="submit" disabled={isSubmitting}>
          {isSubmitting ? "Trying…" : "Try the mappings"}
        </Button>
      </form>
      {outcome && (
        <div aria-live="polite" className="space-y-3">
          <Alert tone={outcome.role ? "success" : "warning"} title={outcome.role ? `Role: ${outcome.role}` : "No mapping matches: sign-in would be refused"} />
          <ol className="space-y-2">
            {outcome.explanations.map((e) => (
              <li key={e.index} className="rounded-md border border-zinc-200 p-3 text-sm">
                <p className="font-medium text-zinc-900">
                  Mapping {e.index + 1} ({e.role}) <Badge tone={e.matched ? "green" : "neutral"}>{e.matched ? "matches" : "does not match"}</Badge>
                </p>
                <ul className="mt-1.5 space-y-0.5 text-zinc-700">
                  {e.checks.map((c) => (
                    <li key={`${c.check}-${c.name}`} className="break-words">
                      <span aria-hidden="true">{c.passed ? "✓" : "✗"}</span> <span className="sr-only">{c.passed ? "passed:" : "failed:"}</span> {c.message}
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ol>
        </div>
      )}
    </div>
  );
}
