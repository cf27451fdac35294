"use client";

import { useInfiniteQuery, useQuery, useQueryClient, type InfiniteData } from "@tanstack/react-query";
import type { PageResult } from "@/lib/store/paginate";
import { nextAfterId, pagedView } from "../lists/use-paged-list";

/** How often the list asks for newer entries while the browser tab is visible. */
export const LIVE_INTERVAL_MS = 5_000;
/** Newer entries fetched per request while catching up; a burst beyond a few of these waits for the next tick. */
const CATCH_UP_LIMIT = 100;
const CATCH_UP_ROUNDS = 5;

type Pages<T> = InfiniteData<PageResult<T>, string | null>;

/** GET one page from a console data route; errors carry the server's message. */
async function fetchPage<T>(endpoint: string, params: Record<string, string>): Promise<PageResult<T>> {
  let res: Response;
  try {
    // A signed-out request is redirected to /login by the proxy: refuse to follow it.
    res = await fetch(`${endpoint}?${new URLSearchParams(params)}`, { headers: { accept: "application/json" }, redirect: "error", cache: "no-store" });
  } catch {
    throw new Error("The server could not be reached, or your session has ended. Reload the page to continue.");
  }
  const body = (await res.json().catch(() => undefined)) as (PageResult<T> & { error?: { message?: string } }) | undefined;
  if (res.status === 401) throw new Error("Your session has ended. Sign in again to continue.");
  if (!res.ok || !body) throw new Error(body?.error?.message ?? `The server answered ${res.status}.`);
  return body;
}

/** Put `fresh` (newest first, all newer than what is shown) on top of the first page. */
function prepend<T extends { id: string }>(old: Pages<T> | undefined, fresh: T[]): Pages<T> | undefined {
  if (!old) return old;
  const shown = new Set(old.pages.flatMap((p) => p.data.map((item) => item.id)));
  const added = fresh.filter((item) => !shown.has(item.id));
  if (added.length === 0) return old;
  const [first, ...rest] = old.pages;
  const data = [...added, ...(first?.data ?? [])];
  return { ...old, pages: [{ ...first!, data, first_id: data[0]!.id }, ...rest] };
}

/**
 * A newest-first list whose first page the server rendered: older pages load on demand
 * ("Load more", by `after_id`), and newer entries are fetched every few seconds (by
 * `before_id` from the newest one shown) and put on top, so loaded pages stay as they are
 * and nothing is skipped or shown twice. Polling pauses while the tab is hidden and catches
 * up when it is shown again. `version` changes with every server render, which starts afresh.
 */
export function useLiveList<T extends { id: string }>({
  endpoint,
  params,
  initial,
  version,
  pageSize,
}: {
  endpoint: string;
  params: Record<string, string>;
  initial: PageResult<T>;
  version: string;
  pageSize: number;
}) {
  const queryClient = useQueryClient();
  const listKey = ["history", endpoint, params, version];

  const list = useInfiniteQuery({
    queryKey: listKey,
    initialPageParam: null as string | null,
    initialData: { pages: [initial], pageParams: [null] },
    queryFn: ({ pageParam }) => (pageParam === null ? Promise.resolve(initial) : fetchPage<T>(endpoint, { ...params, limit: String(pageSize), after_id: pageParam })),
    getNextPageParam: nextAfterId,
  });

  const live = useQuery({
    queryKey: [...listKey, "live"],
    queryFn: async () => {
      const shown = queryClient.getQueryData<Pages<T>>(listKey);
      const newest = shown?.pages[0]?.data[0]?.id;
      if (!newest) {
        // Nothing shown yet: the newest page is the whole list so far.
        const page = await fetchPage<T>(endpoint, { ...params, limit: String(pageSize) });
        if (page.data.length) queryClient.setQueryData<Pages<T>>(listKey, { pages: [page], pageParams: [null] });
        return { checkedAt: Date.now(), added: page.data.map((item) => item.id) };
      }
      let fresh: T[] = [];
      let before = newest;
      for (let round = 0; round < CATCH_UP_ROUNDS; round++) {
        const page = await fetchPage<T>(endpoint, { ...params, limit: String(CATCH_UP_LIMIT), before_id: before });
        fresh = [...page.data, ...fresh];
        if (!page.has_more || !page.first_id) break;
        before = page.first_id;
      }
      if (fresh.length) queryClient.setQueryData<Pages<T>>(listKey, (old) => prepend(old, fresh));
      return { checkedAt: Date.now(), added: fresh.map((item) => item.id) };
    },
    initialData: { checkedAt: 0, added: [] as string[] },
    staleTime: Infinity,
    refetchInterval: LIVE_INTERVAL_MS,
    refetchIntervalInBackground: false,
    refetchOnWindowFocus: "always",
  });

  return {
    ...pagedView(list),
    /** IDs that arrived with the latest refresh (shown highlighted until the next one). */
    arrived: new Set(live.data.added),
    liveError: live.error?.message,
  };
}
