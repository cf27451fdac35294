import type { Metadata } from "next";
import Link from "next/link";
import { formatDateTime, workspaceRoleLabel } from "@/components/resources/format";
import { StatusBadge } from "@/components/resources/status-badge";
import { ArchiveWorkspaceButton, WorkspaceForm } from "@/components/workspaces/workspace-form";
import { ColorDot } from "@/components/workspaces/workspace-list";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { Code, DescriptionList } from "@/components/ui/description-list";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { listServiceAccounts } from "@/lib/services/service-accounts";
import { getWorkspace, listWorkspaceMembers } from "@/lib/services/workspaces";
import { canEdit, pageContext } from "@/lib/console/auth";
import { orNotFound } from "@/lib/console/load";

export const metadata: Metadata = { title: "Workspace" };

export default async function WorkspacePage({ params }: { params: Promise<{ id: string }> }) {
  const ctx = await pageContext();
  const workspace = await orNotFound(getWorkspace(ctx, (await params).id));
  const [members, accounts] = await Promise.all([listWorkspaceMembers(ctx, workspace.id, { limit: "1000" }), listServiceAccounts(ctx, { limit: "1000", include_archived: "true" })]);
  const names = new Map(accounts.data.map((a) => [a.id, a.name]));
  const editable = canEdit(ctx.user) && !workspace.archived_at;
  return (
    <>
      <PageHeader
        title={
          <span className="flex items-center gap-2.5">
            <ColorDot color={workspace.display_color} />
            {workspace.name}
          </span>
        }
        back={{ href: "/workspaces", label: "Workspaces" }}
        meta={
          <>
            <StatusBadge archivedAt={workspace.archived_at} />
            {workspace.is_default && <Badge tone="brand">Default</Badge>}
          </>
        }
        actions={editable && !workspace.is_default && <ArchiveWorkspaceButton id={workspace.id} name={workspace.name} />}
      />
      <div className="space-y-6">
        <Card aria-labelledby="ws-details">
          <CardHeader id="ws-details" title="Details" />
          <DescriptionList
            items={[
              {
                label: "Workspace ID",
                value: (
                  <span className="flex flex-wrap items-center gap-2">
                    <Code>{workspace.id}</Code>
                    <CopyButton value={workspace.id} label="Copy ID" />
                  </span>
                ),
              },
              { label: "Created", value: formatDateTime(workspace.created_at) },
              ...(workspace.archived_at ? [{ label: "Archived", value: formatDateTime(workspace.archived_at) }] : []),
            ]}
          />
        </Card>

        {editable && (
          <Card aria-labelledby="ws-edit" className="max-w-2xl">
            <CardHeader id="ws-edit" title="Name and colour" />
            <CardContent>
              <WorkspaceForm workspace={workspace} />
            </CardContent>
          </Card>
        )}

        <Card aria-labelledby="ws-members">
          <CardHeader id="ws-members" title="Service accounts" description="Change memberships on a service account's page." />
          {members.data.length === 0 ? (
            <EmptyState title="No members" />
          ) : (
            <Table label="Service accounts in this workspace">
              <THead>
                <tr>
                  <TH>Service account</TH>
                  <TH>Role</TH>
                </tr>
              </THead>
              <TBody>
                {members.data.map((m) => (
                  <TR key={m.service_account_id}>
                    <TD>
                      <Link href={`/service-accounts/${m.service_account_id}`} className="font-medium text-brand-700 hover:underline">
                        {names.get(m.service_account_id) ?? m.service_account_id}
                      </Link>
                      {m.implicit && <span className="ml-2 text-xs text-zinc-600">implicit</span>}
                    </TD>
                    <TD>{workspaceRoleLabel(m.workspace_role)}</TD>
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
