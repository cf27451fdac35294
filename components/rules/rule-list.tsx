"use client";

import Link from "next/link";
import { listRulesAction } from "@/lib/console/actions/rules";
import { LoadMore } from "@/components/lists/load-more";
import { usePagedList } from "@/components/lists/use-paged-list";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { RuleDto } from "@/lib/services/dto";
import type { PageResult } from "@/lib/store/paginate";
import { StatusBadge } from "../resources/status-badge";
import { matchSummary } from "./match-summary";

export function RuleList({ initial, includeArchived, version }: { initial: PageResult<RuleDto>; includeArchived: boolean; version: string }) {
  const list = usePagedList({
    resource: "rules",
    filters: { includeArchived },
    version,
    initial,
    fetchPage: (after_id) => listRulesAction({ after_id, include_archived: String(includeArchived) }),
  });
  return (
    <>
      <Table label="Rules">
        <THead>
          <tr>
            <TH>Name</TH>
            <TH className="hidden md:table-cell">Issuer</TH>
            <TH className="hidden sm:table-cell">Service account</TH>
            <TH className="hidden lg:table-cell">Match</TH>
            <TH>Status</TH>
          </tr>
        </THead>
        <TBody>
          {list.items.map((rule) => (
            <TR key={rule.id}>
              <TD>
                <Link href={`/rules/${rule.id}`} className="font-medium text-brand-700 hover:underline">
                  {rule.name}
                </Link>
                <div className="mt-0.5 text-xs text-zinc-600">
                  {rule.oauth_scope}
                  <span className="sm:hidden"> → {rule.target.service_account_name ?? rule.target.service_account_id}</span>
                </div>
              </TD>
              <TD className="hidden md:table-cell">{rule.issuer_name ?? rule.issuer_id}</TD>
              <TD className="hidden sm:table-cell">{rule.target.service_account_name ?? rule.target.service_account_id}</TD>
              <TD className="hidden max-w-72 font-mono text-[12.5px] break-all lg:table-cell">{matchSummary(rule.match)}</TD>
              <TD>
                <StatusBadge archivedAt={rule.archived_at} />
              </TD>
            </TR>
          ))}
        </TBody>
      </Table>
      <LoadMore hasMore={list.hasMore} loading={list.loading} error={list.error} onLoadMore={list.loadMore} count={list.items.length} noun="rules" />
    </>
  );
}
