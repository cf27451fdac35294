/**
 * The gateway across its lifetime: a graceful shutdown lets streams under way finish (or cuts
 * them at the deadline) and writes every audit row; limits hold across two instances sharing
 * PostgreSQL; demo mode answers from the built-in upstream.
 */
import { once } from "node:events";
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_TEXT } from "../gateway/demo-upstream";
import { openStore } from "../store/db";
import { startGatewayHarness, type GatewayHarness } from "../../e2e/support/gateway-harness";
import { setUpFederation } from "../../e2e/support/federation";
import { DATABASE_KINDS, startServerOn, startTestServer } from "../../e2e/support/test-server";

const streamBody = (model: string) => JSON.stringify({ model, max_tokens: 16, stream: true, messages: [{ role: "user", content: "hi" }] });

function openStream(url: string, token: string, model: string): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}/v1/messages`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" } }, resolve);
    req.on("error", reject);
    req.end(streamBody(model));
  });
}

async function storedRows(databaseUrl: string) {
  const store = await openStore(databaseUrl.startsWith("file:") ? { kind: "sqlite", file: databaseUrl.slice(5) } : { kind: "postgres", url: databaseUrl });
  try {
    return await store.db.selectFrom("gateway_requests").selectAll().execute();
  } finally {
    await store.close();
  }
}

describe.each(DATABASE_KINDS)("gateway shutdown (%s)", (kind) => {
  it("lets a stream under way finish before closing, and its audit row is written", async () => {
    const h = await startGatewayHarness(kind);
    try {
      const { accessToken } = await (await h.federation.identity("drain-bot", "workspace:inference")).exchange();
      const res = await openStream(h.server.url, accessToken, "slow-stream");
      await once(res, "data");
      let text = "";
      res.on("data", (c: Buffer) => (text += c.toString()));
      const ended = once(res, "end");
      const stopped = h.server.stop();
      h.upstream.release();
      await ended;
      await stopped;
      expect(text).toContain("message_stop");
      const rows = await storedRows(h.server.databaseUrl);
      expect(rows.filter((r) => r.model === "slow-stream")).toEqual([expect.objectContaining({ outcome: "completed", status: 200 })]);
    } finally {
      await h.close();
    }
  });

  it("cuts streams still open at the deadline; their rows say incomplete (shutdown)", async () => {
    const h = await startGatewayHarness(kind, { WIF_GATEWAY_SHUTDOWN_SECONDS: "0" });
    try {
      const { accessToken } = await (await h.federation.identity("cut-bot", "workspace:inference")).exchange();
      const res = await openStream(h.server.url, accessToken, "hold-stream");
      await once(res, "data");
      res.on("data", () => {});
      res.on("error", () => {});
      await h.server.stop();
      const rows = await storedRows(h.server.databaseUrl);
      expect(rows.filter((r) => r.model === "hold-stream")).toEqual([expect.objectContaining({ outcome: "incomplete", reason: "shutdown" })]);
    } finally {
      await h.close();
    }
  });
});

describe("gateway limits across instances (postgres)", () => {
  let h: GatewayHarness;
  beforeAll(async () => {
    h = await startGatewayHarness("postgres");
  });
  afterAll(async () => h?.close());

  it("counts a service account's requests on both instances together", async () => {
    const second = await startServerOn(h.server.databaseUrl, { WIF_UPSTREAM_URL: h.upstream.url });
    try {
      const who = await h.federation.identity("shared-bot", "workspace:inference");
      const { accessToken } = await who.exchange();
      await h.server.admin("POST", `/service_accounts/${who.serviceAccountId}/gateway_limits`, { requests_per_minute: 2 });
      const call = (url: string) => fetch(`${url}/v1/models`, { headers: { authorization: `Bearer ${accessToken}` } });
      expect((await call(h.server.url)).status).toBe(200);
      expect((await call(second.url)).status).toBe(200);
      expect((await call(h.server.url)).status).toBe(429);
      expect((await call(second.url)).status).toBe(429);
    } finally {
      await second.close();
    }
  });
});

describe("demo upstream", () => {
  it("answers Messages (plain and streaming), count tokens and models through the gateway, saying no model was called", async () => {
    const server = await startTestServer("sqlite", { WIF_DEMO: "1" });
    try {
      const { accessToken } = await (await (await setUpFederation(server)).identity("demo-bot", "workspace:inference")).exchange();
      const headers = { authorization: `Bearer ${accessToken}`, "content-type": "application/json" };
      const plain = await fetch(`${server.url}/v1/messages`, { method: "POST", headers, body: JSON.stringify({ model: "claude-x", max_tokens: 8, messages: [{ role: "user", content: "hi" }] }) });
      expect(await plain.json()).toMatchObject({ type: "message", model: "claude-x", content: [{ type: "text", text: DEMO_TEXT }] });
      const streamed = await (await fetch(`${server.url}/v1/messages`, { method: "POST", headers, body: streamBody("claude-x") })).text();
      expect(streamed).toContain("event: message_stop");
      const deltas = [...streamed.matchAll(/"text_delta","text":("(?:[^"\\]|\\.)*")/g)].map((m) => JSON.parse(m[1]!) as string);
      expect(deltas.join("")).toBe(DEMO_TEXT);
      expect(await (await fetch(`${server.url}/v1/messages/count_tokens`, { method: "POST", headers, body: JSON.stringify({ model: "claude-x", messages: [] }) })).json()).toMatchObject({ input_tokens: expect.any(Number) });
      expect(await (await fetch(`${server.url}/v1/models`, { headers })).json()).toMatchObject({ data: [expect.objectContaining({ id: "demo-model" })] });
    } finally {
      await server.close();
    }
  });
});
