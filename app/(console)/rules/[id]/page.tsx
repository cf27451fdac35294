import type { Metadata } from "next";
import { ResourceHeader } from "@/components/resources/resource-header";
import { AdvisorPanel } from "@/components/connect/advisor-panel";
import { formatDateTime, formatSeconds } from "@/components/resources/format";
import { RuleWorkspaces } from "@/components/rules/rule-workspaces";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { EnvValues } from "@/components/snippets/env-values";
import { Card, CardContent, SectionCard } from "@/components/ui/card";
import { Code, DescriptionList } from "@/components/ui/description-list";
import { TextLink } from "@/components/ui/text-link";
import { getIssuer } from "@/lib/services/issuers";
import { getRule, listRuleWorkspaces } from "@/lib/services/rules";
import { getServiceAccount } from "@/lib/services/service-accounts";
import { listWorkspaces } from "@/lib/services/workspaces";
import { canEdit, pageContext } from "@/lib/console/auth";
import { orNotFound } from "@/lib/console/load";
import { adviseRule } from "@/lib/insight/advisor";
import { getRuntime } from "@/lib/runtime";

export const metadata: Metadata = { title: "Rule" };

export default async function RulePage({ params }: { params: Promise<{ id: string }> }) {
  const ctx = await pageContext();
  const rule = await orNotFound(getRule(ctx, (await params).id));
  const [enabled, workspaces, runtime, issuer, account] = await Promise.all([
    listRuleWorkspaces(ctx, rule.id, { limit: "1000" }),
    listWorkspaces(ctx, { include_default: "true", limit: "1000" }),
    getRuntime(),
    getIssuer(ctx, rule.issuer_id),
    getServiceAccount(ctx, rule.target.service_account_id),
  ]);
  const editable = canEdit(ctx.user) && !rule.archived_at;
  const m = rule.match;

  return (
    <>
      <ResourceHeader
        row={rule}
        list={{ href: "/rules", label: "Rules" }}
        archive="rule"
        editable={editable}
        description={rule.description || undefined}
        badges={rule.oauth_scope.split(" ").map((s) => (
          <Badge key={s} tone="blue">
            {s}
          </Badge>
        ))}
        actions={!rule.archived_at && <ButtonLink href={`/tester?rule=${rule.id}`}>Test a token</ButtonLink>}
      />
      <div className="space-y-6">
        {rule.archived_at && <Alert tone="info">This rule was archived on {formatDateTime(rule.archived_at)}; it no longer grants tokens.</Alert>}

        <SectionCard id="rule-match" title="Match" description="A presented token must pass every field that is set.">
          <DescriptionList
            items={[
              {
                label: "Subject (sub)",
                value: m.subject_prefix ? (
                  <span>
                    <Code>{m.subject_prefix}</Code>{" "}
                    <span className="text-zinc-600">{m.subject_prefix.endsWith("*") ? "prefix match" : "exact match"}</span>
                  </span>
                ) : (
                  "Any"
                ),
              },
              {
                label: "Audience (aud)",
                value: m.audience ? (
                  <Code>{m.audience}</Code>
                ) : (
                  <span>
                    <Code>{runtime.config.defaultAudience}</Code> <span className="text-zinc-600">(default)</span>
                  </span>
                ),
              },
              {
                label: "Claims",
                value: m.claims ? (
                  <ul className="space-y-1">
                    {Object.entries(m.claims).map(([k, v]) => (
                      <li key={k}>
                        <Code>{k}</Code> = <Code>{v}</Code>
                      </li>
                    ))}
                  </ul>
                ) : (
                  "None"
                ),
              },
              { label: "Condition (CEL)", value: m.condition ? <pre className="overflow-x-auto rounded bg-zinc-100 p-2 font-mono text-[12.5px] whitespace-pre-wrap">{m.condition}</pre> : "None" },
            ]}
          />
        </SectionCard>

        <Card>
          <CardContent>
            <AdvisorPanel
              advice={adviseRule({
                issuerUrl: issuer.issuer_url,
                match: m,
                oauthScope: rule.oauth_scope,
                tokenLifetimeSeconds: rule.token_lifetime_seconds,
                serviceAccountRole: account.organization_role,
                defaultAudience: runtime.config.defaultAudience,
              })}
            />
          </CardContent>
        </Card>

        <SectionCard id="rule-grants" title="Grants">
          <DescriptionList
            items={[
              { label: "Issuer", value: <TextLink href={`/issuers/${rule.issuer_id}`}>{rule.issuer_name ?? rule.issuer_id}</TextLink> },
              {
                label: "Service account",
                value: <TextLink href={`/service-accounts/${rule.target.service_account_id}`}>{rule.target.service_account_name ?? rule.target.service_account_id}</TextLink>,
              },
              { label: "Scope", value: <Code>{rule.oauth_scope}</Code> },
              { label: "Access token lifetime", value: `${formatSeconds(rule.token_lifetime_seconds)} (${rule.token_lifetime_seconds} s)` },
              { label: "Workspaces", value: rule.applies_to_all_workspaces ? "All workspaces the service account belongs to" : "Those listed below" },
              { label: "Created", value: formatDateTime(rule.created_at) },
              { label: "Updated", value: formatDateTime(rule.updated_at) },
            ]}
          />
        </SectionCard>

        <SectionCard
          id="rule-workspaces"
          title="Workspaces"
          description={rule.applies_to_all_workspaces ? "The rule applies to all workspaces; the ones listed here are also enabled explicitly." : "Tokens can be requested for these workspaces only."}
        >
          <RuleWorkspaces ruleId={rule.id} enabled={enabled.data} workspaces={workspaces.data.map((w) => ({ id: w.id, name: w.name }))} editable={editable} />
        </SectionCard>

        <SectionCard id="rule-use" title="Use this rule" description="A workload needs these values (with its identity token) to exchange.">
          <EnvValues
            values={[
              ["ANTHROPIC_FEDERATION_RULE_ID", rule.id],
              ["ANTHROPIC_ORGANIZATION_ID", runtime.organizationId],
              ["ANTHROPIC_SERVICE_ACCOUNT_ID", rule.target.service_account_id],
            ]}
          />
        </SectionCard>
      </div>
    </>
  );
}
