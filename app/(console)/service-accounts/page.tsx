import type { Metadata } from "next";
import { ResourceListPage } from "@/components/lists/resource-list-page";
import { ServiceAccountList } from "@/components/service-accounts/service-account-list";
import { listServiceAccounts } from "@/lib/services/service-accounts";
import { canEdit, pageContext } from "@/lib/console/auth";

export const metadata: Metadata = { title: "Service accounts" };

export default async function ServiceAccountsPage({ searchParams }: { searchParams: Promise<{ archived?: string }> }) {
  const ctx = await pageContext();
  const includeArchived = (await searchParams).archived === "1";
  const page = await listServiceAccounts(ctx, { include_archived: String(includeArchived), limit: "20" });
  return (
    <ResourceListPage
      title="Service accounts"
      description="Non-human identities that federated workloads act as. A rule maps outside identities to one of them."
      create={{ href: "/service-accounts/new", label: "New service account" }}
      editable={canEdit(ctx.user)}
      includeArchived={includeArchived}
      empty={page.data.length === 0 && { title: "No service accounts", body: "Create one per workload (or group of workloads) that needs access." }}
    >
      <ServiceAccountList initial={page} includeArchived={includeArchived} version={ctx.requestId ?? ""} />
    </ResourceListPage>
  );
}
