"use client";

import { useSyncExternalStore } from "react";
import { formatInstant, relativeTime } from "./format";

/** A shared clock that ticks every 15 s while something shows a relative time. */
const TICK_MS = 15_000;
let now = Date.now();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(listener: () => void) {
  listeners.add(listener);
  if (!timer) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const l of listeners) l();
    }, TICK_MS);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

/**
 * "5 min ago", with the exact UTC time on hover and for assistive technology. The server
 * (which cannot know when the page is read) renders the exact time; the browser then
 * switches to the relative one.
 */
export function RelativeTime({ iso }: { iso: string }) {
  const clock = useSyncExternalStore(
    subscribe,
    () => now,
    () => null,
  );
  const exact = formatInstant(iso);
  // At least as wide as the longest relative text ("30 days ago"): as the clock ticks, "59 s
  // ago" becoming "1 min ago" must not shrink a link under a pointer already aimed at it (an
  // e2e click once missed the history's first row that way).
  return (
    <time dateTime={iso} title={exact} className="inline-block min-w-[11ch]">
      {clock === null ? exact : relativeTime(iso, clock)}
    </time>
  );
}
