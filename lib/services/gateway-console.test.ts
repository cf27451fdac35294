/**
 * What the console's gateway pages read and change, on SQLite and PostgreSQL: usage over time
 * (bucketed in SQL), one request with its credential chain, who may change the upstream, and
 * "Test connection" naming the step that failed, one case per failure.
 */
import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS, openTestStore, type TestStore } from "../../e2e/support/test-server";
import { keyringFrom } from "../core/secret-box";
import { newId } from "../core/ids";
import type { GatewayRequestRow } from "../store/gateway-request-log";
import type { AdminContext } from "./context";
import { getGatewayRequest, listGatewayRequests, summarizeGatewayUsageOverTime } from "./gateway-requests";
import { getUpstreamSettings, testUpstreamConnection, updateUpstreamSettings, type GatewaySettingsContext, type UpstreamProblem } from "./gateway-upstreams";
import { createServiceAccount } from "./service-accounts";
import { createWorkspace } from "./workspaces";

const secrets = keyringFrom(Buffer.alloc(32, 7));

function row(ctx: AdminContext, at: string, fields: Partial<GatewayRequestRow> = {}): GatewayRequestRow {
  return {
    id: newId("gatewayRequest"),
    organization_id: ctx.principal.organizationId,
    occurred_at: at,
    request_id: newId("request"),
    upstream_request_id: null,
    credential_type: "access_token",
    credential_hint: null,
    access_token_id: null,
    exchange_request_id: null,
    federation_rule_id: null,
    service_account_id: null,
    subject: null,
    api_key_id: null,
    workspace_id: null,
    method: "POST",
    path: "/v1/messages",
    path_family: "messages",
    model: "claude-a",
    status: 200,
    outcome: "completed",
    reason: null,
    streamed: 0,
    input_tokens: 10,
    output_tokens: 5,
    cache_creation_input_tokens: null,
    cache_read_input_tokens: 1,
    ttfb_ms: 3,
    duration_ms: 9,
    request_bytes: 100,
    response_bytes: 200,
    ...fields,
  };
}

describe.each(DATABASE_KINDS)("gateway console data (%s)", (kind) => {
  let t: TestStore;
  let ctx: GatewaySettingsContext;
  let alpha: string;
  let beta: string;
  beforeAll(async () => {
    t = await openTestStore(kind);
    ctx = { ...t.ctx, secrets, gateway: { upstreamUrl: undefined, upstreamApiKey: undefined } };
    alpha = (await createServiceAccount(t.ctx, { name: "alpha-bot" })).id;
    beta = (await createServiceAccount(t.ctx, { name: "beta-bot" })).id;
    const rows = [
      row(t.ctx, "2026-11-24T10:00:05.000Z", { service_account_id: alpha }),
      row(t.ctx, "2026-11-24T10:00:59.999Z", { service_account_id: alpha, model: "claude-b" }),
      row(t.ctx, "2026-11-24T10:02:30.000Z", { service_account_id: beta }),
      row(t.ctx, "2026-11-24T10:02:31.000Z", { service_account_id: null, credential_type: "api_key", model: null, input_tokens: null, output_tokens: null, cache_read_input_tokens: null, status: 403, outcome: "denied" }),
    ];
    await t.store.db.insertInto("gateway_requests").values(rows).execute();
  });
  afterAll(async () => t?.close());

  it("sums requests and tokens per minute and per service account, empty minutes included", async () => {
    const usage = await summarizeGatewayUsageOverTime(t.ctx, { series_by: "service_account" });
    expect(usage.bucket).toBe("minute");
    const minute = Date.parse("2026-11-24T10:00:00Z") / 1000;
    expect(usage.x).toEqual([minute, minute + 60, minute + 120]);
    expect(usage.series).toEqual([
      { key: alpha, label: "alpha-bot", requests: [2, 0, 0], tokens: [32, 0, 0] },
      { key: beta, label: "beta-bot", requests: [0, 0, 1], tokens: [0, 0, 16] },
      { key: null, label: "No service account (API keys)", requests: [0, 0, 1], tokens: [0, 0, 0] },
    ]);
    expect(usage.totals).toEqual({ requests: 4, tokens: 48 });
  });

  it("groups by model, applies the filters, and takes a coarser bucket for a longer range", async () => {
    const byModel = await summarizeGatewayUsageOverTime(t.ctx, { series_by: "model", service_account_id: alpha });
    expect(byModel.series.map((s) => [s.label, s.requests])).toEqual([
      ["claude-a", [1]],
      ["claude-b", [1]],
    ]);
    const day = await summarizeGatewayUsageOverTime(t.ctx, { since: "2026-11-20T00:00:00Z", until: "2026-12-01T00:00:00Z" });
    expect(day.bucket).toBe("day");
    expect(day.x).toHaveLength(11); // 20–30 November: `until` is exclusive
    expect(day.series.reduce((n, s) => n + s.requests.reduce((a, b) => a + b, 0), 0)).toBe(4);
    const tenMinutes = await summarizeGatewayUsageOverTime(t.ctx, { since: "2026-11-24T00:00:00Z", until: "2026-11-25T00:00:00Z" });
    expect(tenMinutes.bucket).toBe("ten_minutes");
    expect(tenMinutes.series.find((s) => s.key === alpha)?.requests[60]).toBe(2);
  });

  it("answers an empty range with no points rather than an error", async () => {
    expect(await summarizeGatewayUsageOverTime(t.ctx, { since: "2027-01-01T00:00:00Z" })).toMatchObject({ x: [], series: [], totals: { requests: 0, tokens: 0 } });
  });

  it("folds all but the five largest series into Other", async () => {
    const many = Array.from({ length: 8 }, (_, i) => row(t.ctx, "2026-10-01T00:00:00.000Z", { model: `m-${i}`, service_account_id: beta }));
    await t.store.db.insertInto("gateway_requests").values(many).execute();
    const usage = await summarizeGatewayUsageOverTime(t.ctx, { series_by: "model", until: "2026-10-02T00:00:00Z", bucket: "day" });
    expect(usage.series).toHaveLength(6);
    expect(usage.series.at(-1)).toMatchObject({ key: null, label: "Other", requests: [3] });
  });

  it("shows one request with the rule's name and the history entry of the exchange that minted its token", async () => {
    const exchangeRequest = newId("request");
    const eventId = newId("authEvent");
    await t.store.db
      .insertInto("auth_events")
      .values({ id: eventId, organization_id: t.ctx.principal.organizationId, occurred_at: "2026-11-24T09:59:00.000Z", request_id: exchangeRequest, outcome: "granted", reason: null, detail: null, federation_rule_id: null, issuer_id: null, service_account_id: alpha, workspace_id: null, subject: "repo:acme/app", claims: null, claims_verified: 1, access_token_id: null, client_ip: null })
      .execute();
    const r = row(t.ctx, "2026-11-24T10:05:00.000Z", { service_account_id: alpha, exchange_request_id: exchangeRequest, subject: "repo:acme/app" });
    await t.store.db.insertInto("gateway_requests").values(r).execute();
    expect(await getGatewayRequest(t.ctx, r.id)).toMatchObject({ id: r.id, service_account_name: "alpha-bot", exchange_event_id: eventId, subject: "repo:acme/app", streamed: false });
    await expect(getGatewayRequest(t.ctx, "gwreq_missing")).rejects.toMatchObject({ status: 404 });
    const page = await listGatewayRequests(t.ctx, { service_account_id: alpha, limit: "2" });
    expect(page.data.map((d) => d.id)[0]).toBe(r.id);
  });

  it("lets a viewer read the upstream settings but not change or test them", async () => {
    const viewer: GatewaySettingsContext = { ...ctx, principal: { kind: "user", id: "user_viewer", organizationId: ctx.principal.organizationId, role: "viewer", label: "v@example.com" } };
    await expect(getUpstreamSettings(viewer)).resolves.toMatchObject({ type: "gateway_upstream_settings" });
    await expect(updateUpstreamSettings(viewer, { api_key: "sk-ant-api03-viewer-wants-this" })).rejects.toMatchObject({ status: 403 });
    await expect(updateUpstreamSettings(viewer, { allow_passthrough: true })).rejects.toMatchObject({ status: 403 });
    await expect(testUpstreamConnection(viewer, {})).rejects.toMatchObject({ status: 403 });
    const settings = await getUpstreamSettings(ctx);
    expect(settings.default).toMatchObject({ api_key_last4: null, allow_passthrough: false });
  });
});

describe("Test connection names what failed", () => {
  let t: TestStore;
  let ctx: GatewaySettingsContext;
  const servers: Array<http.Server | net.Server> = [];
  const listen = async (server: http.Server | net.Server): Promise<number> => {
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return (server.address() as AddressInfo).port;
  };
  const answering = (status: number, body: string): Promise<number> => listen(http.createServer((_req, res) => res.writeHead(status, { "content-type": "application/json", "request-id": "req_up_1" }).end(body)));

  beforeAll(async () => {
    t = await openTestStore("sqlite");
    ctx = { ...t.ctx, secrets, gateway: { upstreamUrl: undefined, upstreamApiKey: undefined } };
  });
  afterAll(async () => {
    for (const s of servers) s.close();
    await t?.close();
  });

  const refusedPort = async (): Promise<number> => {
    const s = net.createServer();
    const port = await listen(s);
    s.close();
    return port;
  };

  it.each<[UpstreamProblem, () => Promise<string>]>([
    ["dns", async () => "https://no-such-host.invalid"],
    ["refused", async () => `http://127.0.0.1:${await refusedPort()}`],
    ["tls", async () => `https://127.0.0.1:${await answering(200, "{}")}`],
    ["timeout", async () => `http://127.0.0.1:${await listen(net.createServer(() => undefined))}`],
    ["unauthorized", async () => `http://127.0.0.1:${await answering(401, '{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}')}`],
    ["forbidden", async () => `http://127.0.0.1:${await answering(403, "{}")}`],
    ["http_error", async () => `http://127.0.0.1:${await answering(500, "{}")}`],
    ["bad_reply", async () => `http://127.0.0.1:${await answering(200, "<html>not an API</html>")}`],
  ])("%s", { timeout: 15_000 }, async (problem, url) => {
    const ws = await createWorkspace(t.ctx, { name: `ws-${problem}` });
    await updateUpstreamSettings(ctx, { workspace_id: ws.id, base_url: await url(), api_key: "sk-ant-api03-test-key-1234" });
    const result = await testUpstreamConnection(ctx, { workspace_id: ws.id });
    expect(result).toMatchObject({ ok: false, problem, models: [] });
    expect(result.message).not.toContain("sk-ant-api03");
  });

  it("no_key: says so before any connection", async () => {
    expect(await testUpstreamConnection(ctx, {})).toMatchObject({ ok: false, problem: "no_key", status: null });
  });
});
