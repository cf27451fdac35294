"use client";

import type { ReactNode } from "react";
import type { ConnectOptions } from "@/lib/console/connect-options";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Code, DescriptionList } from "@/components/ui/description-list";
import type { Advice } from "@/lib/insight/advisor";
import { OAUTH_SCOPES } from "@/lib/core/scopes";
import type { RuleMatch } from "@/lib/core/types";
import type { ProviderPreset } from "@/lib/providers";
import { AdviceList, adviceSummary } from "./advisor-panel";
import { MatchPreview } from "./rule-step";
import type { ConnectFormValues, StepId } from "./wizard-model";

function Part({ title, step, onEdit, children }: { title: string; step: StepId; onEdit: (step: StepId) => void; children: ReactNode }) {
  return (
    <section aria-label={title} className="rounded-md border border-zinc-200">
      <div className="flex items-center justify-between gap-2 border-b border-zinc-200 px-3 py-2">
        <h3 className="text-sm font-semibold text-zinc-900">{title}</h3>
        <Button size="sm" variant="ghost" onClick={() => onEdit(step)}>
          Change<span className="sr-only"> {title.toLowerCase()}</span>
        </Button>
      </div>
      {children}
    </section>
  );
}

const isNew = (b: boolean) => <Badge tone={b ? "brand" : "neutral"}>{b ? "will be created" : "existing"}</Badge>;

export function ReviewStep({
  preset,
  values,
  options,
  issuerUrl,
  match,
  advice,
  onEdit,
}: {
  preset: ProviderPreset;
  values: ConnectFormValues;
  options: ConnectOptions;
  issuerUrl: string;
  match: RuleMatch;
  /** Undefined until the server's advisor first answers. */
  advice: Advice[] | undefined;
  onEdit: (step: StepId) => void;
}) {
  const existingIssuer = options.issuers.find((i) => i.id === values.issuer.id);
  const existingAccount = options.serviceAccounts.find((s) => s.id === values.service_account.id);
  const serious = advice?.filter((a) => a.severity !== "info") ?? [];
  const workspace = values.rule.applies_to_all_workspaces ? "All workspaces" : (options.workspaces.find((w) => w.id === values.rule.workspace_id)?.name ?? values.rule.workspace_id);
  return (
    <div className="space-y-4">
      <p className="text-sm text-zinc-700">Nothing has been created yet. Create makes all three together, or none of them if anything is refused.</p>
      <Part title="Issuer" step="issuer" onEdit={onEdit}>
        <DescriptionList
          items={[
            { label: "Provider", value: preset.label },
            { label: "Issuer", value: <span className="flex flex-wrap items-center gap-2">{values.issuer.mode === "existing" ? existingIssuer?.name : values.issuer.name} {isNew(values.issuer.mode === "new")}</span> },
            { label: "URL", value: <Code>{issuerUrl}</Code> },
          ]}
        />
      </Part>
      <Part title="Service account" step="service_account" onEdit={onEdit}>
        <DescriptionList
          items={[
            {
              label: "Service account",
              value: (
                <span className="flex flex-wrap items-center gap-2">
                  {values.service_account.mode === "existing" ? existingAccount?.name : values.service_account.name} {isNew(values.service_account.mode === "new")}
                </span>
              ),
            },
            { label: "Role", value: values.service_account.mode === "existing" ? existingAccount?.role : values.service_account.organization_role },
          ]}
        />
      </Part>
      <Part title="Rule" step="rule" onEdit={onEdit}>
        <DescriptionList
          items={[
            { label: "Rule", value: <span className="flex flex-wrap items-center gap-2">{values.rule.name} {isNew(true)}</span> },
            { label: "Match", value: <MatchPreview match={match} defaultAudience={options.defaultAudience} publicUrl={options.publicUrl} /> },
            { label: "Scope", value: <Code>{OAUTH_SCOPES.filter((s) => values.rule.scopes.includes(s)).join(" ")}</Code> },
            { label: "Access token lifetime", value: `${values.rule.token_lifetime_seconds} s` },
            { label: "Workspace", value: workspace },
          ]}
        />
      </Part>
      <section aria-labelledby="review-advice" className="space-y-2">
        <h3 id="review-advice" className="text-sm font-semibold text-zinc-900">
          {advice ? adviceSummary(advice) : "The advisor is reading the rule…"}
        </h3>
        {serious.length > 0 && <AdviceList advice={serious} />}
      </section>
    </div>
  );
}
