import type { Metadata } from "next";
import { ResourceListPage } from "@/components/lists/resource-list-page";
import { ServiceAccountList } from "@/components/service-accounts/service-account-list";
import { listServiceAccounts } from "@/lib/services/service-accounts";
import { loadResourceIndex } from "@/lib/console/load";

export const metadata: Metadata = { title: "Service accounts" };

export default async function ServiceAccountsPage({ searchParams }: { searchParams: Promise<{ archived?: string }> }) {
  const index = await loadResourceIndex(searchParams, listServiceAccounts);
  return (
    <ResourceListPage
      index={index}
      title="Service accounts"
      description="Non-human identities that federated workloads act as. A rule maps outside identities to one of them."
      create={{ href: "/service-accounts/new", label: "New service account" }}
      empty={{ title: "No service accounts", body: "Create one per workload (or group of workloads) that needs access." }}
    >
      <ServiceAccountList {...index.list} />
    </ResourceListPage>
  );
}
