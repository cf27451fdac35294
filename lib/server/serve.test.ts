/**
 * The custom server's edge, over real sockets: malformed requests answered 4xx before any
 * handler (raw bytes, so nothing a client library would refuse is lost), and HSTS on https
 * responses only — over TLS with a throwaway self-signed certificate (made with openssl).
 * The console (Next) side of the edge runs against the built console in e2e/edge.spec.ts.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import https from "node:https";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, startServerOn } from "../../e2e/support/test-server";
import { sendRaw } from "../../e2e/support/fuzz";
import type { RunningServer } from "./serve";

function selfSignedCertificate(): { key: string; cert: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wif-tls-"));
  try {
    execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "key.pem", "-out", "cert.pem", "-days", "1", "-subj", "/CN=localhost"], { cwd: dir, stdio: "ignore" });
    return { key: fs.readFileSync(path.join(dir, "key.pem"), "utf8"), cert: fs.readFileSync(path.join(dir, "cert.pem"), "utf8") };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** One request over TLS (the test certificate is self-signed): status and HSTS header. */
function httpsRequest(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; hsts: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method: init.method ?? "GET", headers: init.headers, rejectUnauthorized: false }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, hsts: res.headers["strict-transport-security"] as string | undefined }));
    });
    req.on("error", reject);
    req.end(init.body);
  });
}

/** Write all of `bytes` without reading, then read the answer: the first line, or how it failed. */
function sendWholeThenRead(port: number, bytes: Buffer): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.pause();
    let received = "";
    socket.on("data", (chunk: Buffer) => (received += chunk.toString("latin1")));
    socket.on("error", (err: NodeJS.ErrnoException) => resolve(received.split("\r\n")[0] || `error ${err.code}`));
    socket.on("close", () => resolve(received.split("\r\n")[0] || "closed without an answer"));
    socket.write(bytes, () => socket.resume());
  });
}

const raw = (port: number, text: string) => sendRaw("127.0.0.1", port, Buffer.from(text.replace(/\n/g, "\r\n"), "latin1"));

describe("the edge refuses malformed requests before any handler", () => {
  let server: RunningServer;
  let drop: () => Promise<void>;
  let port = 0;
  beforeAll(async () => {
    const database = await createTestDatabase("sqlite");
    drop = database.drop;
    server = await startServerOn(database.url);
    port = Number(new URL(server.url).port);
  });
  afterAll(async () => {
    await server?.close();
    await drop?.();
  });

  it.each<[label: string, request: string, status: number]>([
    ["TRACE", "TRACE / HTTP/1.1\nHost: x\nConnection: close\n\n", 405],
    ["TRACE on the token endpoint", "TRACE /v1/oauth/token HTTP/1.1\nHost: x\nConnection: close\n\n", 405],
    ["TRACK (Node's parser knows no such method)", "TRACK /v1/organizations/me HTTP/1.1\nHost: x\nConnection: close\n\n", 400],
    ["CONNECT (never a 'request' event)", "CONNECT localhost:443 HTTP/1.1\nHost: localhost:443\n\n", 405],
    ["GET * (asterisk-form)", "GET * HTTP/1.1\nHost: x\nConnection: close\n\n", 400],
    ["OPTIONS * (asterisk-form)", "OPTIONS * HTTP/1.1\nHost: x\nConnection: close\n\n", 400],
    ["POST * with a body", "POST * HTTP/1.1\nHost: x\nContent-Length: 2\nConnection: close\n\n{}", 400],
    ["authority-form GET", "GET localhost:80 HTTP/1.1\nHost: x\nConnection: close\n\n", 400],
    ["a bad escape on the Admin API", "GET /v1/organizations/%ZZ HTTP/1.1\nHost: x\nConnection: close\n\n", 400],
    ["a truncated UTF-8 escape", "GET /v1/organizations/federation_rules/%E0%A4%A HTTP/1.1\nHost: x\nConnection: close\n\n", 400],
    ["a bad escape on the token endpoint's path", "POST /v1/oauth/%C0%AF HTTP/1.1\nHost: x\nContent-Length: 0\nConnection: close\n\n", 400],
  ])("%s", async (_label, request, status) => {
    expect(await raw(port, request)).toBe(status);
  });

  // A client that writes its whole (refused) body before it reads, then reads: answering
  // before the body was read closed the socket on unread data, and the reset destroyed the
  // answer waiting in the client's receive buffer.
  it("an over-size token request sent whole before reading still gets its 413", async () => {
    const body = "grant_type=x&assertion=" + "a".repeat(6 * 1024 * 1024);
    const head = `POST /v1/oauth/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`;
    expect(await sendWholeThenRead(port, Buffer.from(head + body))).toMatch(/^HTTP\/1\.1 413 /);
  });

  it("still serves a well-formed request after all of them", async () => {
    expect(await raw(port, "GET /healthz HTTP/1.1\nHost: x\nConnection: close\n\n")).toBe(200);
  });
});

describe("Strict-Transport-Security", () => {
  const tls = selfSignedCertificate();
  const servers: Array<RunningServer & { drop(): Promise<void> }> = [];
  async function start(env: Record<string, string> = {}, withTls = true) {
    const database = await createTestDatabase("sqlite");
    const { parseConfig } = await import("../config");
    const { serve } = await import("./serve");
    const config = parseConfig({ PORT: "0", HOST: "127.0.0.1", DATABASE_URL: database.url, NODE_ENV: "test", ...env });
    const server = Object.assign(await serve({ config, console: false, ...(withTls ? { tls } : {}) }), { drop: database.drop });
    servers.push(server);
    return server;
  }
  afterAll(async () => {
    for (const s of servers) {
      await s.close();
      await s.drop();
    }
  });

  it.each<[label: string, path: string, init: { method?: string; headers?: Record<string, string>; body?: string }]>([
    ["the health check", "/healthz", {}],
    ["an Admin API refusal (401)", "/v1/organizations/me", {}],
    ["the token endpoint", "/v1/oauth/token", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "grant_type=x" }],
    ["an edge refusal (TRACE)", "/", { method: "TRACE" }],
    ["a 404", "/v1/nothing-here", {}],
  ])("is one year on every https response: %s", async (_label, p, init) => {
    const server = servers[0] ?? (await start());
    const res = await httpsRequest(server.url + p, init);
    expect(res.hsts).toBe("max-age=31536000");
  });

  it("follows WIF_HSTS_MAX_AGE, and 0 sends none", async () => {
    const day = await start({ WIF_HSTS_MAX_AGE: "86400" });
    expect((await httpsRequest(`${day.url}/healthz`)).hsts).toBe("max-age=86400");
    const off = await start({ WIF_HSTS_MAX_AGE: "0" });
    const res = await httpsRequest(`${off.url}/healthz`);
    expect(res.status).toBe(200);
    expect(res.hsts).toBeUndefined();
  });

  it("is never sent over plain http", async () => {
    const plain = await start({}, false);
    const res = await fetch(`${plain.url}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get("strict-transport-security")).toBeNull();
  });

  it("rejects a negative or non-numeric WIF_HSTS_MAX_AGE at start", async () => {
    const { parseConfig } = await import("../config");
    expect(() => parseConfig({ WIF_HSTS_MAX_AGE: "-1" })).toThrow(/WIF_HSTS_MAX_AGE/);
    expect(() => parseConfig({ WIF_HSTS_MAX_AGE: "a year" })).toThrow(/WIF_HSTS_MAX_AGE/);
  });
});
