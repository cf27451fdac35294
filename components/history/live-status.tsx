"use client";

import { LIVE_INTERVAL_MS } from "./use-live-list";

/**
 * The line above a live list: that it refreshes itself, or why it stopped. New arrivals are
 * announced politely to screen readers.
 */
export function LiveStatus({ error, arrived, noun }: { error?: string | undefined; arrived: number; noun: [string, string] }) {
  return (
    <div className="flex flex-wrap items-center justify-between gap-2 border-b border-zinc-200 px-4 py-2 text-xs text-zinc-600 sm:px-5">
      {error ? (
        <span className="text-red-700">Live updates paused: {error}</span>
      ) : (
        <span className="inline-flex items-center gap-1.5">
          <span aria-hidden="true" className="size-2 rounded-full bg-emerald-500" />
          Live: new {noun[1]} appear at the top (checked every {LIVE_INTERVAL_MS / 1000} s while this tab is open)
        </span>
      )}
      <span role="status" className={arrived ? "font-medium text-sky-800" : "sr-only"}>
        {arrived ? `${arrived} new ${arrived === 1 ? noun[0] : noun[1]}` : ""}
      </span>
    </div>
  );
}
