import type { Metadata } from "next";
import { IssuerList } from "@/components/issuers/issuer-list";
import { ResourceListPage } from "@/components/lists/resource-list-page";
import { listIssuersWithHealth } from "@/lib/services/issuers";
import { loadResourceIndex } from "@/lib/console/load";

export const metadata: Metadata = { title: "Issuers" };

export default async function IssuersPage({ searchParams }: { searchParams: Promise<{ archived?: string }> }) {
  const index = await loadResourceIndex(searchParams, listIssuersWithHealth);
  return (
    <ResourceListPage
      index={index}
      title="Issuers"
      description="The identity providers whose tokens this organization trusts: GitHub Actions, GitLab, Kubernetes, a cloud's metadata service."
      create={{ href: "/issuers/new", label: "New issuer" }}
      empty={{ title: index.includeArchived ? "No issuers" : "No live issuers", body: "Register the OIDC provider your workloads get tokens from." }}
    >
      <IssuerList {...index.list} />
    </ResourceListPage>
  );
}
