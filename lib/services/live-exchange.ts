/**
 * The live exchange: run the real token exchange over HTTP the way a workload does — against
 * this server's own token endpoint or another platform's — and show the request and the reply
 * with secrets redacted. For this server, the reply's request-id is looked up in the history
 * to explain the reason (the caller itself only ever sees "401 Authentication failed"). A
 * granted access token is tried once on the Admin API and then dropped: it never leaves the
 * server. Outbound requests to a URL a person typed go through the SSRF guard.
 */
import { rateLimited } from "../core/errors";
import { ExchangeDenied } from "../core/deny-reasons";
import { JWT_BEARER_GRANT } from "../core/exchange";
import { explainAccessTokenLifetime } from "../core/token-lifetime";
import { decodeAssertionUnverified } from "../core/verify-assertion";
import { explainReason } from "../insight/explain-reason";
import { partialHint } from "../core/secrets";
import { FetchRefused, safeRequest, type GuardedResponse } from "../jwks/safe-fetch";
import { SlidingWindowLimiter } from "./rate-limit";
import { liveExchangeRequest } from "../schemas/tester";
import { actorId, assertCanWrite, type AdminContext } from "./context";
import { parseInput } from "./parse";

export interface LiveExchangeRuntime {
  publicUrl: string;
  /** The development setting: other platforms on plain http or private addresses. */
  allowInsecureLocal: boolean;
}

export interface HttpRequestView {
  method: "GET" | "POST";
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

export interface HttpReplyView {
  status: number;
  requestId: string | null;
  body: unknown;
}

export interface HttpCallView {
  request: HttpRequestView;
  reply: HttpReplyView | null;
  /** Why there is no reply (address refused, unreachable, redirect…). */
  error: string | null;
}

export interface LiveExchangeResult extends HttpCallView {
  target: "this_server" | "other";
  granted: boolean;
  /** This server only: the history entry of the exchange, with its reason explained. */
  history: { eventId: string; requestId: string; outcome: "granted" | "denied"; reason: string | null; detail: string | null; title: string | null; explanation: string | null; fix: string | null } | null;
  /** Calls made with the granted access token (kept server-side, shown redacted). */
  calls: HttpCallView[];
  /** This server, granted: the token's lifetime beside the rule's configured one, and why it is shorter. */
  lifetime: { seconds: number; configuredSeconds: number; reason: string | null } | null;
}

const SDK_HEADERS = { "anthropic-beta": "oauth-2025-04-20,oidc-federation-2026-04-01", "anthropic-version": "2023-06-01" };
const TIMEOUT_MS = 10_000;
const MAX_REPLY_BYTES = 64 * 1024;

/** Exchanges with other platforms per user per minute: the guard keeps private addresses out; this keeps it from being a scanner. */
const remoteLimiter = new SlidingWindowLimiter({ limit: 10, windowMs: 60_000 });

/** The assertion's `exp`, read without verifying (the endpoint verified it); null when unreadable. */
function assertionExpiry(jwt: string): number | null {
  const decoded = decodeAssertionUnverified(jwt);
  if (decoded instanceof ExchangeDenied) return null;
  return typeof decoded.claims.exp === "number" ? decoded.claims.exp : null;
}

/** `header.payload.<redacted>`: the claims stay readable, the signature (what makes it usable) does not. */
export function redactAssertion(jwt: string): string {
  const parts = jwt.split(".");
  return parts.length === 3 ? `${parts[0]}.${parts[1]}.<redacted>` : "<redacted>";
}

/** A token-endpoint reply with the access token reduced to its prefix and a hint. */
export function redactReply(body: unknown): unknown {
  if (body === null || typeof body !== "object" || Array.isArray(body)) return body;
  const out: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  for (const key of ["access_token", "refresh_token", "id_token"]) {
    if (typeof out[key] === "string") out[key] = partialHint(out[key]);
  }
  return out;
}

function parseBody(res: GuardedResponse): unknown {
  const text = res.body.toString("utf8");
  try {
    return JSON.parse(text);
  } catch {
    return text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
  }
}

const header = (res: GuardedResponse, name: string) => {
  const v = res.headers[name];
  return typeof v === "string" ? v : null;
};

/** One message for every way a connection can fail, so the tester tells nothing about closed ports. */
function describeFailure(err: FetchRefused, host: string): string {
  switch (err.code) {
    case "address_not_allowed":
    case "scheme_not_allowed":
    case "invalid_url":
      return `${host} is not allowed: ${err.message}`;
    case "redirect_not_allowed":
    case "too_large":
      return err.message;
    default:
      return `Could not get an answer from ${host}.`;
  }
}

async function send(request: HttpRequestView & { rawHeaders: Record<string, string>; rawBody?: string }, allowInsecureLocal: boolean, redact: (body: unknown) => unknown): Promise<{ view: HttpCallView; body: unknown }> {
  const { rawHeaders, rawBody, ...view } = request;
  try {
    const res = await safeRequest(request.url, { method: request.method, headers: rawHeaders, ...(rawBody !== undefined ? { body: rawBody } : {}) }, { allowInsecureLocal, timeoutMs: TIMEOUT_MS, maxBytes: MAX_REPLY_BYTES });
    const body = parseBody(res);
    return { view: { request: view, reply: { status: res.status, requestId: header(res, "request-id"), body: redact(body) }, error: null }, body };
  } catch (err) {
    if (!(err instanceof FetchRefused)) throw err;
    return { view: { request: view, reply: null, error: describeFailure(err, new URL(request.url).host) }, body: undefined };
  }
}

export async function runLiveExchange(ctx: AdminContext, input: unknown, runtime: LiveExchangeRuntime): Promise<LiveExchangeResult> {
  assertCanWrite(ctx);
  const body = parseInput(liveExchangeRequest, input);
  const self = body.target === "this_server";
  if (!self) {
    const key = actorId(ctx.principal) ?? "system";
    if (!remoteLimiter.check(key).allowed) throw rateLimited("Too many live exchanges with other platforms; wait a minute and try again");
    remoteLimiter.record(key);
  }
  // This server's own URL is configuration, not input: loopback is fine there. Anything typed goes through the guard as is.
  const allowInsecureLocal = self || runtime.allowInsecureLocal;
  const base = (self ? runtime.publicUrl : body.base_url).replace(/\/+$/, "");
  const organizationId = self ? ctx.principal.organizationId : body.organization_id;

  const form = {
    grant_type: JWT_BEARER_GRANT,
    assertion: body.assertion,
    federation_rule_id: body.federation_rule_id,
    organization_id: organizationId,
    ...(body.workspace_id ? { workspace_id: body.workspace_id } : {}),
    ...(body.service_account_id ? { service_account_id: body.service_account_id } : {}),
  };
  const headers = { "content-type": "application/json", accept: "application/json", ...SDK_HEADERS };
  const exchange = await send(
    { method: "POST", url: `${base}/v1/oauth/token`, headers, body: { ...form, assertion: redactAssertion(body.assertion) }, rawHeaders: headers, rawBody: JSON.stringify(form) },
    allowInsecureLocal,
    redactReply,
  );

  const reply = exchange.view.reply;
  const accessToken = reply?.status === 200 && exchange.body && typeof (exchange.body as { access_token?: unknown }).access_token === "string" ? (exchange.body as { access_token: string }).access_token : null;
  const scope = typeof (exchange.body as { scope?: unknown } | undefined)?.scope === "string" ? (exchange.body as { scope: string }).scope : "";

  let history: LiveExchangeResult["history"] = null;
  if (self && reply?.requestId) {
    const event = await ctx.db
      .selectFrom("auth_events")
      .select(["id", "request_id", "outcome", "reason", "detail"])
      .where("organization_id", "=", ctx.principal.organizationId)
      .where("request_id", "=", reply.requestId)
      .executeTakeFirst();
    if (event) {
      const explained = event.reason ? explainReason(event.reason) : null;
      history = { eventId: event.id, requestId: event.request_id, outcome: event.outcome, reason: event.reason, detail: event.detail, title: explained?.title ?? null, explanation: explained?.explanation ?? null, fix: explained?.fix ?? null };
    }
  }

  let lifetime: LiveExchangeResult["lifetime"] = null;
  const expiresIn = (exchange.body as { expires_in?: unknown } | undefined)?.expires_in;
  if (self && accessToken && typeof expiresIn === "number") {
    const rule = await ctx.db
      .selectFrom("federation_rules")
      .select("token_lifetime_seconds")
      .where("organization_id", "=", ctx.principal.organizationId)
      .where("id", "=", body.federation_rule_id)
      .executeTakeFirst();
    const exp = assertionExpiry(body.assertion);
    if (rule) {
      // The endpoint decided at about this moment; the reason is recomputed from the same bound.
      const explained = exp === null ? null : explainAccessTokenLifetime(rule.token_lifetime_seconds, exp, Math.floor(Date.now() / 1000));
      lifetime = { seconds: expiresIn, configuredSeconds: rule.token_lifetime_seconds, reason: expiresIn < rule.token_lifetime_seconds ? (explained?.reason ?? null) : null };
    }
  }

  const calls: HttpCallView[] = [];
  if (accessToken && body.try_call) {
    // What the token's scope allows: every token may ask who it is; org:admin may read configuration.
    const paths = ["/v1/organizations/me", ...(scope.split(" ").includes("org:admin") ? ["/v1/organizations/workspaces?limit=5"] : [])];
    for (const path of paths) {
      const raw = { authorization: `Bearer ${accessToken}`, accept: "application/json", "anthropic-version": SDK_HEADERS["anthropic-version"] };
      const call = await send(
        { method: "GET", url: `${base}${path}`, headers: { ...raw, authorization: `Bearer ${partialHint(accessToken)}` }, body: null, rawHeaders: raw },
        allowInsecureLocal,
        (b) => b,
      );
      calls.push(call.view);
    }
  }
  return { target: body.target, granted: accessToken !== null, ...exchange.view, history, calls, lifetime };
}
