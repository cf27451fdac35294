import type { Metadata } from "next";
import { ResourceHeader } from "@/components/resources/resource-header";
import { ButtonLink } from "@/components/ui/button";
import { ruleColumn, scopeColumn } from "@/components/resources/columns";
import { lifecycleItems } from "@/components/resources/format";
import { Memberships } from "@/components/service-accounts/memberships";
import { RoleBadge } from "@/components/service-accounts/role-badge";
import { SectionCard } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { CopyableCode, DescriptionList } from "@/components/ui/description-list";
import { EmptyState } from "@/components/ui/empty-state";
import { count } from "@/components/gateway/request-format";
import { RequestList } from "@/components/gateway/request-list";
import { UsageCharts } from "@/components/gateway/usage-charts";
import { CardContent } from "@/components/ui/card";
import { listGatewayRequests, summarizeGatewayUsageOverTime } from "@/lib/services/gateway-requests";
import { listRules } from "@/lib/services/rules";
import { getServiceAccount, listServiceAccountWorkspaces } from "@/lib/services/service-accounts";
import { listWorkspaces } from "@/lib/services/workspaces";
import { canEdit, pageContext } from "@/lib/console/auth";
import { orNotFound } from "@/lib/console/load";

export const metadata: Metadata = { title: "Service account" };

/** How far back the account's usage chart looks. */
const RECENT_DAYS = 7;

export default async function ServiceAccountPage({ params }: { params: Promise<{ id: string }> }) {
  const ctx = await pageContext();
  const account = await orNotFound(getServiceAccount(ctx, (await params).id));
  const recent = { service_account_id: account.id, since: new Date(Date.now() - RECENT_DAYS * 86_400_000).toISOString() };
  const [memberships, workspaces, rules, requests, usage] = await Promise.all([
    listServiceAccountWorkspaces(ctx, account.id, { limit: "1000" }),
    listWorkspaces(ctx, { include_default: "true", limit: "1000" }),
    listRules(ctx, { limit: "1000" }),
    listGatewayRequests(ctx, { service_account_id: account.id, limit: "10" }),
    summarizeGatewayUsageOverTime(ctx, { ...recent, series_by: "model" }),
  ]);
  const targeting = rules.data.filter((r) => r.target.service_account_id === account.id);
  const editable = canEdit(ctx.user) && !account.archived_at;

  return (
    <>
      <ResourceHeader row={account} list={{ href: "/service-accounts", label: "Service accounts" }} archive="serviceAccount" editable={editable} badges={<RoleBadge role={account.organization_role} />} />
      <div className="space-y-6">
        <SectionCard id="sa-details" title="Details">
          <DescriptionList
            items={[
              { label: "Service account ID", value: <CopyableCode value={account.id} label="Copy ID" /> },
              { label: "Description", value: account.description || "—" },
              { label: "Organization role", value: <span className="capitalize">{account.organization_role}</span> },
              ...lifecycleItems(account),
            ]}
          />
        </SectionCard>

        <SectionCard id="sa-workspaces" title="Workspace memberships" description="Where this service account's tokens may be used. Every service account can use the default workspace.">
          <Memberships accountId={account.id} memberships={memberships.data} workspaces={workspaces.data.map((w) => ({ id: w.id, name: w.name }))} editable={editable} />
        </SectionCard>

        <SectionCard
          id="sa-requests"
          title="Claude API requests"
          description={`Through the gateway with this account's tokens: ${count(usage.totals.requests, "request")} and ${count(usage.totals.tokens, "token")} in the last ${RECENT_DAYS} days.`}
          actions={<ButtonLink href={`/requests?${new URLSearchParams({ service_account_id: account.id })}`} size="sm">All its requests</ButtonLink>}
        >
          <CardContent>
            <UsageCharts byModel={usage} compact />
          </CardContent>
          {requests.data.length > 0 && <RequestList initial={requests} filters={{ service_account_id: account.id }} version={ctx.requestId ?? ""} />}
        </SectionCard>

        <SectionCard id="sa-rules" title="Live rules targeting this account">
          {targeting.length === 0 ? (
            <EmptyState title="No rules yet">Workloads get tokens for this account through a rule.</EmptyState>
          ) : (
            <DataTable label="Rules targeting this service account" rows={targeting} rowKey={(r) => r.id} columns={[ruleColumn, { header: "Issuer", cell: (r) => r.issuer_name ?? r.issuer_id }, scopeColumn]} />
          )}
        </SectionCard>
      </div>
    </>
  );
}
