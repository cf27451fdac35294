"use client";

import type { ActionResult } from "@/lib/console/action-result";
import type { PageResult } from "@/lib/store/paginate";
import { DataTable, type Column } from "../ui/data-table";
import { LoadMore } from "./load-more";
import { usePagedList } from "./use-paged-list";

/**
 * A resource's list: the first page as the server rendered it, then "Load more" through the
 * resource's list action with the same `query` (the cursor added). `label` names the table
 * for screen readers; `noun` counts the rows shown ("Showing 20 issuers").
 */
export function PagedTable<T extends { id: string }>({
  label,
  noun,
  columns,
  initial,
  version,
  query = {},
  listAction,
}: {
  label: string;
  noun: string;
  columns: ReadonlyArray<Column<T> | false>;
  initial: PageResult<T>;
  version: string;
  query?: Record<string, string>;
  listAction: (query: Record<string, string>) => Promise<ActionResult<PageResult<T>>>;
}) {
  const list = usePagedList({ resource: label, filters: query, version, initial, fetchPage: (after_id) => listAction({ ...query, after_id }) });
  return (
    <>
      <DataTable label={label} columns={columns} rows={list.items} rowKey={(row) => row.id} />
      <LoadMore hasMore={list.hasMore} loading={list.loading} error={list.error} onLoadMore={list.loadMore} count={list.items.length} noun={noun} />
    </>
  );
}
