import type { Metadata } from "next";
import { IssuerList } from "@/components/issuers/issuer-list";
import { QueryToggle } from "@/components/lists/query-toggle";
import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Icon } from "@/components/ui/icons";
import { PageHeader } from "@/components/ui/page-header";
import { listIssuers } from "@/lib/services/issuers";
import { canEdit, pageContext } from "@/lib/console/auth";

export const metadata: Metadata = { title: "Issuers" };

export default async function IssuersPage({ searchParams }: { searchParams: Promise<{ archived?: string }> }) {
  const ctx = await pageContext();
  const includeArchived = (await searchParams).archived === "1";
  const page = await listIssuers(ctx, { include_archived: String(includeArchived), limit: "20" });
  const editable = canEdit(ctx.user);
  return (
    <>
      <PageHeader
        title="Issuers"
        description="The identity providers whose tokens this organization trusts: GitHub Actions, GitLab, Kubernetes, a cloud's metadata service."
        actions={
          editable && (
            <ButtonLink href="/issuers/new" variant="primary">
              <Icon name="plus" /> New issuer
            </ButtonLink>
          )
        }
      />
      <div className="mb-3 flex justify-end">
        <QueryToggle param="archived" label="Include archived" checked={includeArchived} />
      </div>
      <Card>
        {page.data.length === 0 ? (
          <EmptyState
            title={includeArchived ? "No issuers" : "No live issuers"}
            action={editable && <ButtonLink href="/issuers/new" variant="primary">New issuer</ButtonLink>}
          >
            Register the OIDC provider your workloads get tokens from.
          </EmptyState>
        ) : (
          <IssuerList initial={page} includeArchived={includeArchived} version={ctx.requestId ?? ""} />
        )}
      </Card>
    </>
  );
}
