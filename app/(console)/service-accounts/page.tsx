import type { Metadata } from "next";
import { QueryToggle } from "@/components/lists/query-toggle";
import { ServiceAccountList } from "@/components/service-accounts/service-account-list";
import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Icon } from "@/components/ui/icons";
import { PageHeader } from "@/components/ui/page-header";
import { listServiceAccounts } from "@/lib/services/service-accounts";
import { canEdit, pageContext } from "@/lib/console/auth";

export const metadata: Metadata = { title: "Service accounts" };

export default async function ServiceAccountsPage({ searchParams }: { searchParams: Promise<{ archived?: string }> }) {
  const ctx = await pageContext();
  const includeArchived = (await searchParams).archived === "1";
  const page = await listServiceAccounts(ctx, { include_archived: String(includeArchived), limit: "20" });
  const editable = canEdit(ctx.user);
  return (
    <>
      <PageHeader
        title="Service accounts"
        description="Non-human identities that federated workloads act as. A rule maps outside identities to one of them."
        actions={
          editable && (
            <ButtonLink href="/service-accounts/new" variant="primary">
              <Icon name="plus" /> New service account
            </ButtonLink>
          )
        }
      />
      <div className="mb-3 flex justify-end">
        <QueryToggle param="archived" label="Include archived" checked={includeArchived} />
      </div>
      <Card>
        {page.data.length === 0 ? (
          <EmptyState title="No service accounts" action={editable && <ButtonLink href="/service-accounts/new" variant="primary">New service account</ButtonLink>}>
            Create one per workload (or group of workloads) that needs access.
          </EmptyState>
        ) : (
          <ServiceAccountList initial={page} includeArchived={includeArchived} version={ctx.requestId ?? ""} />
        )}
      </Card>
    </>
  );
}
