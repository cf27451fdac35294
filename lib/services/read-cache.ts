/**
 * A read the gateway makes on every request (limits, the upstream), kept briefly per process
 * and per database: an answer is reused for `ttlMs`, a failed read is forgotten at once, and a
 * change made through this process clears it; other instances see a change when their entry
 * expires.
 */
import type { Kysely } from "kysely";
import type { Database } from "../store/schema";

export interface ReadCache<V> {
  /** The cached answer for `key`, or `read()`'s, kept from `now`. */
  get(db: Kysely<Database>, key: string, now: number, read: () => Promise<V>): Promise<V>;
  /** Forget every answer for `db` (after a change). */
  clear(db: Kysely<Database>): void;
}

/** `maxEntries`: past it the cache starts over, so a flood of distinct keys cannot exhaust memory. */
export function readCache<V>({ ttlMs, maxEntries }: { ttlMs: number; maxEntries: number }): ReadCache<V> {
  const caches = new WeakMap<Kysely<Database>, Map<string, { at: number; value: Promise<V> }>>();
  return {
    get(db, key, now, read) {
      let cache = caches.get(db);
      if (!cache) caches.set(db, (cache = new Map()));
      const hit = cache.get(key);
      if (hit && now - hit.at < ttlMs) return hit.value;
      const value = read();
      if (cache.size > maxEntries) cache.clear();
      cache.set(key, { at: now, value });
      value.catch(() => cache.delete(key));
      return value;
    },
    clear: (db) => caches.get(db)?.clear(),
  };
}
