/**
 * `/readyz`: whether this instance should get traffic. Ready when the database answers, every
 * migration this code knows is applied, and the keys of live issuers are loaded; not ready
 * (503) from the moment shutdown begins. `/healthz` stays liveness only.
 *
 * "Loaded": an active issuer has inline keys, or this process holds a key set fetched from it
 * (at start, by the poller, an exchange, or a readiness check). Only issuers whose keys were
 * fetched before (by any instance) and whose polling is not paused can hold readiness back:
 * a new instance that cannot reach a working key endpoint should not get traffic, but an
 * issuer an administrator just added with a wrong URL must not take every instance out.
 * Those are listed as `unverified` instead. The body names issuers by ID and says why; fetch
 * errors themselves go to the log (readiness probes are anonymous).
 * @see docs/operating.md#readiness
 */
import { sql } from "kysely";
import type { JwksConfig } from "../core/types";
import { pendingMigrations } from "../store/db";
import type { Runtime } from "../runtime";

export interface ReadinessReport {
  status: "ready" | "not_ready" | "draining";
  checks?: {
    database: { ok: boolean; error?: string };
    migrations: { ok: boolean; pending: string[] };
    issuer_keys: {
      ok: boolean;
      /** Issuers holding readiness back: keys fetched before, not loaded here. */
      not_loaded: Array<{ issuer_id: string; reason: "fetch_failed" | "not_fetched_yet" }>;
      /** Active issuers no instance has fetched keys from yet, or whose polling is paused: listed, not blocking. */
      unverified: string[];
    };
  };
}

const DATABASE_TIMEOUT_MS = 2_000;
/** An issuer's keys are fetched for readiness at most this often. */
const WARM_INTERVAL_MS = 10_000;

export interface Readiness {
  check(): Promise<ReadinessReport>;
  /** Fetch the keys of every active remote issuer now, in the background (at start). */
  warmKeys(): void;
  /** From now on: `draining` (shutdown has begun). */
  drain(): void;
}

export function createReadiness(runtime: Runtime): Readiness {
  const db = runtime.store.db;
  let draining = false;
  // Probes are anonymous: concurrent ones share one check (three small queries).
  let running: Promise<ReadinessReport> | undefined;
  const lastWarm = new Map<string, number>();

  const activeIssuers = () =>
    db
      .selectFrom("federation_issuers")
      .select(["id", "issuer_url", "jwks", "poll_last_fetched_at", "jwks_polling_disabled_at"])
      .where("organization_id", "=", runtime.organizationId)
      .where("archived_at", "is", null)
      .execute();

  /** Fetch an issuer's keys in the background, at most every WARM_INTERVAL_MS (the outcome is counted and logged by the runtime). */
  const warm = (issuer: { id: string; issuer_url: string; jwks: JwksConfig }) => {
    const now = Date.now();
    if (now - (lastWarm.get(issuer.id) ?? -Infinity) < WARM_INTERVAL_MS) return;
    lastWarm.set(issuer.id, now);
    void runtime.keys.get(issuer).refresh();
  };

  async function databaseCheck(): Promise<{ ok: boolean; error?: string }> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${DATABASE_TIMEOUT_MS} ms`)), DATABASE_TIMEOUT_MS)));
    try {
      await Promise.race([sql`select 1`.execute(db), timeout]);
      return { ok: true };
    } catch (err) {
      return { ok: false, error: (err as Error).message.slice(0, 200) };
    } finally {
      clearTimeout(timer);
    }
  }

  async function report(): Promise<ReadinessReport> {
    const database = await databaseCheck();
    if (!database.ok) {
      return { status: "not_ready", checks: { database, migrations: { ok: false, pending: [] }, issuer_keys: { ok: false, not_loaded: [], unverified: [] } } };
    }
    const pending = await pendingMigrations(db);
    const notLoaded: NonNullable<ReadinessReport["checks"]>["issuer_keys"]["not_loaded"] = [];
    const unverified: string[] = [];
    for (const row of await activeIssuers()) {
      const jwks = JSON.parse(row.jwks) as JwksConfig;
      if (jwks.type === "inline") continue;
      const source = runtime.keys.peek(row.id);
      if (source?.hasFetched) continue;
      if (row.poll_last_fetched_at === null || row.jwks_polling_disabled_at !== null) {
        unverified.push(row.id);
        continue;
      }
      notLoaded.push({ issuer_id: row.id, reason: source?.fetchError ? "fetch_failed" : "not_fetched_yet" });
      warm({ id: row.id, issuer_url: row.issuer_url, jwks });
    }
    const checks = {
      database,
      migrations: { ok: pending.length === 0, pending },
      issuer_keys: { ok: notLoaded.length === 0, not_loaded: notLoaded, unverified },
    };
    return { status: checks.migrations.ok && checks.issuer_keys.ok ? "ready" : "not_ready", checks };
  }

  return {
    check() {
      if (draining) return Promise.resolve({ status: "draining" });
      running ??= report().finally(() => (running = undefined));
      return running;
    },
    warmKeys() {
      activeIssuers()
        .then((rows) => {
          for (const row of rows) {
            const jwks = JSON.parse(row.jwks) as JwksConfig;
            if (jwks.type !== "inline") warm({ id: row.id, issuer_url: row.issuer_url, jwks });
          }
        })
        // The database check reports an unreachable database; nothing more to say here.
        .catch(() => undefined);
    },
    drain() {
      draining = true;
    },
  };
}
