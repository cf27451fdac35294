/**
 * Gives memory back after a burst. V8 collects garbage only while JavaScript allocates, so a
 * server that goes quiet after a burst keeps the burst's garbage — and the resident memory
 * under it — until the next one. Measured with `npm run soak` (heap snapshots and /metrics):
 * after three bursts of 1,500 hostile requests the heap held 275 MB "used", 60 s of idling
 * changed nothing, and one full collection brought it to 101 MB; nothing was leaking, RSS grew
 * ~70 MiB a round only because no collection ran. The soak's goal (round 5 within 1.25× of
 * round 1) failed at 1.78×.
 *
 * So: every `intervalMs`, if no request arrived during the last interval and the heap has
 * grown by `growthBytes` since the last collection this module ran, run one full collection.
 * Under steady traffic it never runs (V8's own collector is busy then); a full collection of a
 * few hundred MB takes ~100 ms, paid only when idle.
 * @see docs/operating.md#memory
 */
import v8 from "node:v8";
import vm from "node:vm";
import { logger } from "../observability/log";

export interface IdleCollectorOptions {
  /** How often to look; also how long "idle" must last. */
  intervalMs?: number;
  /** Heap growth since the last collection that makes one worthwhile. */
  growthBytes?: number;
  /** Requests seen so far (a counter that only goes up). */
  requestCount(): number;
  /** The collector; defaults to V8's, exposed at run time. */
  collect?: () => void;
  /** Heap in use, in bytes; defaults to V8's figure. */
  heapUsed?: () => number;
}

const DEFAULT_INTERVAL_MS = 2_000;
const DEFAULT_GROWTH_BYTES = 48 * 1024 * 1024;

/** V8's `gc()`: the global when node ran with --expose-gc, else exposed now (V8's flag, then a fresh context's global). */
function v8Collector(): (() => void) | undefined {
  const existing = (globalThis as { gc?: unknown }).gc;
  if (typeof existing === "function") return existing as () => void;
  try {
    v8.setFlagsFromString("--expose-gc");
    const gc: unknown = vm.runInNewContext("gc");
    return typeof gc === "function" ? (gc as () => void) : undefined;
  } catch {
    return undefined;
  }
}

export function startIdleCollector(options: IdleCollectorOptions): { stop(): void; collections(): number } {
  const collect = options.collect ?? v8Collector();
  const heapUsed = options.heapUsed ?? (() => process.memoryUsage().heapUsed);
  const growth = options.growthBytes ?? DEFAULT_GROWTH_BYTES;
  let baseline = heapUsed();
  let lastCount = options.requestCount();
  let count = 0;
  if (!collect) {
    logger().warn("idle garbage collection is unavailable: memory used by a burst is given back only when traffic resumes");
    return { stop() {}, collections: () => 0 };
  }
  const timer = setInterval(() => {
    const seen = options.requestCount();
    const idle = seen === lastCount;
    lastCount = seen;
    if (!idle || heapUsed() - baseline < growth) return;
    collect();
    count++;
    baseline = heapUsed();
  }, options.intervalMs ?? DEFAULT_INTERVAL_MS);
  timer.unref();
  return { stop: () => clearInterval(timer), collections: () => count };
}
