/**
 * The client address the token endpoint records in the authentication history: the TCP
 * peer, or the forwarded client when the peer is a trusted proxy (lib/services/forwarded.ts).
 * Real server, real HTTP from chosen loopback source addresses; 127.0.0.2 is the trusted proxy.
 */
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS, startTestServer, type TestServer } from "../../e2e/support/test-server";

function postToken(url: string, from: string, headers: Record<string, string>): Promise<{ status: number; requestId: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(new URL("/v1/oauth/token", url), { method: "POST", localAddress: from, headers: { "content-type": "application/json", ...headers } }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, requestId: String(res.headers["request-id"]) }));
    });
    req.on("error", reject);
    req.end("{}");
  });
}

describe.each(DATABASE_KINDS)("token endpoint client address (%s)", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind, { WIF_TRUSTED_PROXIES: "127.0.0.2/32" });
  });
  afterAll(() => server?.close());

  it.each([
    ["a direct client is its TCP peer, whatever X-Forwarded-For says", "127.0.1.1", { "x-forwarded-for": "203.0.113.9" }, "127.0.1.1"],
    ["behind the trusted proxy, the forwarded client", "127.0.0.2", { "x-forwarded-for": "192.0.2.1, 203.0.113.9" }, "203.0.113.9"],
    ["the trusted proxy without X-Forwarded-For is itself the client", "127.0.0.2", {}, "127.0.0.2"],
  ])("%s", async (_name, from, headers, recorded) => {
    const reply = await postToken(server.url, from, headers);
    expect(reply.status).toBe(400);
    const row = await server.runtime.store.db.selectFrom("auth_events").select("client_ip").where("request_id", "=", reply.requestId).executeTakeFirstOrThrow();
    expect(row.client_ip).toBe(recorded);
  });
});
