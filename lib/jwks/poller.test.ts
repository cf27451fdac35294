/**
 * The background JWKS poller on a real store (SQLite, and PostgreSQL where several instances
 * share one database) against a real local key server: poll_status on success and failure,
 * back-off, the pause after WIF_JWKS_MAX_FAILURES failures, and resuming through the issuer
 * update. The poller's clock is injected; rounds are driven by calling it, never by waiting.
 */
import { generateKeyPairSync } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AdminContext } from "../services/context";
import { archiveIssuer, createIssuer, getIssuer, getIssuerWithHealth, updateIssuer } from "../services/issuers";
import { ensureOrganization } from "../services/organization";
import { parseConfig } from "../config";
import { createTestDatabase, DATABASE_KINDS } from "../../e2e/support/test-server";
import { openStore, type Store } from "../store/db";
import { KeySourceRegistry } from "./key-resolver";
import { pollDueIssuers, type PollerOptions } from "./poller";

const INTERVAL = 300;
const S = 1000;
/** The setting the server passes as `maxFailures`, parsed as it is at start-up. */
const MAX_FAILURES = parseConfig({ WIF_JWKS_MAX_FAILURES: "4" }).jwksMaxFailures;

const jwk = { ...(generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ format: "jwk" }) as Record<string, unknown>), kid: "k1" };

/** Per-path status and hit counts on one local key server. */
const statusOf = new Map<string, number>();
const hits = new Map<string, number>();
let server: http.Server;
let base = "";

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const path = req.url ?? "/";
    hits.set(path, (hits.get(path) ?? 0) + 1);
    res.writeHead(statusOf.get(path) ?? 200, { "content-type": "application/json" });
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe.each(DATABASE_KINDS)("pollDueIssuers (%s)", (kind) => {
  let store: Store;
  let drop: () => Promise<void>;
  let ctx: AdminContext;
  const registry = new KeySourceRegistry({ allowInsecureLocal: true });

  beforeAll(async () => {
    const database = await createTestDatabase(kind);
    drop = database.drop;
    store = await openStore(parseConfig({ DATABASE_URL: database.url }).database);
    const org = await ensureOrganization(store.db);
    ctx = {
      db: store.db,
      principal: { kind: "system", organizationId: org.id, label: "test" },
      requestId: null,
      config: { allowInsecureIssuers: true, defaultAudience: "https://api.anthropic.com" },
    };
  });
  afterAll(async () => {
    await store?.close();
    await drop?.();
  });

  /** An issuer whose keys live at its own path on the local server, due now. */
  async function remoteIssuer(name: string) {
    const path = `/${kind}/${name}/jwks`;
    const issuer = await createIssuer(ctx, { name, issuer_url: `https://${name}.example.com`, jwks: { type: "explicit_url", url: `${base}${path}` } });
    return { id: issuer.id, path };
  }

  /** One poller round at `at`, refreshing through the real key sources. */
  const poll = (at: Date, extra: Partial<PollerOptions> = {}) =>
    pollDueIssuers(store.db, { intervalSeconds: INTERVAL, maxFailures: MAX_FAILURES, refresh: (issuer) => registry.get(issuer).refresh(), now: () => at, ...extra });

  /** A remote issuer whose key URL fails until polling pauses it. */
  async function pausedIssuer(name: string) {
    const issuer = await remoteIssuer(name);
    statusOf.set(issuer.path, 500);
    let at = later(new Date(), S);
    for (let i = 0; i < MAX_FAILURES; i++) {
      await poll(at);
      at = new Date((await row(issuer.id)).poll_next_at ?? later(at, S).toISOString());
    }
    return issuer;
  }

  const row = (id: string) => store.db.selectFrom("federation_issuers").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
  const later = (from: Date, ms: number) => new Date(from.getTime() + ms);

  it("fills poll_status on success and schedules the next poll one interval later", async () => {
    const { id, path } = await remoteIssuer("healthy");
    const t0 = later(new Date(), S);
    expect(await poll(t0)).toBeGreaterThanOrEqual(1);
    expect(hits.get(path)).toBe(1);
    const r = await row(id);
    expect(r).toMatchObject({ poll_consecutive_failures: 0, poll_last_error: null, poll_next_at: later(t0, INTERVAL * S).toISOString(), jwks_polling_disabled_at: null });
    expect(Number.isNaN(Date.parse(r.poll_last_fetched_at!))).toBe(false);
    expect((await getIssuer(ctx, id)).poll_status).toEqual({ consecutive_failures: 0, last_fetched_at: r.poll_last_fetched_at, next_poll_at: r.poll_next_at });

    // Not due a second before the interval is up; due at it.
    await poll(later(t0, INTERVAL * S - S));
    expect(hits.get(path)).toBe(1);
    await poll(later(t0, INTERVAL * S));
    expect(hits.get(path)).toBe(2);
  });

  it("records failures with the error, backs off ×2 per failure up to 8 intervals, and pauses after the configured maximum", async () => {
    const { id, path } = await remoteIssuer("failing");
    statusOf.set(path, 503);
    let at = later(new Date(), S);
    const gaps: number[] = [];
    for (let failure = 1; failure < MAX_FAILURES; failure++) {
      await poll(at);
      const r = await row(id);
      expect(r).toMatchObject({ poll_consecutive_failures: failure, jwks_polling_disabled_at: null });
      expect(r.poll_last_error).toContain("503");
      const next = new Date(r.poll_next_at!);
      gaps.push((next.getTime() - at.getTime()) / (INTERVAL * S));
      // Nothing happens before the backed-off time.
      await poll(later(next, -S));
      expect(hits.get(path)).toBe(failure);
      at = next;
    }
    expect(gaps).toEqual([1, 2, 4].slice(0, MAX_FAILURES - 1));

    // The last allowed failure pauses polling.
    await poll(at);
    const paused = await row(id);
    expect(paused).toMatchObject({ poll_consecutive_failures: MAX_FAILURES, poll_next_at: null });
    expect(paused.jwks_polling_disabled_at).not.toBeNull();
    expect(await getIssuer(ctx, id)).toMatchObject({ jwks_polling_disabled_at: paused.jwks_polling_disabled_at, poll_status: { consecutive_failures: MAX_FAILURES, next_poll_at: null } });

    // Paused: even much later, no request.
    const before = hits.get(path);
    await poll(later(at, 1000 * INTERVAL * S));
    expect(hits.get(path)).toBe(before);
  });

  it("shows a failing issuer as failing, with the error, when it failed and the next try, until a fetch succeeds", async () => {
    const { id, path } = await remoteIssuer("health");
    expect((await getIssuerWithHealth(ctx, id)).key_health).toMatchObject({ state: "pending", last_error: null });
    statusOf.set(path, 503);
    const at = later(new Date(), S);
    await poll(at);
    const failed = await row(id);
    expect((await getIssuerWithHealth(ctx, id)).key_health).toEqual({
      state: "failing",
      last_error: failed.poll_last_error,
      last_failed_at: failed.poll_last_failed_at,
      last_fetched_at: null,
      next_poll_at: failed.poll_next_at,
      consecutive_failures: 1,
    });
    expect(failed.poll_last_error).toContain("503");
    expect(Number.isNaN(Date.parse(failed.poll_last_failed_at!))).toBe(false);

    statusOf.set(path, 200);
    await poll(new Date(failed.poll_next_at!));
    expect((await getIssuerWithHealth(ctx, id)).key_health).toMatchObject({ state: "healthy", last_error: null, last_failed_at: null, consecutive_failures: 0 });
  });

  it("caps the back-off at 8 intervals", async () => {
    const { id, path } = await remoteIssuer("capped");
    statusOf.set(path, 500);
    let at = later(new Date(), S);
    const gaps: number[] = [];
    for (let failure = 1; failure <= 6; failure++) {
      await poll(at, { maxFailures: 100 });
      const next = new Date((await row(id)).poll_next_at!);
      gaps.push((next.getTime() - at.getTime()) / (INTERVAL * S));
      at = next;
    }
    expect(gaps).toEqual([1, 2, 4, 8, 8, 8]);
  });

  it("resumes a paused issuer when it is updated with jwks_polling_disabled: false, and a success clears the failures", async () => {
    const { id, path } = await pausedIssuer("resumed");
    expect((await row(id)).jwks_polling_disabled_at).not.toBeNull();

    statusOf.set(path, 200);
    const resumed = await updateIssuer(ctx, id, { jwks_polling_disabled: false });
    expect(resumed).toMatchObject({ jwks_polling_disabled_at: null, poll_status: { consecutive_failures: 0 } });
    expect(resumed.poll_status?.next_poll_at).not.toBeNull();

    const before = hits.get(path) ?? 0;
    await poll(later(new Date(), S));
    expect(hits.get(path)).toBe(before + 1);
    expect(await row(id)).toMatchObject({ poll_consecutive_failures: 0, poll_last_error: null, jwks_polling_disabled_at: null });
  });

  it("never polls inline or archived issuers", async () => {
    const inline = await createIssuer(ctx, { name: "inline-keys", issuer_url: "https://inline.example.com", jwks: { type: "inline", keys: [jwk] } });
    expect((await row(inline.id)).poll_next_at).toBeNull();
    const { id, path } = await remoteIssuer("archived");
    await archiveIssuer(ctx, id);
    await poll(later(new Date(), 10 * INTERVAL * S));
    expect(hits.get(path)).toBeUndefined();
  });

  it("clears the failure count and error when a failing issuer recovers", async () => {
    const { id, path } = await remoteIssuer("recovers");
    statusOf.set(path, 502);
    let at = later(new Date(), S);
    for (let i = 0; i < 2; i++) {
      await poll(at);
      at = new Date((await row(id)).poll_next_at!);
    }
    expect(await row(id)).toMatchObject({ poll_consecutive_failures: 2 });
    statusOf.set(path, 200);
    await poll(at);
    expect(await row(id)).toMatchObject({ poll_consecutive_failures: 0, poll_last_error: null, poll_next_at: later(at, INTERVAL * S).toISOString() });
  });

  it("stays paused when a paused issuer's key URL is changed (only jwks_polling_disabled: false resumes)", async () => {
    const { id, path } = await pausedIssuer("paused-moved");
    const movedPath = `${path}/v2`;
    await updateIssuer(ctx, id, { jwks: { type: "explicit_url", url: `${base}${movedPath}` } });
    expect((await row(id)).jwks_polling_disabled_at).not.toBeNull();
    await poll(later(new Date(), 10 * INTERVAL * S));
    expect(hits.get(movedPath)).toBeUndefined();
  });

  it("lets only one of two instances poll a due issuer in a round", async () => {
    const first = await remoteIssuer("contended-1");
    const second = await remoteIssuer("contended-2");
    const at = later(new Date(), 100 * INTERVAL * S);
    // Instance A claims its first due issuer; while A refreshes it, instance B runs a whole round
    // at the same moment. A must then find every other issuer already claimed by B.
    let raced = false;
    const instanceA = poll(at, {
      refresh: async (issuer) => {
        if (!raced) {
          raced = true;
          await poll(at);
        }
        return registry.get(issuer).refresh();
      },
    });
    await instanceA;
    expect(raced).toBe(true);
    expect([hits.get(first.path), hits.get(second.path)]).toEqual([1, 1]);
  });
});
