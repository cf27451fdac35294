"use client";

/** A rule's scopes as checkboxes, each saying what it allows: the rule form and the guided setup's rule step. */
import type { FieldValues, Path, UseFormReturn } from "react-hook-form";
import { errorText } from "@/components/forms/error-text";
import { Checkbox } from "@/components/ui/checkbox";
import { FieldError } from "@/components/ui/field-error";
import { OAUTH_SCOPES, type OAuthScope } from "@/lib/core/scopes";

const SCOPE_HELP: Record<OAuthScope, string> = {
  "workspace:developer": "Use the API in the workspace (inference, files, batches).",
  "workspace:inference": "Inference only.",
  "workspace:manage_tunnels": "Manage tunnels in the workspace.",
  "org:admin": "Administer the organization through the Admin API. Needs an admin service account.",
};

export function ScopeChoices<T extends FieldValues>({ form, name, errorId }: { form: UseFormReturn<T>; name: Path<T>; errorId: string }) {
  return (
    <fieldset aria-describedby={errorId}>
      <legend className="text-sm font-medium text-zinc-900">Scope</legend>
      <div className="mt-2 grid gap-3 sm:grid-cols-2">
        {OAUTH_SCOPES.map((scope) => (
          <Checkbox key={scope} id={`scope-${scope}`} value={scope} label={<span className="font-mono text-[13px]">{scope}</span>} description={SCOPE_HELP[scope]} {...form.register(name)} />
        ))}
      </div>
      <FieldError id={errorId} message={errorText(form.formState.errors, name)} />
    </fieldset>
  );
}
