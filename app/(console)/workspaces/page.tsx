import type { Metadata } from "next";
import { ResourceListPage } from "@/components/lists/resource-list-page";
import { WorkspaceList } from "@/components/workspaces/workspace-list";
import { listWorkspaces } from "@/lib/services/workspaces";
import { loadResourceIndex } from "@/lib/console/load";

export const metadata: Metadata = { title: "Workspaces" };

// The default workspace is always listed, so the list is never empty.
export default async function WorkspacesPage({ searchParams }: { searchParams: Promise<{ archived?: string }> }) {
  const index = await loadResourceIndex(searchParams, listWorkspaces, { include_default: "true" });
  return (
    <ResourceListPage
      index={index}
      title="Workspaces"
      description="Units inside the organization. Every access token and API key is scoped to one workspace; every service account can use the default one."
      create={{ href: "/workspaces/new", label: "New workspace" }}
    >
      <WorkspaceList {...index.list} />
    </ResourceListPage>
  );
}
