/**
 * Calling the console's server actions over plain HTTP, as the browser does, without a
 * browser: for tests and benchmarks that need many requests with chosen TCP source
 * addresses and headers. The action's ID comes from the build's server-reference manifest;
 * the arguments are sent as React's `encodeReply` sends plain JSON, and the result is read
 * from the RSC reply.
 */
import fs from "node:fs";
import http from "node:http";
import path from "node:path";

interface ManifestEntry {
  filename?: string;
  exportedName?: string;
  workers: Record<string, unknown>;
}

/** The ID of server action `exportedName` of `file` (relative to the project root) in the current build. */
export function serverActionId(root: string, file: string, exportedName: string): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, ".next", "server", "server-reference-manifest.json"), "utf8")) as { node: Record<string, ManifestEntry> };
  const found = Object.entries(manifest.node).find(([, entry]) => entry.filename === file && entry.exportedName === exportedName);
  if (!found) throw new Error(`server action ${exportedName} of ${file} is not in the build`);
  return found[0];
}

export interface ActionCall {
  /** The server's base URL (http://127.0.0.1:PORT). */
  url: string;
  /** The page the action is posted to, as the form's page would (`/login`). */
  page: string;
  actionId: string;
  args: unknown[];
  /** Extra request headers; `origin` defaults to the server's own. */
  headers?: Record<string, string>;
  /** The TCP source address (any 127.x.y.z works on Linux loopback): who the server sees as its peer. */
  localAddress?: string;
  agent?: http.Agent;
}

export interface ActionReply<T> {
  status: number;
  /** The action's return value (an `ActionResult`), when the reply carried one. */
  result: T | undefined;
  setCookie: string[];
  body: string;
}

/** POST one server action and read its result. */
export function callServerAction<T = unknown>(call: ActionCall): Promise<ActionReply<T>> {
  const target = new URL(call.page, call.url);
  const body = JSON.stringify(call.args);
  return new Promise((resolve, reject) => {
    const req = http.request(
      target,
      {
        method: "POST",
        agent: call.agent,
        localAddress: call.localAddress,
        headers: {
          accept: "text/x-component",
          "content-type": "text/plain;charset=UTF-8",
          "content-length": Buffer.byteLength(body),
          "next-action": call.actionId,
          origin: new URL(call.url).origin,
          ...call.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          resolve({ status: res.statusCode ?? 0, result: actionResult<T>(text), setCookie: res.headers["set-cookie"] ?? [], body: text });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** The action's return value in an RSC reply: the row `<id>:{"ok":…}`. */
function actionResult<T>(rsc: string): T | undefined {
  for (const line of rsc.split("\n")) {
    const json = /^[0-9a-f]+:(\{"ok":.*)$/.exec(line)?.[1];
    if (json) return JSON.parse(json) as T;
  }
  return undefined;
}
