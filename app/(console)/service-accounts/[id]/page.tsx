import type { Metadata } from "next";
import { ruleColumn, scopeColumn } from "@/components/resources/columns";
import { lifecycleItems } from "@/components/resources/format";
import { ArchiveButton } from "@/components/resources/archive-button";
import { StatusBadge } from "@/components/resources/status-badge";
import { Memberships } from "@/components/service-accounts/memberships";
import { RoleBadge } from "@/components/service-accounts/role-badge";
import { ButtonLink } from "@/components/ui/button";
import { SectionCard } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { CopyableCode, DescriptionList } from "@/components/ui/description-list";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { listRules } from "@/lib/services/rules";
import { getServiceAccount, listServiceAccountWorkspaces } from "@/lib/services/service-accounts";
import { listWorkspaces } from "@/lib/services/workspaces";
import { canEdit, pageContext } from "@/lib/console/auth";
import { orNotFound } from "@/lib/console/load";

export const metadata: Metadata = { title: "Service account" };

export default async function ServiceAccountPage({ params }: { params: Promise<{ id: string }> }) {
  const ctx = await pageContext();
  const account = await orNotFound(getServiceAccount(ctx, (await params).id));
  const [memberships, workspaces, rules] = await Promise.all([
    listServiceAccountWorkspaces(ctx, account.id, { limit: "1000" }),
    listWorkspaces(ctx, { include_default: "true", limit: "1000" }),
    listRules(ctx, { limit: "1000" }),
  ]);
  const targeting = rules.data.filter((r) => r.target.service_account_id === account.id);
  const editable = canEdit(ctx.user) && !account.archived_at;

  return (
    <>
      <PageHeader
        title={account.name}
        back={{ href: "/service-accounts", label: "Service accounts" }}
        meta={
          <>
            <StatusBadge archivedAt={account.archived_at} />
            <RoleBadge role={account.organization_role} />
          </>
        }
        actions={
          editable && (
            <>
              <ButtonLink href={`/service-accounts/${account.id}/edit`}>Edit</ButtonLink>
              <ArchiveButton resource="serviceAccount" id={account.id} name={account.name} />
            </>
          )
        }
      />
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
