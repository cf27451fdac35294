/**
 * `POST /v1/oauth/token`: the RFC 7523 JWT-bearer grant. The caller learns only "400
 * malformed" or "401 Authentication failed"; the reason goes to the authentication
 * history, written before the reply is sent. Cookies are ignored: this endpoint
 * authenticates the assertion alone.
 * @see platform.md "Token exchange".
 */
import type { Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { z } from "zod";
import { errorEnvelope } from "../errors";
import { ExchangeDenied, REQUEST_ERROR_REASONS } from "../federation/deny-reasons";
import { decideExchange, type DecisionTrace, type ExchangeDeps, type ExchangeRequest } from "../federation/exchange";
import type { IssuerPolicy, KeyResolver } from "../federation/types";
import { formatZodError } from "../schemas/common";
import { exchangeReads, JtiRace, persistGrant, recordDenial } from "../store/exchange-store";
import type { Runtime } from "../server/runtime";
import type { ApiEnv } from "./app";

/** Whole request bodies above this are refused before parsing (the assertion alone may be 16 KiB). */
const MAX_BODY_BYTES = 64 * 1024;
const AUTH_FAILED = "Authentication failed";

const field = (name: string, max: number) =>
  z.string({ error: (i) => (i.input === undefined ? "is required" : "must be a string") }).min(1, "must not be empty").max(max, `must be at most ${max} characters`).describe(name);

/** Request shape only; every semantic check is the core's. Unknown fields are ignored, as OAuth servers do. */
const tokenRequest = z.object({
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

export function mountTokenEndpoint(app: Hono<ApiEnv>, runtime: Runtime, deps: TokenEndpointDeps): void {
  const { store } = runtime;
  const exchangeDeps: ExchangeDeps = {
    organizationId: runtime.organizationId,
    defaultAudience: runtime.config.defaultAudience,
    now: () => Math.floor(Date.now() / 1000),
    keysFor: deps.keysFor,
    ...exchangeReads(store, runtime.organizationId),
  };

  app.post(
    "/v1/oauth/token",
    bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => c.json(errorEnvelope("request_too_large", `request body: must be at most ${MAX_BODY_BYTES / 1024} KiB`), 413) }),
    async (c) => {
      c.header("cache-control", "no-store");
      c.header("pragma", "no-cache");
      const requestId = c.get("requestId");
      const attempt = { organizationId: runtime.organizationId, requestId, clientIp: clientIp(c) };

      const body = await readTokenRequest(c);
      const parsed = tokenRequest.safeParse(body);
      if (!parsed.success) {
        const message = body === undefined ? "request body: must be JSON or form-encoded" : formatZodError(parsed.error);
        await recordDenial(store, { ...attempt, reason: "invalid_request", detail: message, ruleId: null, issuerId: null, serviceAccountId: null, claims: undefined, claimsVerified: false });
        return c.json(errorEnvelope("invalid_request_error", message), 400);
      }

      const trace: DecisionTrace = { claimsVerified: false };
      try {
        const grant = await decideExchange(parsed.data as ExchangeRequest, exchangeDeps, trace);
        const accessToken = await persistGrant(store, grant, attempt);
        return c.json({ access_token: accessToken, token_type: "Bearer", expires_in: grant.expiresIn, scope: grant.scope });
      } catch (err) {
        const denial =
          err instanceof ExchangeDenied ? err : err instanceof JtiRace ? new ExchangeDenied("jti_reused", "jti was exchanged concurrently by another request") : undefined;
        if (!denial) throw err;
        await recordDenial(store, {
          ...attempt,
          reason: denial.reason,
          detail: denial.detail,
          ruleId: trace.rule?.id ?? null,
          issuerId: trace.issuer?.id ?? null,
          serviceAccountId: trace.rule?.service_account_id ?? null,
          claims: trace.claims,
          claimsVerified: trace.claimsVerified,
        });
        if (REQUEST_ERROR_REASONS.has(denial.reason)) {
          const message = denial.reason === "assertion_too_large" ? "assertion: must be at most 16 KiB" : denial.detail;
          return c.json(errorEnvelope("invalid_request_error", message), 400);
        }
        c.header("x-should-retry", "false");
        return c.json(errorEnvelope("authentication_error", AUTH_FAILED), 401);
      }
    },
  );
}

/** JSON or form-encoded body as a plain object; undefined when it is neither. */
async function readTokenRequest(c: Context<ApiEnv>): Promise<Record<string, unknown> | undefined> {
  const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  const text = await c.req.text();
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

function clientIp(c: Context<ApiEnv>): string | null {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? null;
}
