"use client";

import { listRulesAction } from "@/lib/console/actions/rules";
import { PagedTable } from "@/components/lists/paged-table";
import type { Column } from "@/components/ui/data-table";
import { TextLink } from "@/components/ui/text-link";
import type { RuleDto } from "@/lib/services/dto";
import type { PageResult } from "@/lib/store/paginate";
import { statusColumn } from "../resources/columns";
import { matchSummary } from "./match-summary";

const accountName = (rule: RuleDto) => rule.target.service_account_name ?? rule.target.service_account_id;

const COLUMNS: Array<Column<RuleDto>> = [
  {
    header: "Name",
    cell: (rule) => (
      <>
        <TextLink href={`/rules/${rule.id}`}>{rule.name}</TextLink>
        <div className="mt-0.5 text-xs text-zinc-600">
          {rule.oauth_scope}
          <span className="sm:hidden"> → {accountName(rule)}</span>
        </div>
      </>
    ),
  },
  { header: "Issuer", from: "md", cell: (rule) => rule.issuer_name ?? rule.issuer_id },
  { header: "Service account", from: "sm", cell: accountName },
  { header: "Match", from: "lg", className: "max-w-72 font-mono text-[12.5px] break-all", cell: (rule) => matchSummary(rule.match) },
  statusColumn,
];

export function RuleList({ initial, includeArchived, version }: { initial: PageResult<RuleDto>; includeArchived: boolean; version: string }) {
  return <PagedTable label="Rules" noun="rules" columns={COLUMNS} initial={initial} version={version} query={{ include_archived: String(includeArchived) }} listAction={listRulesAction} />;
}
