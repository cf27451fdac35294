import type { Metadata } from "next";
import { ResourceListPage } from "@/components/lists/resource-list-page";
import { RuleList } from "@/components/rules/rule-list";
import { listRules } from "@/lib/services/rules";
import { canEdit, pageContext } from "@/lib/console/auth";

export const metadata: Metadata = { title: "Rules" };

export default async function RulesPage({ searchParams }: { searchParams: Promise<{ archived?: string }> }) {
  const ctx = await pageContext();
  const includeArchived = (await searchParams).archived === "1";
  const page = await listRules(ctx, { include_archived: String(includeArchived), limit: "20" });
  return (
    <ResourceListPage
      title="Rules"
      description="Which outside identities may act as which service account, with what scope, for how long and in which workspaces."
      create={{ href: "/rules/new", label: "New rule" }}
      editable={canEdit(ctx.user)}
      includeArchived={includeArchived}
      empty={page.data.length === 0 && { title: "No rules", body: "A rule binds identities from one issuer to one service account." }}
    >
      <RuleList initial={page} includeArchived={includeArchived} version={ctx.requestId ?? ""} />
    </ResourceListPage>
  );
}
