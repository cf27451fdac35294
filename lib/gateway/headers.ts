/**
 * Which headers cross the gateway. Requests: an allow-list, never a block-list — the
 * client's credential (`authorization`, `x-api-key`, cookies) is consumed here and the
 * upstream key is added; `anthropic-beta` loses only `oauth-2025-04-20`, which the SDK adds for
 * token auth. Responses: everything but hop-by-hop headers and cookies, so the SDK sees the
 * upstream's status, `request-id`, `retry-after` and rate-limit headers unchanged.
 * @see docs/gateway.md#header-rules
 */
import type { IncomingHttpHeaders, IncomingMessage } from "node:http";

/** The beta the SDK appends when it authenticates with a token; meaningless to the upstream's key auth. */
export const OAUTH_BETA = "oauth-2025-04-20";

/** Request headers forwarded as they came (besides `anthropic-beta`, filtered, and `x-stainless-*`, the SDK's own). */
const FORWARDED = new Set(["content-type", "content-length", "accept", "anthropic-version", "idempotency-key", "user-agent"]);

/** RFC 9110 §7.6.1, plus the proxy-* family. */
const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade"]);

/** Headers the `connection` header names are hop-by-hop too. */
function namedByConnection(value: string | string[] | undefined): Set<string> {
  const names = new Set<string>();
  for (const v of Array.isArray(value) ? value : value ? [value] : []) {
    for (const name of v.split(",")) if (name.trim()) names.add(name.trim().toLowerCase());
  }
  return names;
}

/**
 * The headers to send upstream, as a flat `[name, value, …]` list: the allowed ones from the
 * client's raw headers, `anthropic-beta` merged and filtered, the upstream key, and identity
 * encoding (usage is read from the reply's bytes, which pass through unchanged).
 */
export function upstreamRequestHeaders(rawHeaders: readonly string[], upstreamKey: string): string[] {
  const out: string[] = [];
  const betas: string[] = [];
  const connection: string[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) if (rawHeaders[i]!.toLowerCase() === "connection") connection.push(rawHeaders[i + 1]!);
  const dropped = namedByConnection(connection);
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    const value = rawHeaders[i + 1]!;
    if (dropped.has(name)) continue;
    if (name === "anthropic-beta") {
      for (const beta of value.split(",")) {
        const b = beta.trim();
        if (b && b !== OAUTH_BETA && !betas.includes(b)) betas.push(b);
      }
    } else if (FORWARDED.has(name) || name.startsWith("x-stainless-")) {
      out.push(name, value);
    }
  }
  if (betas.length > 0) out.push("anthropic-beta", betas.join(","));
  out.push("x-api-key", upstreamKey, "accept-encoding", "identity");
  return out;
}

/** The upstream's response headers for the client, flat, without hop-by-hop headers and cookies. */
export function clientResponseHeaders(headers: IncomingHttpHeaders): string[] {
  const dropped = namedByConnection(headers.connection);
  const out: string[] = [];
  for (const name in headers) {
    if (HOP_BY_HOP.has(name) || dropped.has(name) || name === "set-cookie") continue;
    const value = headers[name];
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) out.push(name, v);
    else out.push(name, value);
  }
  return out;
}

/**
 * Why this request's framing cannot be forwarded, or undefined (request smuggling: the server
 * forwards only bodies whose length it framed itself). Node's parser already refuses most of
 * these; the check is repeated here because the gateway relies on it.
 */
export function framingProblem(req: IncomingMessage): string | undefined {
  let lengths = 0;
  let encodings = 0;
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!.toLowerCase();
    if (name === "content-length") lengths++;
    else if (name === "transfer-encoding") encodings++;
  }
  if (lengths > 0 && encodings > 0) return "a request may not carry both content-length and transfer-encoding";
  if (lengths > 1) return "a request may carry one content-length";
  if (encodings > 0 && req.headers["transfer-encoding"]?.toLowerCase() !== "chunked") return "transfer-encoding: only chunked is accepted";
  return undefined;
}

/**
 * The credential a gateway request presents. Claude Code with an `apiKeyHelper` sends the same
 * value as `x-api-key` and `Authorization: Bearer`; two different values are refused rather
 * than one picked.
 */
export function gatewayCredential(headers: IncomingHttpHeaders): { credential: string | undefined } | { conflict: true } {
  const auth = headers.authorization;
  const bearer = auth === undefined ? undefined : (/^Bearer\s+(\S+)\s*$/i.exec(auth)?.[1] ?? "");
  const apiKey = headers["x-api-key"]?.toString().trim();
  if (bearer !== undefined && apiKey !== undefined && bearer !== apiKey) return { conflict: true };
  return { credential: bearer || apiKey || undefined };
}
