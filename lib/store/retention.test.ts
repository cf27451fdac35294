/**
 * Retention on both databases: rows older than their window go, newer ones stay; a consumed
 * `jti` stays while its assertion (plus leeway) is still valid; expired access tokens go; a
 * window of 0 keeps everything; small batches still reach every old row; the background
 * pruner runs on its interval and stops cleanly.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DATABASE_KINDS, openTestStore, type TestStore } from "../../e2e/support/test-server";
import { pruneExpiredRows, startPruner } from "./retention";

const DAY = 86_400_000;
const NOW = Date.parse("2027-06-01T12:00:00.000Z");
const at = (offsetMs: number) => new Date(NOW + offsetMs).toISOString();
const WINDOWS = { historyDays: 90, gatewayRequestDays: 30, auditDays: 365 };

describe.each(DATABASE_KINDS)("retention (%s)", (kind) => {
  let t: TestStore;
  beforeEach(async () => {
    t = await openTestStore(kind);
  });
  afterEach(async () => {
    await t?.close();
  });

  const org = () => t.ctx.principal.organizationId;

  async function seed(rows: { history?: Record<string, number>; gateway?: Record<string, number>; audit?: Record<string, number>; jtis?: Record<string, number>; tokens?: Record<string, number> }) {
    const db = t.store.db;
    for (const [id, offset] of Object.entries(rows.history ?? {})) {
      await db
        .insertInto("auth_events")
        .values({ id, organization_id: org(), occurred_at: at(offset), request_id: `req_${id}`, outcome: "denied", reason: "signature_invalid", detail: null, federation_rule_id: null, issuer_id: null, service_account_id: null, workspace_id: null, subject: null, claims: null, claims_verified: 0, access_token_id: null, client_ip: null })
        .execute();
    }
    for (const [id, offset] of Object.entries(rows.gateway ?? {})) {
      await db
        .insertInto("gateway_requests")
        .values({
          id, organization_id: org(), occurred_at: at(offset), request_id: `req_${id}`, upstream_request_id: null, credential_type: "none", credential_hint: null, access_token_id: null, exchange_request_id: null,
          federation_rule_id: null, service_account_id: null, subject: null, api_key_id: null, workspace_id: null, method: "POST", path: "/v1/messages", path_family: "messages", model: null, status: 401,
          outcome: "denied", reason: "missing_credential", streamed: 0, input_tokens: null, output_tokens: null, cache_creation_input_tokens: null, cache_read_input_tokens: null, ttfb_ms: null, duration_ms: 1, request_bytes: 0, response_bytes: 0,
        })
        .execute();
    }
    for (const [id, offset] of Object.entries(rows.audit ?? {})) {
      await db
        .insertInto("audit_events")
        .values({ id, organization_id: org(), occurred_at: at(offset), request_id: null, actor_type: "system", actor_id: null, actor_label: "test", action: "rule.created", target_type: null, target_id: null, outcome: "success", status_code: null, detail: null })
        .execute();
    }
    for (const [jti, offset] of Object.entries(rows.jtis ?? {})) {
      await db.insertInto("used_jtis").values({ issuer_id: "fdis_test", jti, expires_at: at(offset) }).execute();
    }
    for (const [id, offset] of Object.entries(rows.tokens ?? {})) {
      await db
        .insertInto("access_tokens")
        .values({ id, token_hash: `hash_${id}`, organization_id: org(), federation_rule_id: "fdrl_x", service_account_id: "svac_x", workspace_id: "default", scope: "workspace:developer", subject: "s", request_id: `req_${id}`, created_at: at(offset - 3600_000), expires_at: at(offset) })
        .execute();
    }
  }

  const remaining = async () => ({
    history: (await t.store.db.selectFrom("auth_events").select("id").orderBy("id").execute()).map((r) => r.id),
    gateway: (await t.store.db.selectFrom("gateway_requests").select("id").orderBy("id").execute()).map((r) => r.id),
    audit: (await t.store.db.selectFrom("audit_events").select("id").orderBy("id").execute()).map((r) => r.id),
    jtis: (await t.store.db.selectFrom("used_jtis").select("jti").orderBy("jti").execute()).map((r) => r.jti),
    tokens: (await t.store.db.selectFrom("access_tokens").select("id").orderBy("id").execute()).map((r) => r.id),
  });

  it("prunes what is past its window or expiry and keeps the rest", async () => {
    await seed({
      history: { h_old: -91 * DAY, h_edge: -90 * DAY + 1000, h_new: -DAY },
      gateway: { g_old: -31 * DAY, g_new: -29 * DAY },
      audit: { a_old: -366 * DAY, a_new: -364 * DAY },
      // expires_at is the assertion's exp plus the leeway (lib/core/issuance.ts).
      jtis: { j_expired: -1000, j_valid: 60_000 },
      tokens: { t_expired: -1000, t_valid: 600_000 },
    });
    const counts = await pruneExpiredRows(t.store.db, WINDOWS, { now: NOW });
    expect(await remaining()).toEqual({ history: ["h_edge", "h_new"], gateway: ["g_new"], audit: ["a_new"], jtis: ["j_valid"], tokens: ["t_valid"] });
    expect(counts).toEqual({ auth_events: 1, gateway_requests: 1, audit_events: 1, used_jtis: 1, access_tokens: 1 });
  });

  it("keeps a table forever when its window is 0", async () => {
    await seed({ history: { h_ancient: -3650 * DAY }, gateway: { g_ancient: -3650 * DAY }, audit: { a_ancient: -3650 * DAY } });
    await pruneExpiredRows(t.store.db, { historyDays: 0, gatewayRequestDays: 0, auditDays: 0 }, { now: NOW });
    expect(await remaining()).toMatchObject({ history: ["h_ancient"], gateway: ["g_ancient"], audit: ["a_ancient"] });
  });

  it("reaches every old row in batches smaller than the backlog", async () => {
    const old = Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`h_old_${i}`, -100 * DAY - i]));
    await seed({ history: { ...old, h_new: -DAY }, jtis: { j1: -1, j2: -2, j3: -3, j_valid: 1000 } });
    const counts = await pruneExpiredRows(t.store.db, WINDOWS, { now: NOW, batchRows: 2 });
    expect(counts.auth_events).toBe(7);
    expect(counts.used_jtis).toBe(3);
    expect(await remaining()).toMatchObject({ history: ["h_new"], jtis: ["j_valid"] });
  });

  it("stops between batches when asked", async () => {
    await seed({ history: Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`h_${i}`, -100 * DAY])) });
    const controller = new AbortController();
    controller.abort();
    const counts = await pruneExpiredRows(t.store.db, WINDOWS, { now: NOW, batchRows: 2, signal: controller.signal });
    expect(counts.auth_events).toBe(0);
    expect((await remaining()).history).toHaveLength(5);
  });

  it("prunes in the background on its interval, and stops", async () => {
    await seed({ history: { h_old: Date.now() - NOW - 91 * DAY, h_new: Date.now() - NOW } });
    const errors: Error[] = [];
    const pruner = startPruner(t.store.db, { ...WINDOWS, intervalMs: 1 }, (err) => errors.push(err));
    // The first pass starts one interval after start; wait for its deletion to be visible.
    await expect.poll(async () => (await remaining()).history, { interval: 5, timeout: 10_000 }).toEqual(["h_new"]);
    await pruner.stop();
    expect(errors).toEqual([]);
  });
});
