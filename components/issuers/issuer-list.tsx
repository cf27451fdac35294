"use client";

import Link from "next/link";
import { listIssuersAction } from "@/lib/console/actions/issuers";
import { LoadMore } from "@/components/lists/load-more";
import { usePagedList } from "@/components/lists/use-paged-list";
import { Badge } from "@/components/ui/badge";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { IssuerDto } from "@/lib/services/dto";
import type { PageResult } from "@/lib/store/paginate";
import { formatDate, JWKS_LABELS } from "../resources/format";
import { StatusBadge } from "../resources/status-badge";

export function IssuerList({ initial, includeArchived, version }: { initial: PageResult<IssuerDto>; includeArchived: boolean; version: string }) {
  const list = usePagedList({
    resource: "issuers",
    filters: { includeArchived },
    version,
    initial,
    fetchPage: (after_id) => listIssuersAction({ after_id, include_archived: String(includeArchived) }),
  });
  return (
    <>
      <Table label="Issuers">
        <THead>
          <tr>
            <TH>Name</TH>
            <TH>Issuer URL</TH>
            <TH className="hidden md:table-cell">Keys</TH>
            <TH>Status</TH>
            <TH className="hidden sm:table-cell">Created</TH>
          </tr>
        </THead>
        <TBody>
          {list.items.map((issuer) => (
            <TR key={issuer.id}>
              <TD>
                <Link href={`/issuers/${issuer.id}`} className="font-medium text-brand-700 hover:underline focus-visible:outline-2 focus-visible:outline-brand-600">
                  {issuer.name}
                </Link>
              </TD>
              <TD className="max-w-72 font-mono text-[12.5px] break-all">{issuer.issuer_url}</TD>
              <TD className="hidden md:table-cell">{JWKS_LABELS[issuer.jwks.type]}</TD>
              <TD>
                <div className="flex flex-wrap gap-1">
                  <StatusBadge archivedAt={issuer.archived_at} />
                  {issuer.jwks_polling_disabled_at && !issuer.archived_at && <Badge tone="amber">Polling paused</Badge>}
                </div>
              </TD>
              <TD className="hidden whitespace-nowrap sm:table-cell">{formatDate(issuer.created_at)}</TD>
            </TR>
          ))}
        </TBody>
      </Table>
      <LoadMore hasMore={list.hasMore} loading={list.loading} error={list.error} onLoadMore={list.loadMore} count={list.items.length} noun="issuers" />
    </>
  );
}
