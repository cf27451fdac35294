import type { Metadata } from "next";
import { QueryToggle } from "@/components/lists/query-toggle";
import { RuleList } from "@/components/rules/rule-list";
import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Icon } from "@/components/ui/icons";
import { PageHeader } from "@/components/ui/page-header";
import { listRules } from "@/lib/services/rules";
import { canEdit, pageContext } from "@/lib/console/auth";

export const metadata: Metadata = { title: "Rules" };

export default async function RulesPage({ searchParams }: { searchParams: Promise<{ archived?: string }> }) {
  const ctx = await pageContext();
  const includeArchived = (await searchParams).archived === "1";
  const page = await listRules(ctx, { include_archived: String(includeArchived), limit: "20" });
  const editable = canEdit(ctx.user);
  return (
    <>
      <PageHeader
        title="Rules"
        description="Which outside identities may act as which service account, with what scope, for how long and in which workspaces."
        actions={
          editable && (
            <ButtonLink href="/rules/new" variant="primary">
              <Icon name="plus" /> New rule
            </ButtonLink>
          )
        }
      />
      <div className="mb-3 flex justify-end">
        <QueryToggle param="archived" label="Include archived" checked={includeArchived} />
      </div>
      <Card>
        {page.data.length === 0 ? (
          <EmptyState title="No rules" action={editable && <ButtonLink href="/rules/new" variant="primary">New rule</ButtonLink>}>
            A rule binds identities from one issuer to one service account.
          </EmptyState>
        ) : (
          <RuleList initial={page} includeArchived={includeArchived} version={ctx.requestId ?? ""} />
        )}
      </Card>
    </>
  );
}
