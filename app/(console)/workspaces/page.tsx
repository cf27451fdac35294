import type { Metadata } from "next";
import { QueryToggle } from "@/components/lists/query-toggle";
import { WorkspaceList } from "@/components/workspaces/workspace-list";
import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Icon } from "@/components/ui/icons";
import { PageHeader } from "@/components/ui/page-header";
import { listWorkspaces } from "@/lib/services/workspaces";
import { canEdit, pageContext } from "@/lib/console/auth";

export const metadata: Metadata = { title: "Workspaces" };

export default async function WorkspacesPage({ searchParams }: { searchParams: Promise<{ archived?: string }> }) {
  const ctx = await pageContext();
  const includeArchived = (await searchParams).archived === "1";
  const page = await listWorkspaces(ctx, { include_archived: String(includeArchived), include_default: "true", limit: "20" });
  const editable = canEdit(ctx.user);
  return (
    <>
      <PageHeader
        title="Workspaces"
        description="Units inside the organization. Every access token and API key is scoped to one workspace; every service account can use the default one."
        actions={
          editable && (
            <ButtonLink href="/workspaces/new" variant="primary">
              <Icon name="plus" /> New workspace
            </ButtonLink>
          )
        }
      />
      <div className="mb-3 flex justify-end">
        <QueryToggle param="archived" label="Include archived" checked={includeArchived} />
      </div>
      <Card>
        <WorkspaceList initial={page} includeArchived={includeArchived} version={ctx.requestId ?? ""} />
      </Card>
    </>
  );
}
