"use client";

import type { ReactNode } from "react";
import type { PageResult } from "@/lib/store/paginate";
import { LoadMore } from "../lists/load-more";
import { cn } from "../ui/cn";
import { DataTable, type Column } from "../ui/data-table";
import { LiveStatus } from "./live-status";
import { HISTORY_PAGE_SIZE } from "./page-size";
import { useLiveList } from "./use-live-list";

/**
 * A history list that keeps itself current: the live status line, the rows newest first
 * (the latest arrivals highlighted) or `empty`, and "Load more" for older ones. `nouns`
 * counts entries: one, many.
 */
export function LiveTable<T extends { id: string }>({
  endpoint,
  filters,
  initial,
  version,
  label,
  nouns,
  columns,
  empty,
}: {
  endpoint: string;
  filters: Record<string, string>;
  initial: PageResult<T>;
  version: string;
  label: string;
  nouns: [string, string];
  columns: ReadonlyArray<Column<T>>;
  empty: ReactNode;
}) {
  const list = useLiveList({ endpoint, params: filters, initial, version, pageSize: HISTORY_PAGE_SIZE });
  return (
    <>
      <LiveStatus error={list.liveError} arrived={list.arrived.size} noun={nouns} />
      {list.items.length === 0 ? (
        empty
      ) : (
        <DataTable label={label} columns={columns} rows={list.items} rowKey={(e) => e.id} rowClassName={(e) => cn("align-top", list.arrived.has(e.id) && "bg-sky-50")} />
      )}
      <LoadMore hasMore={list.hasMore} loading={list.loading} error={list.error} onLoadMore={list.loadMore} count={list.items.length} noun={nouns[1]} />
    </>
  );
}
