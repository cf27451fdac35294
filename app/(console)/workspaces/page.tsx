import type { Metadata } from "next";
import { ResourceListPage } from "@/components/lists/resource-list-page";
import { WorkspaceList } from "@/components/workspaces/workspace-list";
import { listWorkspaces } from "@/lib/services/workspaces";
import { canEdit, pageContext } from "@/lib/console/auth";

export const metadata: Metadata = { title: "Workspaces" };

// The default workspace is always listed, so the list is never empty.
export default async function WorkspacesPage({ searchParams }: { searchParams: Promise<{ archived?: string }> }) {
  const ctx = await pageContext();
  const includeArchived = (await searchParams).archived === "1";
  const page = await listWorkspaces(ctx, { include_archived: String(includeArchived), include_default: "true", limit: "20" });
  return (
    <ResourceListPage
      title="Workspaces"
      description="Units inside the organization. Every access token and API key is scoped to one workspace; every service account can use the default one."
      create={{ href: "/workspaces/new", label: "New workspace" }}
      editable={canEdit(ctx.user)}
      includeArchived={includeArchived}
    >
      <WorkspaceList initial={page} includeArchived={includeArchived} version={ctx.requestId ?? ""} />
    </ResourceListPage>
  );
}
