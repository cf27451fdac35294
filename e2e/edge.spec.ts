/**
 * The HTTP edge against the real, built console: each malformed request that Next 16 used to
 * answer with 500 now gets a 4xx (one row per case), and a seeded fuzz run of the console's
 * request families gets no 5xx at all. Raw bytes over a socket, so nothing a client library
 * would refuse or normalise is lost. Runs after the console specs (its own project): its
 * requests add history rows and refusals that those specs should not see.
 *
 * Next-layer fuzzing lives here rather than in vitest because it needs the built console,
 * which this suite's server already has; the API layer's fuzz is lib/server/fuzz.test.ts,
 * and `npm run fuzz` runs both at volume.
 */
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "./support/test";
import { rscSearchParam, runFuzz, sendRaw } from "./support/fuzz";

const manifest = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, "..", ".next", "server", "server-reference-manifest.json"), "utf8")) as {
  node: Record<string, { exportedName?: string }>;
};
const actionIds = Object.keys(manifest.node);
const actionId = (name: string) => Object.entries(manifest.node).find(([, a]) => a.exportedName === name)![0];
/** A well-formed but unknown session: gets past the proxy's cookie check to the page. */
const COOKIE = `wif_session=${"A".repeat(43)}`;

let port = 0;
let host = "";
test.beforeAll(({ baseURL }) => {
  port = Number(new URL(baseURL!).port);
  host = `localhost:${port}`;
});

const send = (request: string | Buffer) => sendRaw("127.0.0.1", port, typeof request === "string" ? Buffer.from(request.replace(/\n/g, "\r\n"), "latin1") : request);
const get = (target: string, headers: string[] = []) => send([`GET ${target} HTTP/1.1`, `Host: ${host}`, ...headers, "Connection: close", "", ""].join("\n"));
function post(target: string, headers: string[], body: string | Buffer): Promise<number | string> {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body);
  const head = [`POST ${target} HTTP/1.1`, `Host: ${host}`, ...headers, `Content-Length: ${bytes.length}`, "Connection: close", "", ""].join("\r\n");
  return send(Buffer.concat([Buffer.from(head, "latin1"), bytes]));
}
const routerState = (path: string, tree: string) => get(`${path}?_rsc=${rscSearchParam(tree)}`, [`Cookie: ${COOKIE}`, "RSC: 1", `Next-Router-State-Tree: ${tree}`]);
const action = (name: string, body: string | Buffer, extra: string[] = [], contentType = "text/plain;charset=UTF-8") =>
  post("/setup", [`Origin: http://${host}`, `Next-Action: ${actionId(name)}`, "Accept: text/x-component", `Content-Type: ${contentType}`, ...extra], body);

test.describe("malformed requests get a 4xx from the console, never a 5xx", () => {
  const cases: Array<[label: string, run: () => Promise<number | string>, status: number]> = [
    ["a bad percent-escape in a dynamic route", () => get("/rules/%E0%A4%A", [`Cookie: ${COOKIE}`]), 400],
    ["%ZZ in a dynamic route", () => get("/issuers/%ZZ/edit", [`Cookie: ${COOKIE}`]), 400],
    ["TRACE", () => send(`TRACE / HTTP/1.1\nHost: ${host}\nConnection: close\n\n`), 405],
    ["the image optimizer", () => get("/_next/image?url=%2Ficon.svg&w=64&q=75"), 404],
    ["GET * (asterisk-form)", () => get("*"), 400],
    ["OPTIONS * (asterisk-form)", () => send(`OPTIONS * HTTP/1.1\nHost: ${host}\nConnection: close\n\n`), 400],
    ["a router-state tree that is not JSON", () => routerState("/rules", "garbage"), 400],
    ["a router-state tree of the wrong shape", () => routerState("/rules", '["",{"children":["rules",{"children":["__PAGE__",{}]}]},null,null,true]'), 400],
    ["a router-state tree with a bad escape", () => routerState("/setup", "%E0%A4%A"), 400],
    ["a cross-site server action", () => post("/setup", ["Origin: https://evil.example", `Next-Action: ${actionId("setupAction")}`, "Content-Type: text/plain;charset=UTF-8"], "[{}]"), 403],
    ["a cross-site multipart form post", () => post("/setup", ["Origin: https://evil.example", "Content-Type: multipart/form-data; boundary=x"], '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n'), 403],
    ["a cross-site sign-out", () => post("/", ["Origin: https://evil.example", `Next-Action: ${actionId("signOutAction")}`, `Cookie: ${COOKIE}`, "Content-Type: text/plain;charset=UTF-8"], "[]"), 403],
    ["a server action nested 100,000 deep", () => action("setupAction", "[".repeat(100_000) + "]".repeat(100_000)), 400],
    ["a server action of nested objects", () => action("setupAction", "[" + '{"a":'.repeat(5000) + "1" + "}".repeat(5000) + "]"), 400],
    ["a server action body that is not JSON", () => action("setupAction", "not json"), 400],
    ["a server action referring to a part that is not there", () => action("setupAction", '["$Q1"]'), 400],
    ["a multipart server action without its boundary", () => action("setupAction", "garbage", [], "multipart/form-data"), 400],
    ["a multipart server action cut short", () => action("setupAction", '--x\r\nContent-Disposition: form-data; name="0"\r\n\r\n[', [], "multipart/form-data; boundary=x"), 400],
    ["a server action over 1 MiB", () => action("setupAction", Buffer.alloc(2 * 1024 * 1024, "a")), 413],
  ];
  for (const [label, run, status] of cases) {
    test(label, async () => {
      expect(await run()).toBe(status);
    });
  }

  test("well-formed requests still pass the edge", async () => {
    // /setup is public, before and after the owner exists.
    expect(await routerState("/setup", encodeURIComponent('["",{"children":["setup",{"children":["__PAGE__",{}]}]},null,null]'))).toBe(200);
    expect(await get("/setup")).toBe(200);
    // A same-origin action with a decodable body reaches the action, which answers for itself.
    expect(await action("setupAction", '[{"code":"not-the-code"}]')).toBe(200);
  });
});

test("a seeded fuzz run of the console's request families gets no 5xx", async () => {
  test.setTimeout(600_000);
  const report = await runFuzz(
    { host: "127.0.0.1", port, console: true, actionIds },
    // No sign-in is ever well-formed here, so the per-address sign-in limit is not spent.
    { seed: 20_260_101, count: 2_500, concurrency: 4, families: ["path", "method", "target", "headers", "router-state", "action"] },
  );
  console.log(`fuzz: ${report.sent} requests, ${JSON.stringify(report.statusClasses)}`);
  expect(report.failures, JSON.stringify(report.failures.slice(0, 5), null, 1)).toEqual([]);
  expect(report.sent).toBe(2_500);
});
