/**
 * The HTTP edge's refusals: malformed requests answered 4xx here, before Hono or Next sees
 * them. Each check names the behaviour of Next 16 it guards against — Next answers these
 * inputs with 500 (and logs a stack trace for each, which an attacker can repeat at will).
 * Our own handlers refuse the same inputs themselves; the edge only makes the answer a 4xx
 * and keeps the work from reaching Next.
 */
import type { TrustedProxyRange } from "../config";
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import { parseAndValidateFlightRouterState } from "next/dist/server/app-render/parse-and-validate-flight-router-state";
import { errorEnvelope, type ErrorType } from "../core/errors";
import { isSameOriginRequest } from "../console/request";

/** What the edge answers instead of passing a request on. */
export interface Refusal {
  status: 400 | 403 | 405 | 413;
  type: ErrorType;
  message: string;
}

/** The parts of a request the edge looks at (an `IncomingMessage` has them). */
export interface RequestHead {
  method?: string | undefined;
  url?: string | undefined;
  headers: IncomingHttpHeaders;
}

/**
 * Never served. TRACE and TRACK echo the request (cross-site tracing); CONNECT asks for a
 * tunnel. Next's proxy (middleware) builds a WHATWG `Request`, whose constructor throws on
 * these methods, and Next answers that with 500.
 */
const REFUSED_METHODS: ReadonlySet<string> = new Set(["TRACE", "TRACK", "CONNECT"]);
export const ALLOWED_METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";

/**
 * Next's default `serverActions.bodySizeLimit` (1 MB). Next enforces it too, but answers an
 * over-size body with 500 (the 413 it means stays inside its error object).
 */
export const ACTION_BODY_LIMIT = 1024 * 1024;

/**
 * How deeply an action body's JSON may nest. React's reply decoder walks the parsed value
 * recursively: 1 MiB of `[` costs about half a second of CPU and ends in a RangeError that
 * Next answers with 500. Our forms nest fewer than ten levels.
 */
export const ACTION_MAX_NESTING = 64;

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

const bad = (message: string): Refusal => ({ status: 400, type: "invalid_request_error", message });

/** The path of a request target in origin-form (`/a?b`) or absolute-form (`http://h/a?b`); undefined for anything else. */
function targetPath(target: string): string | undefined {
  if (target.startsWith("/")) return target.split("?", 1)[0]!;
  if (/^https?:\/\//i.test(target)) {
    try {
      return new URL(target).pathname;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function isDecodable(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

/** Refusals that hold for every request, API and console alike. */
export function refuseMalformedRequest(req: RequestHead): Refusal | undefined {
  const method = req.method ?? "";
  if (REFUSED_METHODS.has(method)) return { status: 405, type: "invalid_request_error", message: `${method} is not allowed` };
  const target = req.url ?? "";
  // Asterisk-form (`OPTIONS *`) and authority-form (`host:port`) name no resource here.
  // Next passes the target to `new URL()`, which throws, and the throw surfaced as a 500.
  const path = targetPath(target);
  if (path === undefined) return bad("the request target must be a path such as /login");
  // A bad %-escape or invalid UTF-8 (`/rules/%E0%A4%A`): Next's dynamic-route params call
  // decodeURIComponent and answer the URIError with 500.
  if (!isDecodable(path)) return bad("the request path is not valid percent-encoded UTF-8");
  return undefined;
}

/** A POST that Next may treat as a server action: the `Next-Action` header, or a multipart form (a no-JavaScript form post). */
export function isServerActionRequest(req: RequestHead): boolean {
  if (req.method !== "POST") return false;
  return req.headers["next-action"] !== undefined || /^multipart\/form-data/i.test(req.headers["content-type"] ?? "");
}

/** Headers as the console's request helpers read them. */
export const headerBag = (headers: IncomingHttpHeaders) => ({
  get(name: string): string | null {
    const v = headers[name.toLowerCase()];
    return v === undefined ? null : Array.isArray(v) ? v.join(", ") : v;
  },
});

/** Refusals for requests bound for the console (Next), after serve.ts stamped the peer address (the origin check trusts forwarded headers only from trusted proxies). */
export function refuseMalformedConsoleRequest(req: RequestHead, origin: { publicUrl?: string; trustedProxies: readonly TrustedProxyRange[] }): Refusal | undefined {
  const method = req.method ?? "";
  // A state-changing request from another site. Next's server-action CSRF check finds the
  // Origin mismatch too, but answers it with 500; every action and route checks again.
  if (!SAFE_METHODS.has(method) && !isSameOriginRequest(headerBag(req.headers), origin)) {
    return { status: 403, type: "permission_error", message: "This request did not come from the console's own pages and was refused" };
  }
  // The router-state tree the client router sends with RSC navigations. Next parses it with
  // this very function and answers a tree it cannot parse (or two of them, which Node joins
  // into one header) with 500 — next.js#92844 proposes the 400 this gives.
  const tree = req.headers["next-router-state-tree"];
  if (tree !== undefined) {
    try {
      parseAndValidateFlightRouterState(tree);
    } catch {
      return bad("the Next-Router-State-Tree header is not a router state tree");
    }
  }
  if (isServerActionRequest(req)) {
    const length = Number(req.headers["content-length"] ?? 0);
    if (length > ACTION_BODY_LIMIT) return { status: 413, type: "request_too_large", message: `a server action body may be at most ${ACTION_BODY_LIMIT} bytes` };
  }
  return undefined;
}

/**
 * Whether `body` nests `[`/`{` deeper than `max`, counting outside JSON strings. A line
 * break ends any string: JSON has none inside strings, and in a multipart body it keeps an
 * odd quote in a part header or a plain text field from hiding the next part's brackets.
 */
export function nestsDeeperThan(body: Buffer, max: number): boolean {
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (const byte of body) {
    if (byte === 0x0a) {
      inString = false;
      escaped = false;
    } else if (inString) {
      if (escaped) escaped = false;
      else if (byte === 0x5c) escaped = true;
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) inString = true;
    else if (byte === 0x5b || byte === 0x7b) {
      if (++depth > max) return true;
    } else if ((byte === 0x5d || byte === 0x7d) && depth > 0) depth--;
  }
  return false;
}

/** Read a request body of at most `limit` bytes; "too_large" as soon as it is over. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | "too_large"> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off("data", onData);
        req.resume(); // drain what is still coming, so the 413 reaches a client still sending
        resolve("too_large");
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** A stand-in for `req` whose body is `body` (already read), for handing on to Next. */
export function withBody(req: IncomingMessage, body: Buffer): IncomingMessage {
  const copy = new http.IncomingMessage(req.socket);
  copy.method = req.method!;
  copy.url = req.url!;
  copy.httpVersion = req.httpVersion;
  copy.httpVersionMajor = req.httpVersionMajor;
  copy.httpVersionMinor = req.httpVersionMinor;
  copy.headers = req.headers;
  copy.rawHeaders = req.rawHeaders;
  copy.push(body);
  copy.push(null);
  copy.complete = true;
  return copy;
}

/**
 * Next answers a server action whose body it cannot decode (bad JSON, a multipart body
 * without its boundary, a React reference to a part that is not there) with 500 —
 * next.js#86945, open with several proposed fixes. Our actions never let an error out
 * (lib/console/action-result.ts turns each into a result), so a 5xx on an action request
 * is Next refusing the request: answer it as the 400 it is.
 */
export function answerActionFailuresAsBadRequest(res: ServerResponse): void {
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
  res.writeHead = ((status: number, ...rest: unknown[]) => {
    if (status >= 500) {
      res.statusMessage = http.STATUS_CODES[400]!;
      return writeHead(400, ...rest.filter((a) => typeof a !== "string"));
    }
    return writeHead(status, ...rest);
  }) as ServerResponse["writeHead"];
}

/**
 * How much of a refused request's body is still read (and dropped) before the answer goes
 * out. A server that closes a socket with unread data resets the connection, and the reset
 * can destroy the answer before the client reads it; past this much, the answer goes out
 * anyway and the connection with it.
 */
const DRAIN_LIMIT = 8 * 1024 * 1024;

/** Send a refusal in the API's error envelope, once the request's body is drained. */
export function sendRefusal(res: ServerResponse, refusal: Refusal): void {
  const body = JSON.stringify(errorEnvelope(refusal.type, refusal.message));
  const answer = () => {
    if (res.headersSent) return;
    res.writeHead(refusal.status, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(body),
      "cache-control": "no-store",
      ...(refusal.status === 405 ? { allow: ALLOWED_METHODS } : {}),
    });
    res.end(body);
  };
  const req = res.req as IncomingMessage | undefined;
  if (!req || req.readableEnded) return answer();
  let drained = 0;
  req.on("data", (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > DRAIN_LIMIT) answer();
  });
  req.on("end", answer);
  req.on("error", () => res.destroy());
  req.resume();
}
