/**
 * The idle collector runs one full collection when the server has been idle for an interval
 * and the heap has grown past the threshold since its last one — never under traffic, never
 * for small growth — and V8's collector is reachable without --expose-gc on the command line.
 */
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { startIdleCollector } from "./idle-gc";

const MiB = 1024 * 1024;
beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

function world() {
  const state = { requests: 0, heap: 100 * MiB, collected: 0 };
  const collector = startIdleCollector({
    intervalMs: 1000,
    growthBytes: 48 * MiB,
    requestCount: () => state.requests,
    heapUsed: () => state.heap,
    collect: () => {
      state.collected++;
      state.heap = 90 * MiB;
    },
  });
  return { state, collector };
}

const cases: Array<{ name: string; run: (s: ReturnType<typeof world>["state"]) => void; collected: number }> = [
  { name: "idle after the heap grew past the threshold: one collection", run: (s) => ((s.heap += 60 * MiB), vi.advanceTimersByTime(1000)), collected: 1 },
  {
    name: "requests still arriving: none, however large the heap",
    run: (s) => {
      s.heap += 500 * MiB;
      for (let i = 0; i < 5; i++) {
        s.requests++;
        vi.advanceTimersByTime(1000);
      }
    },
    collected: 0,
  },
  { name: "idle but grown less than the threshold: none", run: (s) => ((s.heap += 40 * MiB), vi.advanceTimersByTime(5000)), collected: 0 },
  {
    name: "idle for a long time after one collection: no second until the heap grows again",
    run: (s) => {
      s.heap += 60 * MiB;
      vi.advanceTimersByTime(10_000);
      s.heap += 30 * MiB;
      vi.advanceTimersByTime(10_000);
    },
    collected: 1,
  },
  {
    name: "a second burst, then idle: a second collection",
    run: (s) => {
      s.heap += 60 * MiB;
      vi.advanceTimersByTime(1000);
      s.requests += 100;
      s.heap += 60 * MiB;
      vi.advanceTimersByTime(1000);
      vi.advanceTimersByTime(1000);
    },
    collected: 2,
  },
];

it.each(cases)("$name", ({ run, collected }) => {
  const { state, collector } = world();
  run(state);
  collector.stop();
  expect(state.collected).toBe(collected);
  expect(collector.collections()).toBe(collected);
});

it("reaches V8's own collector without --expose-gc on the command line", () => {
  let heap = 100 * MiB;
  const collector = startIdleCollector({ intervalMs: 1000, growthBytes: MiB, requestCount: () => 0, heapUsed: () => (heap += 2 * MiB) });
  vi.advanceTimersByTime(1000);
  collector.stop();
  expect(collector.collections()).toBe(1);
});
