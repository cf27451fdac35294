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
  const headers = { accept: "text/x-component", "content-type": "text/plain;charset=UTF-8", "next-action": call.actionId };
  return post(new URL(call.page, call.url), JSON.stringify(call.args), headers, call, actionResult<T>);
}

export interface PasswordSignInCall {
  url: string;
  email: string;
  password: string;
  /** Where the form would return to after signing in. */
  next?: string;
  headers?: Record<string, string>;
  localAddress?: string;
  agent?: http.Agent;
}

/** The password step of sign-in as the console's form posts it (JSON to `/auth/password`, answered before Next). */
export function postPasswordSignIn<T = unknown>(call: PasswordSignInCall): Promise<ActionReply<T>> {
  const body = JSON.stringify({ email: call.email, password: call.password, next: call.next ?? "/" });
  // An ActionResult; a refusal from the server's edge (the error envelope) is no result.
  const json = (text: string): T | undefined => {
    try {
      const value = JSON.parse(text) as { ok?: unknown };
      return typeof value.ok === "boolean" ? (value as T) : undefined;
    } catch {
      return undefined;
    }
  };
  return post(new URL("/auth/password", call.url), body, { "content-type": "application/json" }, call, json);
}

function post<T>(
  target: URL,
  body: string,
  headers: Record<string, string>,
  call: { url: string; headers?: Record<string, string>; localAddress?: string; agent?: http.Agent },
  read: (text: string) => T | undefined,
): Promise<ActionReply<T>> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      target,
      {
        method: "POST",
        agent: call.agent,
        localAddress: call.localAddress,
        headers: { ...headers, "content-length": Buffer.byteLength(body), origin: new URL(call.url).origin, ...call.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          resolve({ status: res.statusCode ?? 0, result: read(text), setCookie: res.headers["set-cookie"] ?? [], body: text });
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
