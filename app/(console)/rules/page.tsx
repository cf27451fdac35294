import type { Metadata } from "next";
import { ResourceListPage } from "@/components/lists/resource-list-page";
import { RuleList } from "@/components/rules/rule-list";
import { listRules } from "@/lib/services/rules";
import { loadResourceIndex } from "@/lib/console/load";

export const metadata: Metadata = { title: "Rules" };

export default async function RulesPage({ searchParams }: { searchParams: Promise<{ archived?: string }> }) {
  const index = await loadResourceIndex(searchParams, listRules);
  return (
    <ResourceListPage
      index={index}
      title="Rules"
      description="Which outside identities may act as which service account, with what scope, for how long and in which workspaces."
      create={{ href: "/rules/new", label: "New rule" }}
      empty={{ title: "No rules", body: "A rule binds identities from one issuer to one service account." }}
    >
      <RuleList {...index.list} />
    </ResourceListPage>
  );
}
