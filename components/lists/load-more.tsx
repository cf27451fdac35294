"use client";

import { Alert } from "../ui/alert";
import { Button } from "../ui/button";

/** The foot of a paged list: "Load more" while there is more, and any loading error. */
export function LoadMore({ hasMore, loading, error, onLoadMore, count, noun }: { hasMore: boolean; loading: boolean; error?: string | undefined; onLoadMore: () => void; count: number; noun: string }) {
  if (!hasMore && !error) return null;
  return (
    <div className="flex flex-col items-center gap-2 border-t border-zinc-200 px-4 py-3">
      {error && <Alert tone="error">{error}</Alert>}
      {hasMore && (
        <Button size="sm" onClick={onLoadMore} disabled={loading}>
          {loading ? "Loading…" : "Load more"}
        </Button>
      )}
      <p className="text-xs text-zinc-600" aria-live="polite">
        Showing {count} {noun}
      </p>
    </div>
  );
}
