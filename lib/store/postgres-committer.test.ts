/**
 * The PostgreSQL group commit (postgres-committer.ts) and the batched per-exchange check
 * (postgres-policy-check.ts) on a real database: a batch keeps each grant all-or-nothing and
 * each `jti` single-use — within one batch, between batches, and between two instances — an
 * entry that fails alone is the only one refused, and closing commits what was submitted.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GrantRecords } from "../core/ports";
import { newId } from "../core/ids";
import { parseConfig } from "../config";
import { createTestDatabase } from "../../e2e/support/test-server";
import { ensureOrganization } from "../services/organization";
import { openStore, type Store } from "./db";
import { batchedPolicyChecks } from "./postgres-policy-check";
import { NothingChanged } from "./sqlite-committer";

const ISSUER_ID = "fdis_committer_test";

function grant(jti: string | null, requestId = newId("request")): GrantRecords {
  const now = new Date().toISOString();
  const tokenId = newId("accessToken");
  return {
    usedJti: jti === null ? null : { issuer_id: ISSUER_ID, jti, expires_at: now },
    accessToken: {
      id: tokenId,
      token_hash: `hash-${tokenId}`,
      organization_id: "org",
      federation_rule_id: "fdrl_test",
      service_account_id: "svac_test",
      workspace_id: "wrkspc_test",
      scope: "workspace:developer",
      subject: "repo:acme/app",
      request_id: requestId,
      created_at: now,
      expires_at: now,
    },
    history: {
      id: newId("authEvent"),
      organization_id: "org",
      occurred_at: now,
      request_id: requestId,
      outcome: "granted",
      reason: null,
      detail: "granted",
      federation_rule_id: "fdrl_test",
      issuer_id: ISSUER_ID,
      service_account_id: "svac_test",
      workspace_id: "wrkspc_test",
      subject: "repo:acme/app",
      // Non-ASCII, quotes and backslashes travel as they are.
      claims: JSON.stringify({ sub: "repo:acme/app", note: 'ü "quoted" \\ back' }),
      claims_verified: 1,
      access_token_id: tokenId,
      client_ip: null,
    },
  };
}

describe("PostgreSQL group commit", () => {
  let database: { url: string; drop(): Promise<void> };
  let a: Store;
  let b: Store;
  let organizationId: string;
  const open = () => openStore(parseConfig({ DATABASE_URL: database.url }).database);
  const rowsFor = async (requestId: string) => ({
    tokens: (await a.db.selectFrom("access_tokens").select("id").where("request_id", "=", requestId).execute()).length,
    events: (await a.db.selectFrom("auth_events").select(["id", "claims"]).where("request_id", "=", requestId).execute()).length,
  });

  beforeAll(async () => {
    database = await createTestDatabase("postgres");
    a = await open();
    b = await open(); // a second instance on the same database
    organizationId = (await ensureOrganization(a.db)).id;
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await database?.drop();
  });

  it("writes every grant of a batch with its history row, exactly as given", async () => {
    const grants = Array.from({ length: 25 }, (_, i) => grant(i % 5 === 0 ? null : crypto.randomUUID()));
    await Promise.all(grants.map((g) => a.pgCommitter!.saveGrant(g)));
    for (const g of grants) expect(await rowsFor(g.accessToken.request_id)).toEqual({ tokens: 1, events: 1 });
    const stored = await a.db.selectFrom("auth_events").selectAll().where("id", "=", grants[1]!.history.id).executeTakeFirstOrThrow();
    expect(stored).toEqual(grants[1]!.history);
  });

  it.each([
    ["in one batch", (g: GrantRecords) => a.pgCommitter!.saveGrant(g)],
    ["from two instances at once", (g: GrantRecords, i: number) => (i % 2 ? b : a).pgCommitter!.saveGrant(g)],
  ])("lets exactly one of several grants with one jti through, %s", async (_name, save) => {
    const jti = crypto.randomUUID();
    const grants = Array.from({ length: 6 }, () => grant(jti));
    const outcomes = await Promise.allSettled(grants.map((g, i) => save(g, i)));
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    for (const o of outcomes) if (o.status === "rejected") expect(o.reason).toBeInstanceOf(NothingChanged);
    const written = await Promise.all(grants.map((g) => rowsFor(g.accessToken.request_id)));
    expect(written.filter((w) => w.tokens === 1 && w.events === 1)).toHaveLength(1);
    expect(written.filter((w) => w.tokens === 0 && w.events === 0)).toHaveLength(5);
  });

  it("refuses a jti consumed by an earlier batch, writing nothing of the refused grant", async () => {
    const jti = crypto.randomUUID();
    await a.pgCommitter!.saveGrant(grant(jti));
    const replay = grant(jti);
    await expect(b.pgCommitter!.saveGrant(replay)).rejects.toBeInstanceOf(NothingChanged);
    expect(await rowsFor(replay.accessToken.request_id)).toEqual({ tokens: 0, events: 0 });
  });

  it("refuses only the entry that fails when a batch cannot be written whole", async () => {
    const taken = grant(crypto.randomUUID());
    await a.pgCommitter!.saveGrant(taken);
    // Same access-token hash as a stored token: a unique violation that fails the batch's statement.
    const clash = grant(crypto.randomUUID());
    clash.accessToken.token_hash = taken.accessToken.token_hash;
    const others = Array.from({ length: 4 }, () => grant(crypto.randomUUID()));
    const outcomes = await Promise.allSettled([clash, ...others].map((g) => a.pgCommitter!.saveGrant(g)));
    expect(outcomes.map((o) => o.status)).toEqual(["rejected", "fulfilled", "fulfilled", "fulfilled", "fulfilled"]);
    expect(await rowsFor(clash.accessToken.request_id)).toEqual({ tokens: 0, events: 0 });
    for (const g of others) expect(await rowsFor(g.accessToken.request_id)).toEqual({ tokens: 1, events: 1 });
  });

  it("answers the batched check with the policy version and each exchange's own jti", async () => {
    const consumed = crypto.randomUUID();
    await a.pgCommitter!.saveGrant(grant(consumed));
    const check = batchedPolicyChecks(b.pgPool!);
    const [used, fresh, none, otherIssuer] = await Promise.all([check(ISSUER_ID, consumed), check(ISSUER_ID, crypto.randomUUID()), check(ISSUER_ID, null), check("fdis_other", consumed)]);
    expect([used.jti_used, fresh.jti_used, none.jti_used, otherIssuer.jti_used]).toEqual([true, false, false, false]);
    const version = used.policy_version!;
    expect(typeof version).toBe("number");
    await a.db.updateTable("workspaces").set({ name: "moves the version" }).where("organization_id", "=", organizationId).execute();
    expect((await check(ISSUER_ID, null)).policy_version).toBe(version + 1);
  });

  it("commits what was submitted before closing", async () => {
    const store = await open();
    const grants = Array.from({ length: 10 }, () => grant(crypto.randomUUID()));
    const saved = grants.map((g) => store.pgCommitter!.saveGrant(g));
    await store.close();
    await Promise.all(saved);
    for (const g of grants) expect(await rowsFor(g.accessToken.request_id)).toEqual({ tokens: 1, events: 1 });
    await expect(store.pgCommitter!.saveGrant(grant(null))).rejects.toThrow(/closed/);
  });
});
