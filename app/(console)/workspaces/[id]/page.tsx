import type { Metadata } from "next";
import { ResourceHeader } from "@/components/resources/resource-header";
import { lifecycleItems, workspaceRoleLabel } from "@/components/resources/format";
import { WorkspaceForm } from "@/components/workspaces/workspace-form";
import { ColorDot } from "@/components/workspaces/workspace-list";
import { Badge } from "@/components/ui/badge";
import { SectionCard } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { CopyableCode, DescriptionList } from "@/components/ui/description-list";
import { EmptyState } from "@/components/ui/empty-state";
import { TextLink } from "@/components/ui/text-link";
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
      <ResourceHeader
        row={workspace}
        list={{ href: "/workspaces", label: "Workspaces" }}
        archive="workspace"
        editable={editable && !workspace.is_default}
        hasEditPage={false}
        title={
          <span className="flex items-center gap-2.5">
            <ColorDot color={workspace.display_color} />
            {workspace.name}
          </span>
        }
        badges={workspace.is_default && <Badge tone="brand">Default</Badge>}
      />
      <div className="space-y-6">
        <SectionCard id="ws-details" title="Details">
          <DescriptionList items={[{ label: "Workspace ID", value: <CopyableCode value={workspace.id} label="Copy ID" /> }, ...lifecycleItems(workspace)]} />
        </SectionCard>

        {editable && (
          <SectionCard id="ws-edit" title="Name and colour" className="max-w-2xl" padded>
            <WorkspaceForm workspace={workspace} />
          </SectionCard>
        )}

        <SectionCard id="ws-members" title="Service accounts" description="Change memberships on a service account's page.">
          {members.data.length === 0 ? (
            <EmptyState title="No members" />
          ) : (
            <DataTable
              label="Service accounts in this workspace"
              rows={members.data}
              rowKey={(m) => m.service_account_id}
              columns={[
                {
                  header: "Service account",
                  cell: (m) => (
                    <>
                      <TextLink href={`/service-accounts/${m.service_account_id}`}>{names.get(m.service_account_id) ?? m.service_account_id}</TextLink>
                      {m.implicit && <span className="ml-2 text-xs text-zinc-600">implicit</span>}
                    </>
                  ),
                },
                { header: "Role", cell: (m) => workspaceRoleLabel(m.workspace_role) },
              ]}
            />
          )}
        </SectionCard>
      </div>
    </>
  );
}
