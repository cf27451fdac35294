/**
 * Logs, metrics and readiness of a real server over real HTTP, on SQLite and PostgreSQL:
 * one JSON access line per request carrying the request's ID (the same as its `request-id`
 * header and its history, audit or gateway row), a Prometheus scrape parsed by a text-format
 * parser whose counters move with exchanges and gateway requests, the metrics endpoint's
 * protection, the sample Grafana dashboard's metrics present in a scrape, and `/readyz`.
 */
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { exportJWK, generateKeyPair } from "jose";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGatewayHarness, type GatewayHarness } from "../../e2e/support/gateway-harness";
import { captureLogs, type LogCapture } from "../../e2e/support/log-capture";
import { observations, scrape } from "../../e2e/support/scrape";
import { DATABASE_KINDS, startTestServer, type TestServer } from "../../e2e/support/test-server";
import type { FederatedIdentity } from "../../e2e/support/federation";
import { logger, runInRequest } from "../observability/log";

const METRICS_TOKEN = "metrics-token-0123456789abcdef";
const root = path.resolve(import.meta.dirname, "../..");

const exchangeWith = (h: GatewayHarness, identity: FederatedIdentity, assertion: string) =>
  fetch(`${h.server.url}/v1/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion, federation_rule_id: identity.ruleId, organization_id: h.server.organizationId }),
  });

const messages = (h: GatewayHarness, token: string) =>
  fetch(`${h.server.url}/v1/messages`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "anthropic-version": "2023-06-01", "content-type": "application/json" },
    body: JSON.stringify({ model: "claude-test-model", max_tokens: 16, messages: [{ role: "user", content: "hi" }] }),
  });

describe.each(DATABASE_KINDS)("access log and metrics (%s)", (kind) => {
  let h: GatewayHarness;
  let logs: LogCapture;
  let identity: FederatedIdentity;

  beforeAll(async () => {
    logs = captureLogs();
    h = await startGatewayHarness(kind, { WIF_METRICS_TOKEN: METRICS_TOKEN, LOG_LEVEL: "info" }, { logDestination: logs });
    identity = await h.federation.identity(`obs-${kind}`, "workspace:developer");
  });
  afterAll(async () => {
    await h?.close();
  });

  it("writes one JSON access line per exchange, with the ID of its history row, outcome and rule; never the assertion or the token", async () => {
    const assertion = await identity.identityToken();
    const granted = await exchangeWith(h, identity, assertion);
    const { access_token } = (await granted.json()) as { access_token: string };
    const replayed = await exchangeWith(h, identity, assertion);
    expect([granted.status, replayed.status]).toEqual([200, 401]);

    const db = h.server.runtime.store.db;
    for (const [res, outcome, reason] of [[granted, "granted", null], [replayed, "denied", "jti_reused"]] as const) {
      const requestId = res.headers.get("request-id")!;
      const line = await logs.accessLine(requestId);
      expect(line).toMatchObject({
        level: "info",
        msg: "request",
        method: "POST",
        route: "/v1/oauth/token",
        status: res.status,
        credential_kind: "assertion",
        credential_id: identity.ruleId,
        service_account_id: identity.serviceAccountId,
        outcome,
        reason,
      });
      expect(line.duration_ms).toEqual(expect.any(Number));
      const event = await db.selectFrom("auth_events").select(["outcome", "reason"]).where("request_id", "=", requestId).executeTakeFirstOrThrow();
      expect(event).toEqual({ outcome, reason });
    }
    expect(logs.text()).not.toContain(assertion.split(".")[2]);
    expect(logs.text()).not.toContain(access_token);
  });

  it("names an Admin API request by its route pattern and the admin key's ID, and its audit row carries the same request ID", async () => {
    const sa = await h.server.admin("POST", "/service_accounts", { name: `named-${kind}` });
    const res = await fetch(`${h.server.url}/v1/organizations/service_accounts/${sa.id}`, { headers: { authorization: `Bearer ${h.server.adminKey}` } });
    expect(res.status).toBe(200);
    const requestId = res.headers.get("request-id")!;
    const keyId = (await h.server.runtime.store.db.selectFrom("api_keys").select("id").where("kind", "=", "admin").executeTakeFirstOrThrow()).id;
    expect(await logs.accessLine(requestId)).toMatchObject({ route: "/v1/organizations/service_accounts/:id", status: 200, credential_kind: "admin_key", credential_id: keyId });
    const audit = await h.server.runtime.store.db.selectFrom("audit_events").select(["action", "status_code"]).where("request_id", "=", requestId).execute();
    expect(audit).toEqual([{ action: "api.request", status_code: 200 }]);
    // The pattern, never the path with its ID.
    expect(logs.text()).not.toContain(`/service_accounts/${sa.id}`);
  });

  it("counts exchanges and gateway requests with their tokens, and logs the gateway request under its audit row's ID", async () => {
    const before = await scrape(h.server.url, METRICS_TOKEN);
    const registry = h.server.runtime.metrics.registry;
    const latencyBefore = await observations(registry, "wif_token_exchange_duration_seconds", { outcome: "granted" });
    const { accessToken } = await identity.exchange();
    const denied = await exchangeWith(h, identity, "not-a-jwt");
    expect(denied.status).toBe(401);
    const deniedLine = await logs.accessLine(denied.headers.get("request-id")!);
    const row = h.nextRow((r) => r.path === "/v1/messages");
    const res = await messages(h, accessToken);
    expect(res.status).toBe(200);
    const stored = await row;
    const after = await scrape(h.server.url, METRICS_TOKEN);

    const moved = (name: string, labels: Record<string, string>) => after.value(name, labels) - before.value(name, labels);
    expect(moved("wif_token_exchanges_total", { outcome: "granted", reason: "" })).toBe(1);
    expect(moved("wif_token_exchanges_total", { outcome: "denied" })).toBe(1);
    expect(moved("wif_token_exchanges_total", { outcome: "denied", reason: String(deniedLine.reason) })).toBe(1);
    expect(after.families.get("wif_token_exchange_duration_seconds")?.type).toBe("HISTOGRAM");
    expect((await observations(registry, "wif_token_exchange_duration_seconds", { outcome: "granted" })) - latencyBefore).toBe(1);
    const gateway = { model: "claude-test-model", service_account: identity.serviceAccountId };
    expect(moved("wif_gateway_requests_total", { ...gateway, status: "200" })).toBe(1);
    expect(moved("wif_gateway_tokens_total", { ...gateway, kind: "input" })).toBe(11);
    expect(moved("wif_gateway_tokens_total", { ...gateway, kind: "output" })).toBe(7);
    expect(moved("wif_http_requests_total", { route: "/v1/oauth/token", method: "POST", status: "200" })).toBe(1);
    expect(moved("wif_http_requests_total", { route: "gateway:messages", method: "POST", status: "200" })).toBe(1);

    // (The client sees the upstream's request-id; ours is the row's, and the access line's.)
    expect(await logs.accessLine(stored.request_id)).toMatchObject({ route: "gateway:messages", status: 200, credential_kind: "access_token", credential_id: stored.access_token_id, model: "claude-test-model" });
  });

  it("refuses a scrape without the token, or with another, with 401", async () => {
    for (const headers of [{}, { authorization: "Bearer metrics-token-0123456789abcdeX" }, { authorization: METRICS_TOKEN }] as Array<Record<string, string>>) {
      const res = await fetch(`${h.server.url}/metrics`, { headers });
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toBe('Bearer realm="metrics"');
      expect(await res.text()).not.toContain("wif_");
    }
  });

  it("serves every metric the sample Grafana dashboard queries", async () => {
    const dashboard = JSON.parse(fs.readFileSync(path.join(root, "docs/grafana-dashboard.json"), "utf8")) as { panels: Array<{ targets: Array<{ expr: string }> }> };
    const queried = new Set(dashboard.panels.flatMap((p) => p.targets.flatMap((t) => t.expr.match(/\b(?:wif|nodejs|process)_[a-z0-9_]+/g) ?? [])));
    const families = (await scrape(h.server.url, METRICS_TOKEN)).families;
    // SQLite has no connection pool to report.
    const missing = [...queried].map((m) => m.replace(/_(bucket|sum|count)$/, "")).filter((m) => !families.has(m) && !(kind === "sqlite" && m === "wif_db_pool_connections"));
    expect(queried.size).toBeGreaterThan(10);
    expect(missing).toEqual([]);
  });
});

describe("where metrics are served", () => {
  const servers: TestServer[] = [];
  afterAll(async () => {
    for (const s of servers) await s.close();
  });

  it("nowhere by default: /metrics answers 404 saying how to turn it on", async () => {
    const server = await startTestServer("sqlite");
    servers.push(server);
    const res = await fetch(`${server.url}/metrics`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ type: "error", error: { type: "not_found_error", message: expect.stringContaining("WIF_METRICS_TOKEN") } });
  });

  it("on the metrics listener only, when WIF_METRICS_LISTEN is set without a token", async () => {
    const server = await startTestServer("sqlite", { WIF_METRICS_LISTEN: "127.0.0.1:0" });
    servers.push(server);
    expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
    expect((await scrape(server.metricsUrl!)).families.has("wif_http_requests_total")).toBe(true);
    expect((await fetch(`${server.metricsUrl}/healthz`)).status).toBe(404);
  });

  it("on the metrics listener with the token too, when both are set", async () => {
    const server = await startTestServer("sqlite", { WIF_METRICS_LISTEN: "127.0.0.1:0", WIF_METRICS_TOKEN: METRICS_TOKEN });
    servers.push(server);
    expect((await fetch(`${server.metricsUrl}/metrics`)).status).toBe(401);
    expect((await scrape(server.metricsUrl!, METRICS_TOKEN)).families.size).toBeGreaterThan(0);
    expect((await scrape(server.url, METRICS_TOKEN)).families.size).toBeGreaterThan(0);
  });
});

/** A local key endpoint (JWKS) whose answers the test switches on and off. */
async function startKeyEndpoint() {
  const { publicKey } = await generateKeyPair("ES256", { extractable: true });
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: "k1", alg: "ES256" }] });
  let up = true;
  const server = http.createServer((_req, res) => (up ? res.writeHead(200, { "content-type": "application/json" }).end(jwks) : res.writeHead(503).end()));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`,
    setUp: (value: boolean) => void (up = value),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe.each(DATABASE_KINDS)("/readyz (%s)", (kind) => {
  let server: TestServer;
  let keys: Awaited<ReturnType<typeof startKeyEndpoint>>;
  beforeAll(async () => {
    keys = await startKeyEndpoint();
    server = await startTestServer(kind, { WIF_ALLOW_INSECURE_ISSUERS: "1" });
  });
  afterAll(async () => {
    await server?.close();
    await keys?.close();
  });
  const readyz = async () => {
    const res = await fetch(`${server.url}/readyz`);
    return { status: res.status, body: (await res.json()) as { status: string; checks: Record<string, { ok: boolean } & Record<string, unknown>> } };
  };
  const issuer = (name: string, url: string) => server.admin("POST", "/federation_issuers", { name, issuer_url: `https://${name}.example`, jwks: { type: "explicit_url", url } });
  const markFetchedBefore = (id: string) => server.runtime.store.db.updateTable("federation_issuers").set({ poll_last_fetched_at: new Date().toISOString() }).where("id", "=", id).execute();

  it("is ready with the database reachable and migrated, and no issuer", async () => {
    expect(await readyz()).toEqual({
      status: 200,
      body: { status: "ready", checks: { database: { ok: true }, migrations: { ok: true, pending: [] }, issuer_keys: { ok: true, not_loaded: [], unverified: [] } } },
    });
  });

  it("lists an issuer never fetched by any instance without holding readiness back", async () => {
    keys.setUp(false);
    const fresh = await issuer(`fresh-${kind}`, keys.url);
    const { status, body } = await readyz();
    expect(status).toBe(200);
    expect(body.checks.issuer_keys).toEqual({ ok: true, not_loaded: [], unverified: [fresh.id] });
    await server.admin("POST", `/federation_issuers/${fresh.id}/archive`);
  });

  it("is not ready while keys that worked before are not loaded here, naming the issuer; ready once they are", async () => {
    keys.setUp(false);
    const known = await issuer(`known-${kind}`, keys.url);
    await markFetchedBefore(known.id);
    const down = await readyz();
    expect(down.status).toBe(503);
    expect(down.body.status).toBe("not_ready");
    expect(down.body.checks.issuer_keys).toMatchObject({ ok: false, not_loaded: [{ issuer_id: known.id, reason: expect.stringMatching(/^(fetch_failed|not_fetched_yet)$/) }] });

    keys.setUp(true);
    // What the poller (or the next warm-up) does: fetch the issuer's keys into this process.
    const source = server.runtime.keys.peek(known.id)!;
    expect(await source.refresh()).toMatchObject({ ok: true });
    expect((await readyz()).status).toBe(200);
  });

  it("is not ready when a migration this code knows is not applied, naming it", async () => {
    const db = server.runtime.store.db;
    const [last] = await sql<{ name: string; timestamp: string }>`select name, timestamp from kysely_migration order by name desc limit 1`.execute(db).then((r) => r.rows);
    await sql`delete from kysely_migration where name = ${last!.name}`.execute(db);
    try {
      const { status, body } = await readyz();
      expect(status).toBe(503);
      expect(body.checks.migrations).toEqual({ ok: false, pending: [last!.name] });
    } finally {
      await sql`insert into kysely_migration (name, timestamp) values (${last!.name}, ${last!.timestamp})`.execute(db);
    }
    expect((await readyz()).status).toBe(200);
  });
});

describe("log lines a request causes", () => {
  it("carry its request ID without being told", async () => {
    const logs = captureLogs();
    const { installLogger } = await import("../observability/install-logger");
    await installLogger({ level: "info", pretty: false }, logs);
    runInRequest({ id: "req_test" }, () => logger().warn("inside"));
    logger().warn("outside");
    expect(logs.lines.map((l) => [l.msg, l.request_id])).toEqual([["inside", "req_test"], ["outside", undefined]]);
  });

  it("never show a secret-bearing field a caller passed by mistake", async () => {
    const logs = captureLogs();
    const { installLogger } = await import("../observability/install-logger");
    await installLogger({ level: "info", pretty: false }, logs);
    logger().info({ password: "pw-1", assertion: "eyJx", body: { access_token: "sk-ant-oat01-x", api_key: "sk-ant-api03-y" }, headers: { authorization: "Bearer z", cookie: "c", "x-api-key": "k" } }, "oops");
    expect(logs.text()).not.toMatch(/pw-1|eyJ|sk-ant-|Bearer z|"c"|"k"/);
  });
});
