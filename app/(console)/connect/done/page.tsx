import type { Metadata } from "next";
import type { ReactNode } from "react";
import { AdviceList, adviceSummary } from "@/components/connect/advisor-panel";
import { highlightSnippets } from "@/components/snippets/highlight";
import { SnippetViewer } from "@/components/snippets/snippet-viewer";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { EnvValues } from "@/components/snippets/env-values";
import { CardContent, SectionCard } from "@/components/ui/card";
import { Code, DescriptionList } from "@/components/ui/description-list";
import { PageHeader } from "@/components/ui/page-header";
import { TextLink } from "@/components/ui/text-link";
import { getIssuer } from "@/lib/services/issuers";
import { getRule } from "@/lib/services/rules";
import { getServiceAccount } from "@/lib/services/service-accounts";
import { pageContext } from "@/lib/console/auth";
import { orNotFound } from "@/lib/console/load";
import { adviseRule } from "@/lib/insight/advisor";
import { getProvider, isProviderId } from "@/lib/providers";
import { snippetInputsFromMatch } from "@/lib/providers/snippet-inputs";
import { getRuntime } from "@/lib/runtime";
import { buildSnippets } from "@/lib/snippets";

export const metadata: Metadata = { title: "Workload connected" };

/** One resource the setup made or reused: its name leading to its page, which of the two, and a detail. */
function Created({ href, name, isNew, detail }: { href: string; name: string; isNew: boolean; detail: ReactNode }) {
  return (
    <span className="flex flex-wrap items-center gap-2">
      <TextLink href={href}>{name}</TextLink>
      <Badge tone={isNew ? "green" : "neutral"}>{isNew ? "created" : "reused"}</Badge>
      {detail}
    </span>
  );
}

/** The guided setup's result: what was created, the values and snippets the workload needs, where to go next. */
export default async function ConnectDonePage({ searchParams }: { searchParams: Promise<{ rule?: string; provider?: string; created?: string }> }) {
  const ctx = await pageContext();
  const query = await searchParams;
  const rule = await orNotFound(getRule(ctx, query.rule ?? ""));
  const [issuer, account, runtime] = await Promise.all([getIssuer(ctx, rule.issuer_id), getServiceAccount(ctx, rule.target.service_account_id), getRuntime()]);
  const provider = isProviderId(query.provider) ? query.provider : "generic";
  const created = new Set((query.created ?? "").split(","));
  const audience = rule.match.audience ?? runtime.config.defaultAudience;
  const workspaceId = rule.applies_to_all_workspaces ? null : rule.workspace_id;

  const snippets = buildSnippets({
    provider,
    baseUrl: runtime.publicUrl,
    organizationId: runtime.organizationId,
    serviceAccountId: account.id,
    ruleId: rule.id,
    workspaceId,
    audience,
    scope: rule.oauth_scope,
    ...snippetInputsFromMatch(provider, rule.match),
  });
  const advice = adviseRule({
    issuerUrl: issuer.issuer_url,
    match: rule.match,
    oauthScope: rule.oauth_scope,
    tokenLifetimeSeconds: rule.token_lifetime_seconds,
    serviceAccountRole: account.organization_role,
    defaultAudience: runtime.config.defaultAudience,
  }).filter((a) => a.severity !== "info");

  const values: Array<[string, string]> = [
    ["ANTHROPIC_BASE_URL", runtime.publicUrl],
    ["ANTHROPIC_FEDERATION_RULE_ID", rule.id],
    ["ANTHROPIC_ORGANIZATION_ID", runtime.organizationId],
    ["ANTHROPIC_SERVICE_ACCOUNT_ID", account.id],
    ...(workspaceId ? ([["ANTHROPIC_WORKSPACE_ID", workspaceId]] as Array<[string, string]>) : []),
  ];

  return (
    <>
      <PageHeader title="Workload connected" back={{ href: "/connect", label: "Connect another workload" }} description={`${getProvider(provider).label} workloads matching the rule below can now exchange their identity token for an access token.`} />
      <div className="space-y-6">
        {snippets.warning && (
          <Alert tone="warning" title="Set this server's public URL before you paste anything">
            {snippets.warning}
          </Alert>
        )}
        <Alert tone="success" title="Everything was created">
          Give the workload the values below (the snippets already contain them), request the identity token with the audience <Code>{audience}</Code>, and make sure{" "}
          <Code>ANTHROPIC_API_KEY</Code> and <Code>ANTHROPIC_AUTH_TOKEN</Code> are not set: either wins over federation (an empty value counts as unset).
        </Alert>

        <SectionCard id="created-heading" title="What was set up">
          <DescriptionList
            items={[
              { label: "Issuer", value: <Created href={`/issuers/${issuer.id}`} name={issuer.name} isNew={created.has("issuer")} detail={<Code>{issuer.issuer_url}</Code>} /> },
              {
                label: "Service account",
                value: <Created href={`/service-accounts/${account.id}`} name={account.name} isNew={created.has("service_account")} detail={<span className="text-zinc-600">{account.organization_role}</span>} />,
              },
              { label: "Rule", value: <Created href={`/rules/${rule.id}`} name={rule.name} isNew detail={rule.match.subject_prefix && <Code>{rule.match.subject_prefix}</Code>} /> },
              { label: "Scope", value: <Code>{rule.oauth_scope}</Code> },
            ]}
          />
        </SectionCard>

        <SectionCard id="values-heading" title="The workload's environment" description="What the official SDKs read to exchange the token by themselves.">
          <EnvValues values={values} />
        </SectionCard>

        <SectionCard id="snippets-heading" title="Set up the workload" description="Files and code with this rule's values filled in.">
          <CardContent className="space-y-6">
            <SnippetViewer snippets={highlightSnippets([...snippets.files, snippets.env])} warning={snippets.warning} />
            <div className="space-y-2">
              <h3 className="text-sm font-semibold text-zinc-900">Call the API from code</h3>
              <SnippetViewer snippets={highlightSnippets(snippets.sdk)} warning={snippets.warning} />
            </div>
          </CardContent>
        </SectionCard>

        {advice.length > 0 && (
          <SectionCard id="advice-heading" title={adviceSummary(advice)} description="You can tighten the rule on its page at any time." padded>
            <AdviceList advice={advice} />
          </SectionCard>
        )}

        <SectionCard id="next-heading" title="Next">
          <CardContent className="flex flex-wrap gap-2">
            <ButtonLink href={`/tester?rule=${encodeURIComponent(rule.id)}`} variant="primary">
              Test a token against the rule
            </ButtonLink>
            <ButtonLink href={`/rules/${rule.id}`}>Open the rule</ButtonLink>
            <ButtonLink href="/history">Authentication history</ButtonLink>
          </CardContent>
        </SectionCard>
      </div>
    </>
  );
}
