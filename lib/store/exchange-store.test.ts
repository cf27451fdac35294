/**
 * The exchange's persistence on both databases: what the rule lookup loads, and the
 * guarantees of a grant — jti, token and history written together or not at all, a jti
 * consumed once even by concurrent exchanges, and a grant never swallowed by another
 * caller's open transaction on SQLite's single connection.
 */
import SQLite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ExchangeGrant } from "../core/exchange";
import { deniedEvent, type DenialRecord } from "../core/exchange-history";
import { issueAccessToken } from "../core/issuance";
import { JtiRace, type ExchangeAttempt, type RuleContext } from "../core/ports";
import { DATABASE_KINDS, startTestServer, type TestServer } from "../../e2e/support/test-server";
import { parseConfig } from "../config";
import { openStore, type Store } from "./db";
import { exchangeReads, exchangeWrites } from "./exchange-store";

// The core builds what a grant or a denial writes (lib/core/issuance.ts, exchange-history.ts); the store writes it as it is.
async function persistGrant(store: Store, grant: ExchangeGrant, attempt: ExchangeAttempt): Promise<string> {
  const issued = issueAccessToken(grant, attempt, Date.now());
  await exchangeWrites(store).saveGrant(issued);
  return issued.secret;
}
const recordDenial = (store: Store, denial: DenialRecord) => exchangeWrites(store).recordEvent(deniedEvent(denial, Date.now()));

const ISSUER = "https://issuer.wif.test";
const JWK = { kty: "EC", crv: "P-256", x: "0YE2jr-R-_jAfno7IVFFWTGAstmhhwrdCtcHf8TrXps", y: "DnqLeePyANjOPCgTuiCtr81y6HZSp7dIqtZm_lful1Y", kid: "k1", alg: "ES256" };

describe.each(DATABASE_KINDS)("exchange store (%s)", (kind) => {
  let server: TestServer;
  const ids: Record<string, string> = {};

  const admin = (path: string, body?: unknown) => server.admin("POST", path, body ?? {});
  const reads = () => exchangeReads(server.runtime.store, server.organizationId);
  const db = () => server.runtime.store.db;

  async function grantFor(jti: string | null): Promise<ExchangeGrant> {
    const ctx = (await reads().loadRule(ids.rule!))!;
    const exp = Math.floor(Date.now() / 1000) + 300;
    return {
      rule: ctx.rule,
      issuer: ctx.issuer,
      serviceAccountId: ids.sa!,
      workspaceId: ids.ws1!,
      scope: ctx.rule.oauth_scope,
      expiresIn: 600,
      subject: "repo:acme/app:ref:refs/heads/main",
      claims: { sub: "repo:acme/app:ref:refs/heads/main", jti },
      jti: jti === null ? null : { value: jti, expiresAt: exp },
    };
  }
  const attempt = (requestId: string) => ({ organizationId: server.organizationId, requestId, clientIp: "127.0.0.1" });
  const rowsFor = async (requestId: string) => ({
    tokens: await db().selectFrom("access_tokens").select("id").where("request_id", "=", requestId).execute(),
    events: await db().selectFrom("auth_events").select(["outcome", "access_token_id"]).where("request_id", "=", requestId).execute(),
  });

  beforeAll(async () => {
    server = await startTestServer(kind);
    ids.issuer = (await admin("/federation_issuers", { name: "i", issuer_url: ISSUER, jwks: { type: "inline", keys: [JWK] } })).id;
    ids.sa = (await admin("/service_accounts", { name: "ci" })).id;
    ids.ws1 = (await admin("/workspaces", { name: "One" })).id;
    ids.ws2 = (await admin("/workspaces", { name: "Two" })).id;
    await admin("/workspaces", { name: "Unlisted" });
    const rule = (name: string, extra: Record<string, unknown>) =>
      admin("/federation_rules", {
        name,
        issuer_id: ids.issuer,
        match: { subject_prefix: "repo:acme/*" },
        target: { type: "service_account", service_account_id: ids.sa },
        oauth_scope: "workspace:developer",
        ...extra,
      });
    ids.rule = (await rule("listed", { workspace_id: ids.ws1 })).id;
    await admin(`/federation_rules/${ids.rule}/workspaces`, { workspace_id: ids.ws2 });
    ids.allRule = (await rule("all", { applies_to_all_workspaces: true })).id;
  });
  afterAll(async () => server?.close());

  it("loads a rule with its issuer, service account and exactly its workspaces, in one lookup", async () => {
    const ctx = (await reads().loadRule(ids.rule!))!;
    expect(ctx.rule).toMatchObject({ id: ids.rule, issuer_id: ids.issuer, workspace_id: ids.ws1, applies_to_all_workspaces: false, archived_at: null });
    expect([...ctx.rule.workspace_ids].sort()).toEqual([ids.ws1, ids.ws2].sort());
    expect(ctx.issuer).toMatchObject({ id: ids.issuer, issuer_url: ISSUER, check_jti: true, jwks: { type: "inline" } });
    expect(ctx.serviceAccount).toEqual({ id: ids.sa, organizationRole: "developer", archived: false });
    const loaded = ctx.workspaces!.map((w) => w.id).sort();
    expect(loaded).toEqual([ids.ws1, ids.ws2].sort());
    // The same set the separate lookup gives.
    expect((await reads().enabledWorkspaces(ctx.rule)).map((w) => w.id).sort()).toEqual(loaded);
    expect(await reads().loadRule("fdrl_01UNKNOWN")).toBeUndefined();
  });

  it("leaves a rule for all workspaces to the live list, which includes unlisted workspaces", async () => {
    const ctx = (await reads().loadRule(ids.allRule!))!;
    expect(ctx.workspaces).toBeUndefined();
    const all = await reads().enabledWorkspaces(ctx.rule);
    expect(all.length).toBe(4); // default, One, Two, Unlisted
    expect(all.filter((w) => w.isDefault)).toHaveLength(1);
  });

  it("finds workspaces by ID and as `default`, within the organization", async () => {
    expect(await reads().findWorkspace(ids.ws1!)).toEqual({ id: ids.ws1, isDefault: false, archived: false });
    expect((await reads().findWorkspace("default"))?.isDefault).toBe(true);
    expect(await reads().findWorkspace("wrkspc_01NOPE")).toBeUndefined();
    expect(await exchangeReads(server.runtime.store, "00000000-0000-4000-8000-000000000000").findWorkspace(ids.ws1!)).toBeUndefined();
  });

  it("writes the jti, the token and the granted history row together", async () => {
    const grant = await grantFor(crypto.randomUUID());
    const token = await persistGrant(server.runtime.store, grant, attempt("req_together"));
    expect(token).toMatch(/^sk-ant-oat01-/);
    const { tokens, events } = await rowsFor("req_together");
    expect(tokens).toHaveLength(1);
    expect(events).toEqual([{ outcome: "granted", access_token_id: tokens[0]!.id }]);
    expect(await reads().jtiUsed(grant.issuer.id, grant.jti!.value)).toBe(true);
    expect(await reads().jtiUsed(grant.issuer.id, "never-seen")).toBe(false);
  });

  it("tells with the rule whether the assertion's jti was consumed for the rule's issuer", async () => {
    const grant = await grantFor(crypto.randomUUID());
    await persistGrant(server.runtime.store, grant, attempt("req_consumed"));
    expect((await reads().loadRule(ids.rule!, grant.jti!.value))?.consumedJti).toEqual({ jti: grant.jti!.value, used: true });
    expect((await reads().loadRule(ids.rule!, "never-seen"))?.consumedJti).toEqual({ jti: "never-seen", used: false });
    expect((await reads().loadRule(ids.rule!))?.consumedJti).toBeUndefined();
  });

  it("refuses a consumed jti at the database and writes nothing for the refused grant", async () => {
    const jti = crypto.randomUUID();
    await persistGrant(server.runtime.store, await grantFor(jti), attempt("req_first"));
    await expect(persistGrant(server.runtime.store, await grantFor(jti), attempt("req_replay"))).rejects.toBeInstanceOf(JtiRace);
    expect(await rowsFor("req_replay")).toEqual({ tokens: [], events: [] });
  });

  it("lets exactly one of several concurrent grants consume a jti", async () => {
    const jti = crypto.randomUUID();
    const grant = await grantFor(jti);
    const outcomes = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => persistGrant(server.runtime.store, grant, attempt(`req_race_${i}`))));
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    for (const o of outcomes) if (o.status === "rejected") expect(o.reason).toBeInstanceOf(JtiRace);
    const tokens = await db().selectFrom("access_tokens").select("id").where("request_id", "like", "req_race_%").execute();
    expect(tokens).toHaveLength(1);
  });

  it("commits a grant on its own even while another caller's transaction is open and later rolls back", async () => {
    const grant = await grantFor(crypto.randomUUID());
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const inside = new Promise<void>((resolve) => (started = resolve));
    const rolledBack = db()
      .transaction()
      .execute(async (trx) => {
        await trx.insertInto("auth_events").values({ id: "authev_doomed", organization_id: server.organizationId, occurred_at: new Date().toISOString(), request_id: "req_doomed", outcome: "denied", claims_verified: 0 }).execute();
        started();
        await held;
        throw new Error("roll back");
      })
      .catch(() => "rolled back");
    await inside;
    const granted = persistGrant(server.runtime.store, grant, attempt("req_beside"));
    release();
    expect(await rolledBack).toBe("rolled back");
    await granted;
    expect((await rowsFor("req_beside")).tokens).toHaveLength(1);
    expect((await rowsFor("req_doomed")).events).toEqual([]);
  });

  // SQLite keeps rule contexts in memory while the policy version is unchanged: every change to
  // a rule's inputs must show on the next read, from this connection or another process's.
  const now = () => new Date().toISOString();
  it.each<[string, (ids: Record<string, string>) => Promise<unknown>, (ctx: RuleContext) => unknown, unknown]>([
    ["the rule archived", (c) => db().updateTable("federation_rules").set({ archived_at: now() }).where("id", "=", c.rule!).execute(), (ctx) => ctx.rule.archived_at !== null, true],
    ["the rule's match edited", (c) => db().updateTable("federation_rules").set({ match: JSON.stringify({ subject_prefix: "repo:other/*" }) }).where("id", "=", c.rule!).execute(), (ctx) => ctx.rule.match.subject_prefix, "repo:other/*"],
    ["the issuer archived", (c) => db().updateTable("federation_issuers").set({ archived_at: now() }).where("id", "=", c.issuer!).execute(), (ctx) => ctx.issuer.archived_at !== null, true],
    ["the service account archived", (c) => db().updateTable("service_accounts").set({ archived_at: now() }).where("id", "=", c.sa!).execute(), (ctx) => ctx.serviceAccount.archived, true],
    ["a workspace added to the rule", (c) => db().insertInto("federation_rule_workspaces").values({ federation_rule_id: c.rule!, workspace_id: ids.ws2!, created_at: now() }).execute(), (ctx) => ctx.rule.workspace_ids.includes(ids.ws2!), true],
    ["the rule's workspace archived", (c) => db().updateTable("workspaces").set({ archived_at: now() }).where("id", "=", c.ws!).execute(), (ctx) => ctx.workspaces?.[0]?.archived, true],
    [
      "the lifetime changed by another process",
      async (c) => {
        if (kind !== "sqlite") return db().updateTable("federation_rules").set({ token_lifetime_seconds: 120 }).where("id", "=", c.rule!).execute();
        const other = new SQLite(server.databaseUrl.slice("file:".length));
        other.prepare("update federation_rules set token_lifetime_seconds = 120 where id = ?").run(c.rule!);
        other.close();
      },
      (ctx) => ctx.rule.token_lifetime_seconds,
      120,
    ],
  ])("reads a rule afresh after %s", async (_name, change, observe, expected) => {
    const c = {
      issuer: (await admin("/federation_issuers", { name: `i-${crypto.randomUUID()}`, issuer_url: `https://${crypto.randomUUID()}.wif.test`, jwks: { type: "inline", keys: [JWK] } })).id,
      sa: (await admin("/service_accounts", { name: `sa-${crypto.randomUUID()}` })).id,
      ws: (await admin("/workspaces", { name: `ws-${crypto.randomUUID().slice(0, 8)}` })).id,
    } as Record<string, string>;
    c.rule = (
      await admin("/federation_rules", {
        name: `r-${crypto.randomUUID()}`,
        issuer_id: c.issuer,
        match: { subject_prefix: "repo:acme/*" },
        target: { type: "service_account", service_account_id: c.sa },
        oauth_scope: "workspace:developer",
        workspace_id: c.ws,
      })
    ).id;
    const sameReads = reads(); // one cache across both reads
    const before = (await sameReads.loadRule(c.rule!, "jti-x"))!;
    expect(observe(before)).not.toEqual(expected);
    await change(c);
    expect(observe((await sameReads.loadRule(c.rule!, "jti-x"))!)).toEqual(expected);
  });

  // PostgreSQL: instances sharing the database each keep their own cache, read against the same policy version.
  if (kind === "postgres") {
    it("shows a rule change and a consumed jti made through one instance on the next read of another", async () => {
      const other = await openStore(parseConfig({ DATABASE_URL: server.databaseUrl }).database);
      try {
        const otherReads = exchangeReads(other, server.organizationId);
        const rule = (await admin("/federation_rules", { name: `r-${crypto.randomUUID()}`, issuer_id: ids.issuer, match: { subject_prefix: "repo:acme/*" }, target: { type: "service_account", service_account_id: ids.sa }, oauth_scope: "workspace:developer", workspace_id: ids.ws1 })).id;
        const jti = crypto.randomUUID();
        expect((await otherReads.loadRule(rule, jti))?.rule.token_lifetime_seconds).not.toBe(300);
        expect((await otherReads.loadRule(rule, jti))?.consumedJti).toEqual({ jti, used: false }); // now from its cache

        await server.admin("POST", `/federation_rules/${rule}`, { token_lifetime_seconds: 300 });
        expect((await otherReads.loadRule(rule, jti))?.rule.token_lifetime_seconds).toBe(300);
        await persistGrant(server.runtime.store, await grantFor(jti), attempt("req_other_instance"));
        expect((await otherReads.loadRule(rule, jti))?.consumedJti).toEqual({ jti, used: true });
        await server.admin("POST", `/federation_rules/${rule}/archive`);
        expect((await otherReads.loadRule(rule, jti))?.rule.archived_at).not.toBeNull();
      } finally {
        await other.close();
      }
    });
  }

  // SQLite only: Kysely drives one SQLite connection, and a streamed query holds it until it ends
  // (PostgreSQL hands each caller its own pooled connection, and the app streams nothing there).
  if (kind === "sqlite") {
    it("reads rules and commits grants while a streamed query holds Kysely's connection open", async () => {
      await persistGrant(server.runtime.store, await grantFor(crypto.randomUUID()), attempt("req_stream_seed"));
      const stream = db().selectFrom("auth_events").select("id").stream(1)[Symbol.asyncIterator]();
      await stream.next(); // the query is now open on the connection, and stays open until it ends
      try {
        const grant = await grantFor(crypto.randomUUID());
        await persistGrant(server.runtime.store, grant, attempt("req_beside_stream"));
        expect((await reads().loadRule(ids.rule!, grant.jti!.value))?.consumedJti?.used).toBe(true);
      } finally {
        await stream.return?.();
      }
      expect((await rowsFor("req_beside_stream")).tokens).toHaveLength(1);
    });
  }

  it("records a denial with its reason and capped detail", async () => {
    await recordDenial(server.runtime.store, {
      ...attempt("req_denied"),
      reason: "match_subject_prefix",
      detail: "x".repeat(5000),
      ruleId: ids.rule!,
      issuerId: ids.issuer!,
      serviceAccountId: ids.sa!,
      claims: { sub: "repo:other/app" },
      claimsVerified: true,
    });
    const event = await db().selectFrom("auth_events").selectAll().where("request_id", "=", "req_denied").executeTakeFirstOrThrow();
    expect(event).toMatchObject({ outcome: "denied", reason: "match_subject_prefix", subject: "repo:other/app", claims_verified: 1, federation_rule_id: ids.rule, access_token_id: null });
    expect(event.detail).toHaveLength(2000);
  });
});
