/**
 * Gateway settings over the Admin API and what they change on the wire, on SQLite and
 * PostgreSQL: limits (429 with retry-after, shared counters), the upstream key (write-only,
 * sealed at rest), pass-through of real upstream keys, introspection and revocation.
 */
import { once } from "node:events";
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGatewayHarness, UPSTREAM_KEY, type GatewayHarness } from "../../e2e/support/gateway-harness";
import { DATABASE_KINDS } from "../../e2e/support/test-server";

const body = (model: string, extra: Record<string, unknown> = {}) => JSON.stringify({ model, max_tokens: 16, messages: [{ role: "user", content: "hi" }], ...extra });

describe.each(DATABASE_KINDS)("gateway settings (%s)", (kind) => {
  let h: GatewayHarness;
  beforeAll(async () => {
    h = await startGatewayHarness(kind);
  });
  afterAll(async () => h?.close());

  const call = (credential: string, model = "claude-test", extra: Record<string, unknown> = {}) =>
    fetch(`${h.server.url}/v1/messages`, { method: "POST", headers: { authorization: `Bearer ${credential}`, "content-type": "application/json" }, body: body(model, extra) });

  it("refuses requests over a service account's requests-per-minute limit with 429 and retry-after", async () => {
    const who = await h.federation.identity("rpm-bot", "workspace:inference");
    const { accessToken } = await who.exchange();
    expect(await h.server.admin("POST", `/service_accounts/${who.serviceAccountId}/gateway_limits`, { requests_per_minute: 2 })).toMatchObject({ requests_per_minute: 2, tokens_per_minute: null });
    expect((await call(accessToken)).status).toBe(200);
    expect((await call(accessToken)).status).toBe(200);
    const row = h.nextRow((r) => r.reason === "requests_per_minute");
    const refused = await call(accessToken);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ type: "error", error: { type: "rate_limit_error" } });
    expect(await row).toMatchObject({ status: 429, outcome: "denied", service_account_id: who.serviceAccountId });
  });

  it("refuses once a minute's tokens are spent (tokens per minute, counted from replies)", async () => {
    const who = await h.federation.identity("tpm-bot", "workspace:inference");
    const { accessToken } = await who.exchange();
    await h.server.admin("POST", `/service_accounts/${who.serviceAccountId}/gateway_limits`, { tokens_per_minute: 20 });
    const first = h.nextRow((r) => r.service_account_id === who.serviceAccountId);
    expect((await call(accessToken)).status).toBe(200); // uses 23 tokens
    await first; // its tokens are counted once its row is written
    const refused = await call(accessToken);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toMatch(/^\d+$/);
  });

  it("limits concurrent streams per API key, and frees the slot when a stream ends", async () => {
    const { key } = (await h.server.admin("POST", "/api_keys", { name: "one-stream" })) as unknown as { key: string; api_key: { id: string } };
    const keyId = ((await h.server.admin("GET", "/api_keys?limit=1")) as unknown as { data: Array<{ id: string; name: string }> }).data.find((k) => k.name === "one-stream")!.id;
    await h.server.admin("POST", `/api_keys/${keyId}/gateway_limits`, { concurrent_streams: 1 });
    const open = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = http.request(`${h.server.url}/v1/messages`, { method: "POST", headers: { "x-api-key": key, "content-type": "application/json" } }, resolve);
      req.on("error", reject);
      req.end(body("slow-stream", { stream: true }));
    });
    await once(open, "data");
    const second = await call(key);
    expect(second.status).toBe(429);
    expect(await second.json()).toMatchObject({ error: { type: "rate_limit_error", message: expect.stringContaining("concurrent_streams") } });
    const done = h.nextRow((r) => r.api_key_id === keyId && r.status === 200);
    open.resume();
    h.upstream.release();
    await done;
    expect((await call(key)).status).toBe(200);
  });

  it("keeps the upstream key write-only: shown by its last four, stored sealed, used on the wire", async () => {
    const settings = (await h.server.admin("GET", "/gateway/upstream")) as unknown as { default: Record<string, unknown> };
    expect(settings.default).toMatchObject({ api_key_last4: UPSTREAM_KEY.slice(-4), api_key_source: "organization", base_url: h.upstream.url, base_url_source: "environment" });
    expect(JSON.stringify(settings)).not.toContain(UPSTREAM_KEY.slice(0, 20));
    const stored = await h.server.runtime.store.db.selectFrom("gateway_upstreams").selectAll().execute();
    expect(JSON.stringify(stored)).not.toContain(UPSTREAM_KEY.slice(0, 20));
    expect(stored.find((r) => r.workspace_id === "*")?.api_key_sealed).toMatch(/^v1\./);
    const audit = await h.server.runtime.store.db.selectFrom("audit_events").select("detail").where("action", "=", "gateway_upstream.updated").execute();
    expect(JSON.stringify(audit)).not.toContain(UPSTREAM_KEY.slice(0, 20));
    // The URL comes from WIF_UPSTREAM_URL, so it cannot be changed here.
    await expect(h.server.admin("POST", "/gateway/upstream", { base_url: "https://example.test" })).rejects.toThrow(/400.*WIF_UPSTREAM_URL/);
    await expect(h.server.admin("POST", "/gateway/upstream", { base_url: "http://example.test" })).rejects.toThrow(/400/);
  });

  it("tests the connection with the configured key and lists the upstream's models", async () => {
    const seen = h.upstream.next("/v1/models");
    expect(await h.server.admin("POST", "/gateway/upstream/test", {})).toMatchObject({
      ok: true,
      status: 200,
      problem: null,
      models: [
        { id: "claude-test-1", display_name: "claude-test-1" },
        { id: "claude-test-2", display_name: "claude-test-2" },
      ],
    });
    expect((await seen).headers["x-api-key"]).toBe(UPSTREAM_KEY);
  });

  it("uses a workspace's own upstream key for its credentials", async () => {
    const ws = await h.server.admin("POST", "/workspaces", { name: "team-b" });
    await h.server.admin("POST", "/gateway/upstream", { workspace_id: ws.id, api_key: "sk-ant-api03-team-b-key-9999" });
    const { key } = (await h.server.admin("POST", "/api_keys", { name: "team-b", workspace_id: ws.id })) as unknown as { key: string };
    const seen = h.upstream.next("/v1/messages");
    expect((await call(key)).status).toBe(200);
    expect((await seen).headers["x-api-key"]).toBe("sk-ant-api03-team-b-key-9999");
  });

  it("passes a real upstream key through only when the organization allows it, audited by its last four", async () => {
    const legacy = "sk-ant-api03-real-upstream-key-of-a-legacy-client-L4ST";
    expect((await call(legacy)).status).toBe(401);
    await h.server.admin("POST", "/gateway/upstream", { allow_passthrough: true });
    const seen = h.upstream.next("/v1/messages");
    const row = h.nextRow((r) => r.credential_type === "passthrough");
    expect((await call(legacy)).status).toBe(200);
    expect((await seen).headers["x-api-key"]).toBe(legacy);
    expect(await row).toMatchObject({ credential_hint: "L4ST", status: 200 });
    // One of our own keys, deactivated, is never sent upstream.
    const { key, api_key } = (await h.server.admin("POST", "/api_keys", { name: "retired" })) as unknown as { key: string; api_key: { id: string } };
    await h.server.admin("POST", `/api_keys/${api_key.id}`, { status: "inactive" });
    expect((await call(key)).status).toBe(401);
    await h.server.admin("POST", "/gateway/upstream", { allow_passthrough: false });
  });

  it("introspects (RFC 7662) and revokes (RFC 7009) access tokens", async () => {
    const who = await h.federation.identity("introspected", "workspace:inference");
    const { accessToken, requestId } = await who.exchange();
    const form = (token: string) => new URLSearchParams({ token }).toString();
    const introspect = (token: string, credential = h.server.adminKey) =>
      fetch(`${h.server.url}/v1/oauth/introspect`, { method: "POST", headers: { authorization: `Bearer ${credential}`, "content-type": "application/x-www-form-urlencoded" }, body: form(token) });
    const active = await introspect(accessToken);
    expect(active.status).toBe(200);
    expect(await active.json()).toMatchObject({ active: true, scope: "workspace:inference", sub: who.serviceAccountId, federation_rule_id: who.ruleId, federated_subject: who.subject, exchange_request_id: requestId, exp: expect.any(Number) });
    // Only an admin key or an org:admin token may introspect.
    expect((await introspect(accessToken, accessToken)).status).toBe(403);
    expect(await (await introspect("sk-ant-oat01-nope")).json()).toEqual({ active: false });

    // A token revokes itself; afterwards it is refused everywhere.
    const revoke = await fetch(`${h.server.url}/v1/oauth/revoke`, { method: "POST", headers: { authorization: `Bearer ${accessToken}`, "content-type": "application/x-www-form-urlencoded" }, body: form(accessToken) });
    expect(revoke.status).toBe(200);
    expect(await (await introspect(accessToken)).json()).toEqual({ active: false });
    expect((await call(accessToken)).status).toBe(401);

    const meta = (await (await fetch(`${h.server.url}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
    expect(meta).toMatchObject({ issuer: h.server.runtime.publicUrl, introspection_endpoint: `${h.server.runtime.publicUrl}/v1/oauth/introspect`, revocation_endpoint: `${h.server.runtime.publicUrl}/v1/oauth/revoke` });
  });

  it("lists requests and sums usage per service account", async () => {
    const page = (await h.server.admin("GET", "/gateway_requests?limit=5&path_family=messages")) as unknown as { data: Array<Record<string, unknown>>; has_more: boolean };
    expect(page.data.length).toBeGreaterThan(0);
    expect(page.data[0]).toMatchObject({ type: "gateway_request", path_family: "messages" });
    const usage = (await h.server.admin("GET", "/gateway_usage?group_by=service_account")) as unknown as { data: Array<{ name: string | null; requests: number; input_tokens: number }> };
    const rpm = usage.data.find((u) => u.name === "rpm-bot");
    expect(rpm).toMatchObject({ requests: 3, errors: 1, input_tokens: 22 });
  });
});
