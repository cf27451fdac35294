/**
 * The gateway end to end over real HTTP: a real server (SQLite and PostgreSQL) forwarding to a
 * local test upstream. Header rules, the scope table, upstream errors, streaming without
 * buffering, abort propagation, broken streams, unreachable upstreams — each with its audit row.
 */
import { once } from "node:events";
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGatewayHarness, UPSTREAM_KEY, type GatewayHarness } from "../../e2e/support/gateway-harness";
import { DATABASE_KINDS } from "../../e2e/support/test-server";
import { DOWNLOAD_BYTES, UPSTREAM_USAGE } from "../../e2e/support/test-upstream";

const messageBody = (model: string, extra: Record<string, unknown> = {}) => JSON.stringify({ model, max_tokens: 16, messages: [{ role: "user", content: "hi" }], ...extra });

describe.each(DATABASE_KINDS)("Claude API gateway (%s)", (kind) => {
  let h: GatewayHarness;
  const tokens: Record<string, string> = {};
  let developer: Awaited<ReturnType<GatewayHarness["federation"]["identity"]>>;
  let developerExchange: { accessToken: string; requestId: string };
  let apiKey: string;

  beforeAll(async () => {
    h = await startGatewayHarness(kind, { WIF_UPSTREAM_HEADERS_TIMEOUT_MS: "1500" });
    developer = await h.federation.identity("dev-bot", "workspace:developer");
    developerExchange = await developer.exchange();
    tokens["workspace:developer"] = developerExchange.accessToken;
    for (const scope of ["workspace:inference", "workspace:manage_tunnels"]) tokens[scope] = (await (await h.federation.identity(scope.replace(/[^a-z]/g, "-"), scope)).exchange()).accessToken;
    tokens["org:admin"] = (await (await h.federation.identity("admin-bot", "org:admin", { role: "admin" })).exchange()).accessToken;
    apiKey = ((await h.server.admin("POST", "/api_keys", { name: "legacy" })) as unknown as { key: string }).key;
  });
  afterAll(async () => h?.close());

  const send = (path: string, init: RequestInit & { token?: string } = {}) =>
    fetch(`${h.server.url}${path}`, { ...init, headers: { ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), ...(init.headers as Record<string, string>) } });

  it("forwards with the workspace's upstream key: the client's credential and the oauth beta stay here, other headers pass", async () => {
    const seen = h.upstream.next("/v1/messages");
    const row = h.nextRow((r) => r.path === "/v1/messages" && r.access_token_id !== null);
    const res = await send("/v1/messages?beta=true", {
      method: "POST",
      token: tokens["workspace:developer"],
      headers: {
        "x-api-key": tokens["workspace:developer"]!,
        "content-type": "application/json",
        "anthropic-version": "2023-06-01",
        "anthropic-beta": "oauth-2025-04-20,files-api-2025-04-14",
        "x-stainless-retry-count": "0",
        cookie: "wif_session=abc",
        "x-forwarded-for": "10.0.0.1",
      },
      body: messageBody("claude-test"),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { usage: unknown }).usage).toEqual(UPSTREAM_USAGE);
    const received = await seen;
    expect(received.url).toBe("/v1/messages?beta=true");
    expect(received.headers["x-api-key"]).toBe(UPSTREAM_KEY);
    expect(received.headers.authorization).toBeUndefined();
    expect(received.headers.cookie).toBeUndefined();
    expect(received.headers["x-forwarded-for"]).toBeUndefined();
    expect(received.headers["anthropic-beta"]).toBe("files-api-2025-04-14");
    expect(received.headers["anthropic-version"]).toBe("2023-06-01");
    expect(received.headers["x-stainless-retry-count"]).toBe("0");
    expect(received.rawHeaders.join("\n")).not.toContain(tokens["workspace:developer"]);
    expect(res.headers.get("request-id")).toMatch(/^req_up_/);
    expect(res.headers.get("wif-request-id")).toMatch(/^req_/);

    expect(await row).toMatchObject({
      credential_type: "access_token",
      exchange_request_id: developerExchange.requestId,
      federation_rule_id: developer.ruleId,
      service_account_id: developer.serviceAccountId,
      subject: developer.subject,
      method: "POST",
      path: "/v1/messages",
      path_family: "messages",
      model: "claude-test",
      status: 200,
      outcome: "completed",
      streamed: 0,
      ...UPSTREAM_USAGE,
      upstream_request_id: res.headers.get("request-id"),
      request_id: res.headers.get("wif-request-id"),
    });
  });

  it("refuses two different credentials in x-api-key and Authorization (401), without an upstream call", async () => {
    const before = h.upstream.received.length;
    const row = h.nextRow((r) => r.reason === "credentials_disagree");
    const res = await send("/v1/messages", { method: "POST", token: tokens["workspace:developer"], headers: { "x-api-key": apiKey, "content-type": "application/json" }, body: messageBody("m") });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ type: "error", error: { type: "authentication_error" } });
    expect((await row).status).toBe(401);
    expect(h.upstream.received.length).toBe(before);
  });

  it.each([
    ["GET", "/v1/models", "workspace:inference", 200],
    ["POST", "/v1/messages/count_tokens", "workspace:inference", 200],
    ["POST", "/v1/messages/batches", "workspace:inference", 403],
    ["GET", "/v1/files", "workspace:inference", 403],
    ["GET", "/v1/agents", "workspace:inference", 403],
    ["GET", "/v1/tunnels", "workspace:inference", 403],
    ["GET", "/v1/tunnels", "workspace:manage_tunnels", 200],
    ["POST", "/v1/messages", "workspace:manage_tunnels", 403],
    ["POST", "/v1/messages/batches", "workspace:developer", 200],
    ["GET", "/v1/some_future_family/x", "workspace:developer", 200],
    ["GET", "/v1/tunnels", "workspace:developer", 200],
    ["POST", "/v1/messages", "org:admin", 403],
    ["POST", "/v1/messages/batches", "api key", 200],
    ["POST", "/v1/messages", "admin key", 403],
  ])("%s %s with %s → %i, audited", async (method, path, who, status) => {
    const credential = who === "api key" ? apiKey : who === "admin key" ? h.server.adminKey : tokens[who]!;
    const before = h.upstream.received.length;
    const row = h.nextRow((r) => r.path === path && r.status === status);
    const res = await send(path, { method, headers: { "x-api-key": credential, "content-type": "application/json" }, body: method === "GET" ? undefined : messageBody("m") });
    expect(res.status).toBe(status);
    const stored = await row;
    if (status === 403) {
      expect(await res.json()).toMatchObject({ type: "error", error: { type: "permission_error" } });
      expect(stored).toMatchObject({ outcome: "denied", reason: "scope" });
      // Scope is decided before any upstream connection.
      expect(h.upstream.received.length).toBe(before);
    } else {
      await res.arrayBuffer();
      expect(stored.outcome).toBe("completed");
    }
  });

  it("passes upstream errors through unchanged (status, retry-after, request-id, rate-limit headers)", async () => {
    const row = h.nextRow((r) => r.status === 429);
    const res = await send("/v1/messages", { method: "POST", token: tokens["workspace:developer"], headers: { "content-type": "application/json" }, body: messageBody("error-429") });
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("7");
    expect(res.headers.get("anthropic-ratelimit-requests-remaining")).toBe("0");
    expect(res.headers.get("request-id")).toMatch(/^req_up_/);
    expect(await res.json()).toEqual({ type: "error", error: { type: "rate_limit_error", message: "Number of requests has exceeded your rate limit" } });
    expect(await row).toMatchObject({ outcome: "completed", status: 429, upstream_request_id: res.headers.get("request-id") });
  });

  /** A streaming request on a raw socket, so the test sees chunks as they arrive. */
  function openStream(model: string): Promise<http.IncomingMessage> {
    return new Promise((resolve, reject) => {
      const req = http.request(`${h.server.url}/v1/messages`, { method: "POST", headers: { authorization: `Bearer ${tokens["workspace:developer"]}`, "content-type": "application/json" } }, resolve);
      req.on("error", reject);
      req.end(messageBody(model, { stream: true }));
    });
  }

  it("streams events as they arrive: the first reaches the client while the upstream still holds the rest", async () => {
    const row = h.nextRow((r) => r.model === "slow-stream" && r.outcome === "completed");
    const res = await openStream("slow-stream");
    expect(res.headers["content-type"]).toBe("text/event-stream");
    const [first] = (await once(res, "data")) as [Buffer];
    expect(first.toString()).toContain("event: message_start");
    let rest = "";
    res.on("data", (c: Buffer) => (rest += c.toString()));
    const ended = once(res, "end");
    h.upstream.release();
    await ended;
    expect(rest).toContain("event: message_stop");
    expect(await row).toMatchObject({ streamed: 1, ...UPSTREAM_USAGE, status: 200 });
    expect((await row).ttfb_ms).not.toBeNull();
  });

  it("aborts the upstream request when the client leaves mid-stream; the row says client_closed", async () => {
    const row = h.nextRow((r) => r.outcome === "client_closed");
    const aborted = once(h.upstream.events, "aborted");
    const res = await openStream("hold-stream");
    await once(res, "data");
    res.destroy();
    await aborted;
    expect(await row).toMatchObject({ status: 200, streamed: 1, model: "hold-stream" });
  });

  it("ends the client's stream when the upstream breaks mid-stream; the row says incomplete", async () => {
    const row = h.nextRow((r) => r.model === "broken-stream");
    const res = await openStream("broken-stream");
    const failed = new Promise<string>((resolve) => {
      res.on("data", () => {});
      res.on("end", () => resolve("end"));
      res.on("error", () => resolve("error"));
      res.on("aborted", () => resolve("aborted"));
    });
    expect(["error", "aborted"]).toContain(await failed);
    expect(await row).toMatchObject({ outcome: "incomplete", status: 200, streamed: 1, input_tokens: UPSTREAM_USAGE.input_tokens });
  });

  it("answers 504 in the platform's envelope when the upstream does not answer in time", async () => {
    const row = h.nextRow((r) => r.outcome === "upstream_timeout");
    const res = await send("/v1/messages", { method: "POST", token: tokens["workspace:developer"], headers: { "content-type": "application/json" }, body: messageBody("hang") });
    expect(res.status).toBe(504);
    expect(await res.json()).toMatchObject({ type: "error", error: { type: "api_error" } });
    expect((await row).status).toBe(504);
  });

  it("answers 502 when the workspace's upstream cannot be reached", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const ws = await h.server.admin("POST", "/workspaces", { name: "unreachable" });
    await h.server.admin("POST", "/gateway/upstream", { workspace_id: ws.id, base_url: `http://127.0.0.1:${port}` });
    const key = ((await h.server.admin("POST", "/api_keys", { name: "unreachable", workspace_id: ws.id })) as unknown as { key: string }).key;
    const row = h.nextRow((r) => r.outcome === "upstream_unreachable");
    const res = await send("/v1/models", { headers: { "x-api-key": key } });
    expect(res.status).toBe(502);
    expect(await res.json()).toMatchObject({ type: "error", error: { type: "api_error" } });
    expect(await row).toMatchObject({ status: 502, workspace_id: ws.id });
  });

  it("streams a file upload up and a download down", async () => {
    const upload = Buffer.alloc(3 * 1024 * 1024, 0x62);
    const seen = h.upstream.next("/v1/files");
    const up = await send("/v1/files", { method: "POST", token: tokens["workspace:developer"], headers: { "content-type": "application/octet-stream" }, body: upload });
    expect(up.status).toBe(200);
    expect((await seen).bodyBytes).toBe(upload.length);
    const down = await send("/v1/files/file_1/content", { token: tokens["workspace:developer"] });
    expect((await down.arrayBuffer()).byteLength).toBe(DOWNLOAD_BYTES);
  });

  it("refuses paths whose meaning could differ upstream (dot segments), before authenticating", async () => {
    // Sent on a raw request: fetch would normalise the path itself.
    const row = h.nextRow((r) => r.reason === "invalid_request");
    const res = await new Promise<http.IncomingMessage>((resolve, reject) =>
      http
        .get({ host: "127.0.0.1", port: new URL(h.server.url).port, path: "/v1/models/%2e%2e/messages/batches", headers: { authorization: `Bearer ${tokens["workspace:inference"]}` } }, resolve)
        .on("error", reject),
    );
    res.resume();
    expect(res.statusCode).toBe(400);
    expect((await row).status).toBe(400);
  });

  it("answers Claude Code's HEAD / probe without credentials", async () => {
    const res = await fetch(`${h.server.url}/`, { method: "HEAD" });
    expect(res.status).toBe(200);
  });
});
