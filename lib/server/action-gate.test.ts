/** The server-action gate on a real node:http server: a few actions inside at once, the rest queued, overflow refused, pages untouched. */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { gateServerActions } from "./action-gate";

let server: http.Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** A server whose handler holds each request until the test releases it by its `x-id`. */
async function gatedServer(concurrency: number, maxWaiting: number) {
  const inside: string[] = [];
  const held = new Map<string, http.ServerResponse>();
  const handle = gateServerActions(
    (req, res) => {
      const id = String(req.headers["x-id"]);
      inside.push(id);
      held.set(id, res);
    },
    { concurrency, maxWaiting },
  );
  server = http.createServer(handle);
  server.keepAliveTimeout = 1;
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const send = (id: string, action: boolean) =>
    new Promise<number>((resolve, reject) => {
      const req = http.request({ port, host: "127.0.0.1", method: action ? "POST" : "GET", path: "/login", agent: false, headers: { "x-id": id, ...(action ? { "next-action": "abc" } : {}) } }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      });
      req.on("error", reject);
      req.end();
    });
  const release = (id: string) => held.get(id)!.writeHead(200).end();
  return { inside, send, release, queued: () => handle.queued() };
}

describe("gateServerActions", () => {
  it("lets `concurrency` actions in, queues the next `maxWaiting`, refuses the rest with 503, and never holds up pages", async () => {
    const { inside, send, release, queued } = await gatedServer(2, 1);
    const a = send("a", true);
    const b = send("b", true);
    await expect.poll(() => inside.length).toBe(2);
    const c = send("c", true);
    await expect.poll(queued).toBe(1);
    expect(await send("d", true)).toBe(503);
    const page = send("page", false);
    await expect.poll(() => inside).toContain("page");
    expect(inside).not.toContain("c");
    release("page");
    expect(await page).toBe(200);

    release("a");
    expect(await a).toBe(200);
    await expect.poll(() => inside).toContain("c");
    expect(queued()).toBe(0);
    release("b");
    release("c");
    expect(await Promise.all([b, c])).toEqual([200, 200]);
    expect(inside).toEqual(["a", "b", "page", "c"]);
  });
});
