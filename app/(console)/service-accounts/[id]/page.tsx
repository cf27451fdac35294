import type { Metadata } from "next";
import Link from "next/link";
import { formatDateTime } from "@/components/resources/format";
import { StatusBadge } from "@/components/resources/status-badge";
import { ArchiveServiceAccountButton } from "@/components/service-accounts/archive-button";
import { Memberships } from "@/components/service-accounts/memberships";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { Code, DescriptionList } from "@/components/ui/description-list";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
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
            <Badge tone={account.organization_role === "admin" ? "brand" : "neutral"} className="capitalize">
              {account.organization_role}
            </Badge>
          </>
        }
        actions={
          editable && (
            <>
              <ButtonLink href={`/service-accounts/${account.id}/edit`}>Edit</ButtonLink>
              <ArchiveServiceAccountButton id={account.id} name={account.name} />
            </>
          )
        }
      />
      <div className="space-y-6">
        <Card aria-labelledby="sa-details">
          <CardHeader id="sa-details" title="Details" />
          <DescriptionList
            items={[
              {
                label: "Service account ID",
                value: (
                  <span className="flex flex-wrap items-center gap-2">
                    <Code>{account.id}</Code>
                    <CopyButton value={account.id} label="Copy ID" />
                  </span>
                ),
              },
              { label: "Description", value: account.description || "—" },
              { label: "Organization role", value: <span className="capitalize">{account.organization_role}</span> },
              { label: "Created", value: formatDateTime(account.created_at) },
              { label: "Updated", value: formatDateTime(account.updated_at) },
              ...(account.archived_at ? [{ label: "Archived", value: formatDateTime(account.archived_at) }] : []),
            ]}
          />
        </Card>

        <Card aria-labelledby="sa-workspaces">
          <CardHeader id="sa-workspaces" title="Workspace memberships" description="Where this service account's tokens may be used. Every service account can use the default workspace." />
          <Memberships accountId={account.id} memberships={memberships.data} workspaces={workspaces.data.map((w) => ({ id: w.id, name: w.name }))} editable={editable} />
        </Card>

        <Card aria-labelledby="sa-rules">
          <CardHeader id="sa-rules" title="Live rules targeting this account" />
          {targeting.length === 0 ? (
            <EmptyState title="No rules yet">Workloads get tokens for this account through a rule.</EmptyState>
          ) : (
            <Table label="Rules targeting this service account">
              <THead>
                <tr>
                  <TH>Rule</TH>
                  <TH>Issuer</TH>
                  <TH className="hidden sm:table-cell">Scope</TH>
                </tr>
              </THead>
              <TBody>
                {targeting.map((r) => (
                  <TR key={r.id}>
                    <TD>
                      <Link href={`/rules/${r.id}`} className="font-medium text-brand-700 hover:underline">
                        {r.name}
                      </Link>
                    </TD>
                    <TD>{r.issuer_name ?? r.issuer_id}</TD>
                    <TD className="hidden sm:table-cell">{r.oauth_scope}</TD>
                  </TR>
                ))}
              </TBody>
            </Table>
          )}
        </Card>
      </div>
    </>
  );
}
