"use client";

import type { ReactNode } from "react";
import type { UseFormReturn } from "react-hook-form";
import { InputField, SelectField } from "@/components/forms/fields";
import { errorText } from "@/components/forms/error-text";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Code } from "@/components/ui/description-list";
import { FieldError } from "@/components/ui/field-error";
import type { Advice } from "@/lib/insight/advisor";
import type { SubjectExamples } from "@/lib/insight/subject-examples";
import type { RuleMatch } from "@/lib/core/types";
import type { ProviderPreset } from "@/lib/providers";
import { AdvisorPanel } from "./advisor-panel";
import { PresetFields } from "./preset-fields";
import type { ConnectFormValues } from "./wizard-model";
import type { ConnectOptions } from "@/lib/console/connect-options";
import { audienceHint } from "@/components/rules/audience-hint";
import { MatchFields } from "@/components/rules/match-fields";
import { ScopeChoices } from "@/components/rules/scope-choices";

/** The match the rule will have, field by field. */
export function MatchPreview({ match, defaultAudience, publicUrl }: { match: RuleMatch; defaultAudience: string; publicUrl?: string }) {
  const rows: Array<[string, ReactNode]> = [
    ["subject_prefix", match.subject_prefix ? <Code>{match.subject_prefix}</Code> : <span className="text-zinc-600">any subject</span>],
    [
      "audience",
      match.audience ? (
        <span>
          <Code>{match.audience}</Code>
          {match.audience === publicUrl && <span className="text-zinc-600"> (this server: a token requested for it works nowhere else; change it under Advanced)</span>}
        </span>
      ) : (
        <span>
          <Code>{defaultAudience}</Code> <span className="text-zinc-600">(server default)</span>
        </span>
      ),
    ],
  ];
  for (const [k, v] of Object.entries(match.claims ?? {})) rows.push([`claims.${k}`, <Code key={k}>{v}</Code>]);
  if (match.condition) rows.push(["condition", <Code key="condition">{match.condition}</Code>]);
  return (
    <dl className="divide-y divide-zinc-200 rounded-md border border-zinc-200 bg-zinc-50 text-sm" aria-label="Resulting match">
      {rows.map(([k, v]) => (
        <div key={k} className="grid gap-0.5 px-3 py-2 sm:grid-cols-[9rem_1fr] sm:gap-3">
          <dt className="font-mono text-[12.5px] text-zinc-600">{k}</dt>
          <dd className="min-w-0 break-words">{v}</dd>
        </div>
      ))}
    </dl>
  );
}

export function RuleStep({
  form,
  preset,
  values,
  options,
  match,
  advice,
  examples,
  adviceProblem,
  onAdvanced,
}: {
  form: UseFormReturn<ConnectFormValues>;
  preset: ProviderPreset;
  values: ConnectFormValues;
  options: ConnectOptions;
  /** Null until the required questions are answered. */
  match: RuleMatch | null;
  /** Undefined until the server's advisor first answers. */
  advice: Advice[] | undefined;
  examples: SubjectExamples | undefined;
  adviceProblem: string | undefined;
  onAdvanced: (on: boolean) => void;
}) {
  const errors = form.formState.errors;
  const r = values.rule;

  return (
    // On phones the advisor follows the match it is about; on wide screens it stays beside the form.
    <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_minmax(0,24rem)] lg:grid-rows-[auto_1fr]">
      <section aria-labelledby="who-heading" className="min-w-0 space-y-4 lg:col-start-1 lg:row-start-1">
        <h3 id="who-heading" className="text-[15px] font-semibold text-zinc-900">
          Which {preset.label} identities
        </h3>
        {!r.advanced && <PresetFields form={form} fields={preset.fields} values={values.answers} />}

        <div className="space-y-2">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <p className="text-sm font-medium text-zinc-900">{r.advanced ? "Match (edited by hand)" : "Resulting match"}</p>
            <Button size="sm" variant="ghost" aria-expanded={r.advanced} aria-controls="advanced-match" onClick={() => onAdvanced(!r.advanced)}>
              {r.advanced ? `Back to the ${preset.label} questions` : "Advanced: edit the match"}
            </Button>
          </div>
          {!r.advanced &&
            (match ? (
              <MatchPreview match={match} defaultAudience={options.defaultAudience} publicUrl={options.publicUrl} />
            ) : (
              <p className="rounded-md border border-dashed border-zinc-300 px-3 py-2 text-sm text-zinc-600">The match appears here once the required questions above are answered.</p>
            ))}
          <FieldError id="rule-match-error" message={errorText(errors, "rule.match")} />
        </div>

        {r.advanced && (
          <div id="advanced-match" className="space-y-5 rounded-md border border-zinc-200 p-3 sm:p-4">
            <MatchFields
              form={form}
              names={{ subject: "rule.subject_prefix", audience: "rule.audience", claims: "rule.claim_rows", condition: "rule.condition" }}
              idPrefix="rule-"
              audienceHint={audienceHint(options.defaultAudience, options.publicUrl)}
            />
          </div>
        )}

        <details className="rounded-md border border-zinc-200 px-3 py-2 text-sm">
          <summary className="cursor-pointer font-medium text-zinc-900">Known pitfalls with {preset.label}</summary>
          <ul className="mt-2 list-disc space-y-1 pl-5 text-[13px] text-zinc-700">
            {preset.pitfalls.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </details>
      </section>

      <aside className="min-w-0 lg:sticky lg:top-4 lg:col-start-2 lg:row-span-2 lg:row-start-1 lg:self-start">
        <div className="rounded-lg border border-zinc-200 bg-zinc-50/60 p-3 sm:p-4">
          <AdvisorPanel advice={advice} examples={examples} problem={adviceProblem} live headingLevel={3} />
        </div>
      </aside>

      <section aria-labelledby="grant-heading" className="min-w-0 space-y-5 border-t border-zinc-200 pt-5 lg:col-start-1 lg:row-start-2">
        <h3 id="grant-heading" className="text-[15px] font-semibold text-zinc-900">
          What they get
        </h3>
        <ScopeChoices form={form} name="rule.scopes" errorId="rule-scopes-error" />
        <div className="grid gap-5 sm:grid-cols-2">
          <InputField form={form} name="rule.token_lifetime_seconds" id="rule-lifetime" label="Access token lifetime (seconds)" hint="60 to 86400; the SDKs refresh on their own." type="number" inputMode="numeric" min={60} max={86400} />
          {!r.applies_to_all_workspaces && (
            <SelectField form={form} name="rule.workspace_id" id="rule-workspace" label="Workspace" options={options.workspaces.map((w) => ({ value: w.id, label: w.name }))} />
          )}
        </div>
        <Checkbox
          id="rule-all-workspaces"
          label="All workspaces"
          description="The client names the workspace when it exchanges; any the service account belongs to."
          {...form.register("rule.applies_to_all_workspaces")}
        />
        <div className="grid gap-5 sm:grid-cols-2">
          <InputField form={form} name="rule.name" id="rule-name" label="Rule name" hint="Lowercase letters, digits and hyphens." autoComplete="off" spellCheck={false} />
          <InputField form={form} name="rule.description" id="rule-description" label="Description" optional />
        </div>
      </section>
    </div>
  );
}
