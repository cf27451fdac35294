import type { Metadata } from "next";
import { IssuerList } from "@/components/issuers/issuer-list";
import { ResourceListPage } from "@/components/lists/resource-list-page";
import { listIssuersWithHealth } from "@/lib/services/issuers";
import { canEdit, pageContext } from "@/lib/console/auth";

export const metadata: Metadata = { title: "Issuers" };

export default async function IssuersPage({ searchParams }: { searchParams: Promise<{ archived?: string }> }) {
  const ctx = await pageContext();
  const includeArchived = (await searchParams).archived === "1";
  const page = await listIssuersWithHealth(ctx, { include_archived: String(includeArchived), limit: "20" });
  return (
    <ResourceListPage
      title="Issuers"
      description="The identity providers whose tokens this organization trusts: GitHub Actions, GitLab, Kubernetes, a cloud's metadata service."
      create={{ href: "/issuers/new", label: "New issuer" }}
      editable={canEdit(ctx.user)}
      includeArchived={includeArchived}
      empty={page.data.length === 0 && { title: includeArchived ? "No issuers" : "No live issuers", body: "Register the OIDC provider your workloads get tokens from." }}
    >
      <IssuerList initial={page} includeArchived={includeArchived} version={ctx.requestId ?? ""} />
    </ResourceListPage>
  );
}
