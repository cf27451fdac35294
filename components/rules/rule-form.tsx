"use client";

import type { ReactNode } from "react";
import { useForm } from "react-hook-form";
import { createRuleAction, updateRuleAction } from "@/lib/console/actions/rules";
import { useOpenPage } from "@/components/forms/use-open-page";
import { fieldMap, showActionError } from "@/components/forms/action-errors";
import { AdvisorPanel } from "@/components/connect/advisor-panel";
import { FormActions } from "@/components/forms/form-actions";
import { InputField, SelectField } from "@/components/forms/fields";
import { errorText, formErrorText } from "@/components/forms/error-text";
import { audienceHint } from "./audience-hint";
import { DangerConfirm, useDangerGuard } from "./danger-confirm";
import { MatchFields } from "./match-fields";
import { ScopeChoices } from "./scope-choices";
import { useServerResolver } from "@/components/forms/server-resolver";
import { FormError } from "@/components/ui/alert";
import { Checkbox } from "@/components/ui/checkbox";
import { FieldError } from "@/components/ui/field-error";
import type { RuleDto } from "@/lib/services/dto";
import type { Option } from "@/lib/console/rule-form-options";
import { OAUTH_SCOPES } from "@/lib/core/scopes";
import { useRuleAdvice, type RuleDraft } from "./use-rule-advice";

interface RuleFormValues {
  name: string;
  description: string;
  issuer_id: string;
  match: { subject_prefix: string; audience: string; condition: string };
  claim_rows: Array<{ key: string; value: string }>;
  service_account_id: string;
  scopes: string[];
  token_lifetime_seconds: string;
  workspace_id: string;
  applies_to_all_workspaces: boolean;
}

function claimsOf(rows: RuleFormValues["claim_rows"]): Record<string, string> | null {
  const entries = rows.filter((r) => r.key.trim() !== "" || r.value !== "").map((r) => [r.key.trim(), r.value] as const);
  return entries.length ? Object.fromEntries(entries) : null;
}

/** An option with its detail (an issuer's URL, a service account's role) in brackets. */
const withDetail = (o: Option) => ({ value: o.id, label: o.detail ? `${o.name} (${o.detail})` : o.name });

const orNull = (s: string) => (s.trim() === "" ? null : s);

function matchOf(v: RuleFormValues) {
  return { subject_prefix: orNull(v.match.subject_prefix), audience: orNull(v.match.audience), claims: claimsOf(v.claim_rows), condition: orNull(v.match.condition) };
}

const common = (v: RuleFormValues) => ({
  name: v.name,
  description: v.description.trim() || null,
  match: matchOf(v),
  target: { type: "service_account" as const, service_account_id: v.service_account_id },
  oauth_scope: OAUTH_SCOPES.filter((s) => v.scopes.includes(s)).join(" "),
  token_lifetime_seconds: v.token_lifetime_seconds.trim() === "" ? Number.NaN : Number(v.token_lifetime_seconds),
  applies_to_all_workspaces: v.applies_to_all_workspaces,
});

const toCreateInput = (v: RuleFormValues) => ({
  ...common(v),
  issuer_id: v.issuer_id,
  workspace_id: v.applies_to_all_workspaces ? null : v.workspace_id || null,
});

/** Workspaces of an existing rule are managed on its page; the edit form leaves them alone. */
const toUpdateInput = (v: RuleFormValues) => common(v);

const FIELDS = fieldMap(
  ["name", "description", "issuer_id", "match.subject_prefix", "match.audience", "match.condition", "claim_rows", "service_account_id", "scopes", "token_lifetime_seconds", "workspace_id", "applies_to_all_workspaces"],
  { "match.claims": "claim_rows", match: "match_rules", target: "service_account_id", "target.service_account_id": "service_account_id", oauth_scope: "scopes" },
);

function defaults(rule: RuleDto | undefined, issuerId: string | undefined, serviceAccountId: string | undefined, workspaceId: string | undefined, newRuleAudience: string): RuleFormValues {
  return {
    name: rule?.name ?? "",
    description: rule?.description ?? "",
    issuer_id: rule?.issuer_id ?? issuerId ?? "",
    match: { subject_prefix: rule?.match.subject_prefix ?? "", audience: rule ? (rule.match.audience ?? "") : newRuleAudience, condition: rule?.match.condition ?? "" },
    claim_rows: Object.entries(rule?.match.claims ?? {}).map(([key, value]) => ({ key, value })),
    service_account_id: rule?.target.service_account_id ?? serviceAccountId ?? "",
    scopes: rule ? rule.oauth_scope.split(" ") : ["workspace:developer"],
    token_lifetime_seconds: String(rule?.token_lifetime_seconds ?? 3600),
    workspace_id: workspaceId ?? "default",
    applies_to_all_workspaces: rule?.applies_to_all_workspaces ?? false,
  };
}

/** One part of the form: a fieldset with its legend, separated from the previous part by a rule. */
function Section({ title, description, describedBy, first, children }: { title: string; description?: string; describedBy?: string; first?: boolean; children: ReactNode }) {
  return (
    <div className={first ? undefined : "border-t border-zinc-200 pt-6"}>
      <fieldset aria-describedby={describedBy}>
        <legend className="text-[15px] font-semibold text-zinc-900">{title}</legend>
        {description && <p className="mt-1 text-sm text-zinc-600">{description}</p>}
        <div className="mt-4 space-y-5">{children}</div>
      </fieldset>
    </div>
  );
}

/** A claim row with a value but no name cannot become a `{name: value}` entry. */
function claimRowChecks(v: RuleFormValues): Array<[string, string]> {
  const i = v.claim_rows.findIndex((r) => r.key.trim() === "" && r.value !== "");
  return i === -1 ? [] : [["claim_rows", `Claim ${i + 1} needs a name`]];
}

export function RuleForm({
  rule,
  issuers,
  serviceAccounts,
  workspaces,
  defaultAudience,
  newRuleAudience = "",
  preselect,
}: {
  rule?: RuleDto;
  issuers: Option[];
  serviceAccounts: Option[];
  workspaces: Option[];
  defaultAudience: string;
  /** What a new rule's audience starts as: this server's public URL. */
  newRuleAudience?: string;
  preselect?: { issuerId?: string | undefined; serviceAccountId?: string | undefined };
}) {
  const openPage = useOpenPage();
  const editing = !!rule;
  const form = useForm<RuleFormValues>({
    defaultValues: defaults(rule, preselect?.issuerId ?? issuers[0]?.id, preselect?.serviceAccountId ?? serviceAccounts[0]?.id, workspaces[0]?.id, newRuleAudience),
    resolver: useServerResolver(editing ? "rule.update" : "rule.create", FIELDS, { toInput: editing ? toUpdateInput : toCreateInput, formChecks: claimRowChecks }),
  });
  const { errors, isSubmitting } = form.formState;
  const allWorkspaces = form.watch("applies_to_all_workspaces");
  // The advisor re-reads the rule as it is typed. Option details are the issuer URL and the service account's role (rules/options.ts).
  const draftOf = (v: RuleFormValues): RuleDraft => {
    const role = serviceAccounts.find((s) => s.id === v.service_account_id)?.detail;
    return {
      issuerUrl: issuers.find((i) => i.id === (rule?.issuer_id ?? v.issuer_id))?.detail ?? "",
      match: matchOf(v),
      oauthScope: v.scopes.join(" "),
      tokenLifetimeSeconds: Number(v.token_lifetime_seconds) || 0,
      serviceAccountRole: role === "admin" || role === "developer" ? role : null,
    };
  };
  const advisor = useRuleAdvice(draftOf(form.watch()));

  const save = async (values: RuleFormValues) => {
    const result = editing ? await updateRuleAction(rule.id, toUpdateInput(values)) : await createRuleAction(toCreateInput(values));
    if (!result.ok) return showActionError(form, result.error, FIELDS);
    openPage(`/rules/${result.data.id}`);
  };
  // A danger finding stops the save until the user confirms it, by name.
  const danger = useDangerGuard((v: RuleFormValues) => advisor.adviceFor(draftOf(v)), save, (message) => form.setError("root.server", { type: "server", message }));
  const onSubmit = form.handleSubmit(danger.guard);


  return (
    <form onSubmit={onSubmit} noValidate className="space-y-6">
      <FormError message={formErrorText(errors)} />
      <DangerConfirm {...danger.dialog} verb={editing ? "Save" : "Create"} />

      <Section title="Rule" first>
        <div className="grid gap-5 sm:grid-cols-2">
          <InputField form={form} name="name" id="name" label="Name" hint="Lowercase letters, digits and hyphens, e.g. deploy-main." autoComplete="off" spellCheck={false} />
          {editing ? (
            <div className="space-y-1.5">
              <p className="text-sm font-medium text-zinc-900">Issuer</p>
              <p className="flex h-9 items-center text-sm text-zinc-700">{rule.issuer_name ?? rule.issuer_id} (cannot change)</p>
            </div>
          ) : (
            <SelectField form={form} name="issuer_id" id="issuer_id" label="Issuer" options={issuers.map(withDetail)}>
              {issuers.length === 0 && <option value="">No live issuers: create one first</option>}
            </SelectField>
          )}
        </div>
        <InputField form={form} name="description" id="description" label="Description" optional />
      </Section>

      <Section title="Which identities match" description="Every field you fill must match. Give at least a subject, a claim or a condition." describedBy="match_rules-error">
        <FieldError id="match_rules-error" message={errorText(errors, "match_rules")} />
        <MatchFields
          form={form}
          names={{ subject: "match.subject_prefix", audience: "match.audience", claims: "claim_rows", condition: "match.condition" }}
          idPrefix=""
          audienceHint={audienceHint(defaultAudience, newRuleAudience)}
          subjectPlaceholder="repo:acme/api:ref:refs/heads/main"
        />
      </Section>

      <div className="rounded-lg border border-zinc-200 bg-zinc-50/60 p-3 sm:p-4">
        <AdvisorPanel advice={advisor.advice} examples={advisor.examples} problem={advisor.problem} live headingLevel={3} />
      </div>

      <Section title="What they get">
        <div className="grid gap-5 sm:grid-cols-2">
          <SelectField form={form} name="service_account_id" id="service_account_id" label="Service account" options={serviceAccounts.map(withDetail)}>
            {serviceAccounts.length === 0 && <option value="">No live service accounts: create one first</option>}
          </SelectField>
          <InputField form={form} name="token_lifetime_seconds" id="token_lifetime_seconds" label="Access token lifetime (seconds)" hint="60 to 86400. Also capped at twice the presented token's remaining validity." type="number" inputMode="numeric" min={60} max={86400} />
        </div>
        <ScopeChoices form={form} name="scopes" errorId="scopes-error" />
      </Section>

      <Section title="Where">
        <Checkbox
          id="applies_to_all_workspaces"
          label="All workspaces"
          description="The token may be requested for any workspace the service account belongs to; the client then names one."
          {...form.register("applies_to_all_workspaces")}
        />
        <FieldError id="applies_to_all_workspaces-error" message={errorText(errors, "applies_to_all_workspaces")} />
        {!editing && !allWorkspaces && (
          <SelectField form={form} name="workspace_id" id="workspace_id" label="Workspace" hint="You can enable more workspaces on the rule's page." options={workspaces.map((w) => ({ value: w.id, label: w.name }))} />
        )}
        {editing && !allWorkspaces && <p className="text-sm text-zinc-600">The workspaces this rule covers are listed on its page.</p>}
      </Section>

      <FormActions submitting={isSubmitting || danger.saving} submitLabel={editing ? "Save changes" : "Create rule"} cancelHref={editing ? `/rules/${rule.id}` : "/rules"} />
    </form>
  );
}
