/**
 * Drain on SIGTERM, for real: the server runs as its own process (API only), clients keep
 * exchanging tokens (each with a fresh jti) while a gateway stream is held open at the test
 * upstream, and the process gets a real SIGTERM mid-load. Every exchange a client saw granted
 * must be in the history, the stream must finish whole, `/readyz` must say 503 while draining,
 * and the process must exit 0. Its stdout must be JSON lines throughout.
 */
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdminKey } from "../services/api-keys";
import { ensureOrganization } from "../services/organization";
import { openStore } from "../store/db";
import { parseConfig } from "../config";
import { setUpFederation, type FederatedIdentity } from "../../e2e/support/federation";
import { UPSTREAM_KEY } from "../../e2e/support/gateway-harness";
import { startServerProcess, type ServerProcess } from "../../e2e/support/server-process";
import { createTestDatabase, DATABASE_KINDS } from "../../e2e/support/test-server";
import { startTestUpstream, type TestUpstream } from "../../e2e/support/test-upstream";

/** An admin key and organization on a database the server process has migrated. */
async function adminOf(databaseUrl: string) {
  const store = await openStore(parseConfig({ DATABASE_URL: databaseUrl }).database);
  try {
    const org = await ensureOrganization(store.db);
    const { key } = await createAdminKey(store.db, org.id, "drain-test", { type: "system" });
    return { key, organizationId: org.id };
  } finally {
    await store.close();
  }
}

/** A raw connection to `url`: what was written, and everything received until it closes. */
function rawConnection(url: string) {
  const { hostname, port } = new URL(url);
  const socket = net.connect(Number(port), hostname);
  let received = "";
  socket.on("data", (chunk: Buffer) => (received += chunk.toString("utf8")));
  const closed = new Promise<string>((resolve, reject) => socket.on("close", () => resolve(received)).on("error", reject));
  return { host: hostname, write: (text: string) => socket.write(text), closed };
}

/** The last HTTP reply in `wire`: status line, headers (lower case) and body. */
function lastReply(wire: string) {
  const reply = wire.slice(wire.lastIndexOf("HTTP/1.1 "));
  const [head = "", body = ""] = reply.split("\r\n\r\n");
  return { status: Number(head.split(" ")[1]), head: head.toLowerCase(), body };
}

describe.each(DATABASE_KINDS)("SIGTERM mid-load drains the server (%s)", (kind) => {
  let server: ServerProcess;
  let upstream: TestUpstream;
  let databaseUrl: string;
  let drop: () => Promise<void>;
  let identity: FederatedIdentity;
  let organizationId: string;

  beforeAll(async () => {
    const database = await createTestDatabase(kind);
    ({ url: databaseUrl, drop } = database);
    upstream = await startTestUpstream();
    server = await startServerProcess("api", { DATABASE_URL: databaseUrl, WIF_UPSTREAM_URL: upstream.url, WIF_DRAIN_TIMEOUT_MS: "60000", LOG_LEVEL: "info" });
    const admin = await adminOf(databaseUrl);
    organizationId = admin.organizationId;
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${server.url}/v1/organizations${path}`, { method, headers: { authorization: `Bearer ${admin.key}`, "content-type": "application/json" }, body: JSON.stringify(body) });
      const json = (await res.json()) as { id: string } & Record<string, unknown>;
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
      return json;
    };
    await call("POST", "/gateway/upstream", { api_key: UPSTREAM_KEY });
    const federation = await setUpFederation({ url: server.url, organizationId, admin: call });
    identity = await federation.identity(`drain-${kind}`, "workspace:developer");
  });

  afterAll(async () => {
    await server?.kill();
    upstream?.release();
    await upstream?.close();
    await drop?.();
  });

  it("answers and records every granted exchange, finishes the stream, says 503 on /readyz while draining, and exits 0", async () => {
    // A streamed Messages call that the upstream holds until released.
    const { accessToken } = await identity.exchange();
    const stream = rawConnection(server.url);
    const body = JSON.stringify({ model: "slow-stream", max_tokens: 16, stream: true, messages: [{ role: "user", content: "hi" }] });
    stream.write(`POST /v1/messages HTTP/1.1\r\nHost: ${stream.host}\r\nAuthorization: Bearer ${accessToken}\r\nAnthropic-Version: 2023-06-01\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    await upstream.next("/v1/messages");
    // A readiness probe begun before the signal and completed during the drain: a connection
    // with a request under way is not idle, so the drain keeps it.
    const probe = rawConnection(server.url);
    probe.write(`GET /readyz HTTP/1.1\r\nHost: ${probe.host}\r\n`);

    // Four clients exchange in a loop until the server stops taking their requests.
    const granted: string[] = [];
    const refused: string[] = [];
    let signalled = false;
    let onGranted: () => void = () => {};
    const enoughBeforeSignal = new Promise<void>((resolve) => (onGranted = () => granted.length >= 20 && resolve()));
    const client = async () => {
      for (;;) {
        const assertion = await identity.identityToken();
        try {
          const res = await fetch(`${server.url}/v1/oauth/token`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion, federation_rule_id: identity.ruleId, organization_id: organizationId }),
          });
          const requestId = res.headers.get("request-id")!;
          await res.json();
          (res.status === 200 ? granted : refused).push(requestId);
          onGranted();
        } catch {
          // Refused or reset once the server stopped accepting: the load is over for this client.
          if (signalled) return;
          throw new Error("an exchange failed before the server was signalled");
        }
      }
    };
    const clients = Promise.all([client(), client(), client(), client()]);
    await enoughBeforeSignal;
    server.signal("SIGTERM");
    signalled = true;
    await server.waitForLine((l) => l.msg === "draining");
    probe.write("\r\n");
    const readiness = lastReply(await probe.closed);
    const grantedBeforeRelease = granted.length;
    // The stream is still held, and the server waits for it. Let it finish.
    upstream.release();
    const [wire, exit] = await Promise.all([stream.closed, server.exited, clients]).then(([w, e]) => [w, e] as const);

    expect(exit).toEqual({ code: 0, signal: null });
    expect(refused).toEqual([]);
    expect(granted.length).toBeGreaterThanOrEqual(grantedBeforeRelease);

    // /readyz said 503 during the drain and closed its connection; the stream ended whole.
    expect(readiness.status).toBe(503);
    expect(readiness.head).toContain("connection: close");
    expect(JSON.parse(readiness.body)).toEqual({ status: "draining" });
    expect(lastReply(wire).status).toBe(200);
    expect(wire).toContain("event: message_stop");

    // Every exchange a client saw granted is in the history, with its token; the stream's audit row is written.
    const store = await openStore(parseConfig({ DATABASE_URL: databaseUrl }).database);
    try {
      const events = await store.db.selectFrom("auth_events").select(["request_id", "outcome", "access_token_id"]).where("outcome", "=", "granted").execute();
      const recorded = new Map(events.map((e) => [e.request_id, e]));
      const missing = granted.filter((id) => !recorded.get(id)?.access_token_id);
      expect(missing).toEqual([]);
      const stream = await store.db.selectFrom("gateway_requests").select(["outcome", "status", "streamed"]).where("path", "=", "/v1/messages").execute();
      expect(stream).toEqual([{ outcome: "completed", status: 200, streamed: 1 }]);
    } finally {
      await store.close();
    }

    // The process's stdout was JSON lines throughout, ending with the drain.
    const lines = server.logLines();
    expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(["shutting down", "draining", "drained"]));
    expect(lines.at(-1)).toMatchObject({ msg: "drained", cut: 0 });
  });
});
