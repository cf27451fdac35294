"use client";

import Link from "next/link";
import { listServiceAccountsAction } from "@/lib/console/actions/service-accounts";
import { LoadMore } from "@/components/lists/load-more";
import { usePagedList } from "@/components/lists/use-paged-list";
import { Badge } from "@/components/ui/badge";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { ServiceAccountDto } from "@/lib/services/dto";
import type { PageResult } from "@/lib/store/paginate";
import { formatDate } from "../resources/format";
import { StatusBadge } from "../resources/status-badge";

export function ServiceAccountList({ initial, includeArchived, version }: { initial: PageResult<ServiceAccountDto>; includeArchived: boolean; version: string }) {
  const list = usePagedList({
    resource: "service-accounts",
    filters: { includeArchived },
    version,
    initial,
    fetchPage: (after_id) => listServiceAccountsAction({ after_id, include_archived: String(includeArchived) }),
  });
  return (
    <>
      <Table label="Service accounts">
        <THead>
          <tr>
            <TH>Name</TH>
            <TH>Role</TH>
            <TH className="hidden md:table-cell">Description</TH>
            <TH>Status</TH>
            <TH className="hidden sm:table-cell">Created</TH>
          </tr>
        </THead>
        <TBody>
          {list.items.map((sa) => (
            <TR key={sa.id}>
              <TD>
                <Link href={`/service-accounts/${sa.id}`} className="font-medium text-brand-700 hover:underline">
                  {sa.name}
                </Link>
              </TD>
              <TD>
                <Badge tone={sa.organization_role === "admin" ? "brand" : "neutral"} className="capitalize">
                  {sa.organization_role}
                </Badge>
              </TD>
              <TD className="hidden max-w-80 text-zinc-600 md:table-cell">{sa.description || "—"}</TD>
              <TD>
                <StatusBadge archivedAt={sa.archived_at} />
              </TD>
              <TD className="hidden whitespace-nowrap sm:table-cell">{formatDate(sa.created_at)}</TD>
            </TR>
          ))}
        </TBody>
      </Table>
      <LoadMore hasMore={list.hasMore} loading={list.loading} error={list.error} onLoadMore={list.loadMore} count={list.items.length} noun="service accounts" />
    </>
  );
}
