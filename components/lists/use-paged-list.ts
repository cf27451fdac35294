"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import type { ActionResult } from "@/lib/console/action-result";
import type { PageResult } from "@/lib/store/paginate";

/**
 * A list whose first page the server rendered and whose further pages load on demand
 * ("Load more", by `after_id`). `version` changes with every server render, so a refresh
 * after a change starts again from the server's fresh first page.
 */
export function usePagedList<T>({
  resource,
  filters,
  version,
  initial,
  fetchPage,
}: {
  resource: string;
  filters: Record<string, string | boolean>;
  version: string;
  initial: PageResult<T>;
  fetchPage: (afterId: string) => Promise<ActionResult<PageResult<T>>>;
}) {
  const query = useInfiniteQuery({
    queryKey: [resource, filters, version],
    initialPageParam: null as string | null,
    initialData: { pages: [initial], pageParams: [null] },
    queryFn: async ({ pageParam }) => {
      if (pageParam === null) return initial;
      const result = await fetchPage(pageParam);
      if (!result.ok) throw new Error(result.error.message);
      return result.data;
    },
    getNextPageParam: nextAfterId,
  });
  return pagedView(query);
}

/** The cursor of the page after `last`, when there is one. */
export const nextAfterId = (last: PageResult<unknown>) => (last.has_more && last.last_id ? last.last_id : undefined);

/** What a list shows of its pages so far: the rows, and the state of "Load more". */
export function pagedView<T>(query: { data: { pages: Array<PageResult<T>> }; hasNextPage: boolean; fetchNextPage: () => Promise<unknown>; isFetchingNextPage: boolean; error: Error | null }) {
  return {
    items: query.data.pages.flatMap((p) => p.data),
    hasMore: query.hasNextPage,
    loadMore: () => void query.fetchNextPage(),
    loading: query.isFetchingNextPage,
    error: query.error?.message,
  };
}
