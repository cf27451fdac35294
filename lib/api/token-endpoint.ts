/**
 * `POST /v1/oauth/token`: the RFC 7523 JWT-bearer grant. The caller learns only "400
 * malformed" or "401 Authentication failed"; the reason goes to the authentication
 * history, written before the reply is sent. Cookies are ignored: this endpoint
 * authenticates the assertion alone.
 *
 * Served on bare node:http rather than through the Hono app: measured on the bench
 * machine, the Hono adapter's Request, Headers, AbortSignal and stream objects cost
 * ~600 µs of CPU per request where node:http needs ~80 µs (README, "Performance"). The
 * replies are the same: platform envelope, `request-id`, no-store.
 * @see docs/behaviour.md#token-exchange
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { ExchangeDenied } from "../core/deny-reasons";
import { errorReply } from "../core/error-reply";
import { errorEnvelope, tooLarge } from "../core/errors";
import { decideExchange, type DecisionTrace, type ExchangeRequest } from "../core/exchange";
import { deniedEvent } from "../core/exchange-history";
import { newId } from "../core/ids";
import { annotateRequest, currentRequest, reportInternalError } from "../observability/log";
import { issueAccessToken } from "../core/issuance";
import { JtiRace, type ExchangeAttempt, type ExchangeDeps } from "../core/ports";
import type { IssuerPolicy, KeyResolver } from "../core/types";
import { formatZodError } from "../schemas/common";
import { exchangeReads, exchangeWrites } from "../store/exchange-store";
import { jsonHead } from "../gateway/reply";
import { fromNodeHeaders, resolveClient } from "../services/forwarded";
import type { Runtime } from "../runtime";

export const TOKEN_PATH = "/v1/oauth/token";
/** Whole request bodies above this are refused before parsing (the assertion alone may be 16 KiB). */
const MAX_BODY_BYTES = 64 * 1024;

const field = (name: string, max: number) =>
  z.string({ error: (i) => (i.input === undefined ? "is required" : "must be a string") }).min(1, "must not be empty").max(max, `must be at most ${max} characters`).describe(name);

/** Request shape only; every semantic check is the core's. Unknown fields are ignored, as OAuth servers do. */
export const tokenRequest = z.object({
  grant_type: field("grant_type", 128),
  // Not capped here: an over-long assertion is a recorded denial (assertion_too_large), not a shape error.
  assertion: z.string({ error: (i) => (i.input === undefined ? "is required" : "must be a string") }).min(1, "must not be empty"),
  federation_rule_id: field("federation_rule_id", 128),
  organization_id: field("organization_id", 128),
  service_account_id: field("service_account_id", 128).optional(),
  workspace_id: field("workspace_id", 128).optional(),
});

export interface TokenEndpointDeps {
  keysFor(issuer: IssuerPolicy): KeyResolver;
}

interface Reply {
  status: number;
  body: unknown;
  /** `x-should-retry`, for the SDKs' retry logic. */
  retry?: boolean;
  /** How the exchange was decided, when it got that far: for the access line and the metrics. */
  decision?: Decision;
}

interface Decision {
  outcome: "granted" | "denied";
  /** The deny reason; empty when granted. */
  reason: string;
  trace: DecisionTrace;
}

/** An error's reply (error-reply.ts) in the platform's envelope. */
function errorToReply(err: unknown, requestId: string): Reply {
  const reply = errorReply(err, requestId, reportInternalError);
  return { status: reply.status, body: errorEnvelope(reply.type, reply.message), retry: reply.retryable };
}

/** Whether node:http should hand this request to the token endpoint (any other method or path goes to the API app). */
export function isTokenRequest(req: IncomingMessage): boolean {
  return req.method === "POST" && (req.url === TOKEN_PATH || req.url?.startsWith(`${TOKEN_PATH}?`) === true);
}

export interface TokenEndpoint {
  (req: IncomingMessage, res: ServerResponse): void;
  /**
   * Resolves once every exchange begun so far has been decided and recorded. Shutting down
   * waits for it before closing the store: an exchange whose client has gone still writes its
   * grant or denial, rather than failing against a closed database.
   */
  settled(): Promise<void>;
}

/** The token endpoint as a node:http request handler. */
export function createTokenEndpoint(runtime: Runtime, deps: TokenEndpointDeps): TokenEndpoint {
  const { store } = runtime;
  const exchangeDeps: ExchangeDeps = {
    organizationId: runtime.organizationId,
    defaultAudience: runtime.config.defaultAudience,
    now: () => Math.floor(Date.now() / 1000),
    keysFor: deps.keysFor,
    ...exchangeReads(store, runtime.organizationId),
  };
  const writes = exchangeWrites(store);

  /** Parse, decide, issue and persist (or record the refusal), shape the reply: the steps of a handler. */
  async function exchange(contentType: string | undefined, text: string, attempt: ExchangeAttempt): Promise<Reply> {
    const body = parseTokenRequest(contentType, text);
    const parsed = tokenRequest.safeParse(body);
    const trace: DecisionTrace = { claimsVerified: false };
    try {
      if (!parsed.success) throw new ExchangeDenied("invalid_request", body === undefined ? "request body: must be JSON or form-encoded" : formatZodError(parsed.error));
      const grant = await decideExchange(parsed.data as ExchangeRequest, exchangeDeps, trace);
      const issued = issueAccessToken(grant, attempt, Date.now());
      await writes.saveGrant(issued);
      return { status: 200, body: { access_token: issued.secret, token_type: "Bearer", expires_in: grant.expiresIn, scope: grant.scope }, decision: { outcome: "granted", reason: "", trace } };
    } catch (err) {
      const denial = err instanceof ExchangeDenied ? err : err instanceof JtiRace ? new ExchangeDenied("jti_reused", err.message) : undefined;
      if (!denial) throw err;
      await writes.recordEvent(
        deniedEvent(
          {
            ...attempt,
            reason: denial.reason,
            detail: denial.detail,
            ruleId: trace.rule?.id ?? null,
            issuerId: trace.issuer?.id ?? null,
            serviceAccountId: trace.rule?.service_account_id ?? null,
            workspaceId: trace.workspaceId ?? null,
            claims: trace.claims,
            claimsVerified: trace.claimsVerified,
          },
          Date.now(),
        ),
      );
      return { ...errorToReply(denial, attempt.requestId), decision: { outcome: "denied", reason: denial.reason, trace } };
    }
  }

  /** The access line and the metrics learn how it was decided; never the assertion. */
  function observe({ outcome, reason, trace }: Decision, seconds: number): void {
    runtime.metrics.observeExchange(outcome, reason, seconds);
    annotateRequest({
      credentialKind: "assertion",
      credentialId: trace.rule?.id ?? null,
      fields: { outcome, reason: reason || null, issuer_id: trace.issuer?.id ?? null, service_account_id: trace.rule?.service_account_id ?? null },
    });
  }

  let inFlight = 0;
  let whenSettled: Array<() => void> = [];
  const finished = () => {
    if (--inFlight > 0) return;
    for (const resolve of whenSettled) resolve();
    whenSettled = [];
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const started = performance.now();
    const context = currentRequest();
    if (context) context.route = TOKEN_PATH;
    const requestId = context?.id ?? newId("request");
    const client = resolveClient(req.socket.remoteAddress, fromNodeHeaders(req.headers), runtime.config.trustedProxies);
    const attempt: ExchangeAttempt = { organizationId: runtime.organizationId, requestId, clientIp: client.ip === "unknown" ? null : client.ip };
    inFlight++;
    readBody(req, MAX_BODY_BYTES)
      .then((text) =>
        text === undefined ? errorToReply(tooLarge(`request body: must be at most ${MAX_BODY_BYTES / 1024} KiB`), requestId) : exchange(req.headers["content-type"], text, attempt),
      )
      .catch((err: unknown): Reply | undefined => (err instanceof ClientGone ? undefined : errorToReply(err, requestId)))
      .then((reply) => {
        if (!reply) return;
        if (reply.decision) observe(reply.decision, (performance.now() - started) / 1000);
        send(res, requestId, reply);
      })
      .finally(finished);
  };
  return Object.assign(handle, {
    settled: () => (inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => whenSettled.push(resolve))),
  });
}

function send(res: ServerResponse, requestId: string, reply: Reply): void {
  if (res.destroyed) return; // the client went away
  const json = JSON.stringify(reply.body);
  const headers = [
    ...jsonHead(json, requestId),
    "x-content-type-options",
    "nosniff",
    "cache-control",
    "no-store",
    "pragma",
    "no-cache",
  ];
  if (reply.retry !== undefined) headers.push("x-should-retry", String(reply.retry));
  res.writeHead(reply.status, headers).end(json);
}

/** The connection closed before the request body ended. */
class ClientGone extends Error {}

/**
 * How much of an over-size body is read (and dropped) before the 413 goes out: a socket
 * closed with unread data is reset, and the reset can destroy the answer before the client
 * reads it. Past this much the answer goes out anyway.
 */
const DRAIN_BYTES = 8 * 1024 * 1024;

/** The body as UTF-8 text; undefined when it exceeds `max` bytes (declared or streamed). Rejects with `ClientGone`. */
function readBody(req: IncomingMessage, max: number): Promise<string | undefined> {
  const declared = Number(req.headers["content-length"]);
  if (declared > DRAIN_BYTES) {
    req.resume();
    return Promise.resolve(undefined);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const tooLarge = () => declared > max || size > max;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (!tooLarge()) chunks.push(chunk);
      else if (size > DRAIN_BYTES) resolve(undefined);
    });
    req.on("end", () => resolve(tooLarge() ? undefined : Buffer.concat(chunks).toString("utf8")));
    // The client went away mid-body: there is nothing to decide (after `end`, this is a no-op).
    req.on("error", () => reject(new ClientGone()));
    req.on("close", () => {
      if (!req.complete) reject(new ClientGone());
    });
  });
}

/** JSON or form-encoded body as a plain object; undefined when it is neither. */
function parseTokenRequest(contentType: string | undefined, text: string): Record<string, unknown> | undefined {
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (type === "application/x-www-form-urlencoded") {
    const params = new URLSearchParams(text);
    const out: Record<string, unknown> = {};
    for (const [k, v] of params) {
      // A repeated parameter is ambiguous (RFC 6749 §3.2): refuse rather than pick one.
      out[k] = k in out ? [out[k], v] : v;
    }
    return out;
  }
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
