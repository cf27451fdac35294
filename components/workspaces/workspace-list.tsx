"use client";

import Link from "next/link";
import { listWorkspacesAction } from "@/lib/console/actions/workspaces";
import { LoadMore } from "@/components/lists/load-more";
import { usePagedList } from "@/components/lists/use-paged-list";
import { Badge } from "@/components/ui/badge";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { WorkspaceDto } from "@/lib/services/dto";
import type { PageResult } from "@/lib/store/paginate";
import { formatDate } from "../resources/format";
import { StatusBadge } from "../resources/status-badge";

export function ColorDot({ color }: { color: string }) {
  return <span aria-hidden="true" className="inline-block size-2.5 shrink-0 rounded-full ring-1 ring-black/10" style={{ backgroundColor: color }} />;
}

export function WorkspaceList({ initial, includeArchived, version }: { initial: PageResult<WorkspaceDto>; includeArchived: boolean; version: string }) {
  const list = usePagedList({
    resource: "workspaces",
    filters: { includeArchived },
    version,
    initial,
    fetchPage: (after_id) => listWorkspacesAction({ after_id, include_archived: String(includeArchived) }),
  });
  return (
    <>
      <Table label="Workspaces">
        <THead>
          <tr>
            <TH>Name</TH>
            <TH className="hidden md:table-cell">ID</TH>
            <TH>Status</TH>
            <TH className="hidden sm:table-cell">Created</TH>
          </tr>
        </THead>
        <TBody>
          {list.items.map((w) => (
            <TR key={w.id}>
              <TD>
                <span className="flex items-center gap-2">
                  <ColorDot color={w.display_color} />
                  <Link href={`/workspaces/${w.id}`} className="font-medium text-brand-700 hover:underline">
                    {w.name}
                  </Link>
                  {w.is_default && <Badge tone="brand">Default</Badge>}
                </span>
              </TD>
              <TD className="hidden font-mono text-[12.5px] md:table-cell">{w.id}</TD>
              <TD>
                <StatusBadge archivedAt={w.archived_at} />
              </TD>
              <TD className="hidden whitespace-nowrap sm:table-cell">{formatDate(w.created_at)}</TD>
            </TR>
          ))}
        </TBody>
      </Table>
      <LoadMore hasMore={list.hasMore} loading={list.loading} error={list.error} onLoadMore={list.loadMore} count={list.items.length} noun="workspaces" />
    </>
  );
}
