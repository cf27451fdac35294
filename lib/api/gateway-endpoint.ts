/**
 * The Claude API gateway's way in: every `/v1/…` request this server does not answer itself,
 * on bare node:http like the token endpoint (the Hono adapter's per-request objects would cost
 * more than the whole forward). A handler's four steps — parse (path, framing, credential),
 * authorise (authenticate(), the core's scope table, limits), forward (lib/gateway), record —
 * with one audit row per request however it ends.
 * @see docs/gateway.md
 */
import { EventEmitter } from "node:events";
import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiError } from "../core/errors";
import { API_KEY_SCOPES, gatewayPathProblem, pathFamily, scopesAllow } from "../core/gateway-scopes";
import { newId } from "../core/ids";
import { annotateRequest, currentRequest, logger } from "../observability/log";
import { hashSecret, secretKind } from "../core/secrets";
import { lastFour } from "../core/secret-box";
import { DEMO_UPSTREAM } from "../core/upstream-url";
import { startDemoUpstream, type DemoUpstream } from "../gateway/demo-upstream";
import { forward, type ForwardResult, type Forwarding } from "../gateway/forward";
import { framingProblem, gatewayCredential } from "../gateway/headers";
import { createGatewayLimiter } from "../gateway/limits";
import { sendGatewayError } from "../gateway/reply";
import { createUpstreamPool } from "../gateway/upstream-pool";
import { tokensUsed } from "../gateway/usage";
import { limitsFor } from "../services/gateway-limits";
import { resealUpstreamKeys, resolveUpstream, type ResolvedUpstream } from "../services/gateway-upstreams";
import { defaultWorkspaceId } from "../services/organization";
import { openGatewayRequestLog, type GatewayRequestRow } from "../store/gateway-request-log";
import type { Principal } from "../services/context";
import type { Runtime } from "../runtime";
import { authenticate } from "./authenticate";

/** Paths under `/v1/` that the API app answers (token endpoint, introspection, Admin API, OpenAPI); the gateway takes the rest. */
const OWN_PREFIXES = ["/v1/oauth/", "/v1/organizations/", "/v1/organizations?", "/v1/openapi.json"];
const METHODS = new Set(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"]);

/** Whether node:http should hand this request to the gateway. `HEAD /` is Claude Code's reachability probe. */
export function isGatewayRequest(req: IncomingMessage): boolean {
  const url = req.url ?? "/";
  if (url.startsWith("/v1/")) return url !== "/v1/organizations" && !OWN_PREFIXES.some((p) => url.startsWith(p));
  return req.method === "HEAD" && (url === "/" || url.startsWith("/?"));
}

export interface GatewayEndpoint {
  (req: IncomingMessage, res: ServerResponse): void;
  /** Let requests under way finish for up to `graceMs`, then cut the rest; resolves when all have ended. */
  drain(graceMs: number): Promise<void>;
  /** After `drain`: write the last audit rows, close the upstream pool (and the demo upstream). */
  close(): Promise<void>;
  /** Emits `row` (GatewayRequestRow) as each request's audit row is queued: tests and metrics. */
  events: EventEmitter;
  /** Resolves once every queued audit row is committed. */
  flushAudit(): Promise<void>;
}

type Denial = { status: number; type: string; message: string; reason: string; retryAfter?: number };

/** Who a request is, as far as its audit row goes. */
type Caller = Pick<GatewayRequestRow, "credential_type" | "credential_hint" | "access_token_id" | "exchange_request_id" | "federation_rule_id" | "service_account_id" | "subject" | "api_key_id" | "workspace_id">;

const ANONYMOUS: Caller = { credential_type: "none", credential_hint: null, access_token_id: null, exchange_request_id: null, federation_rule_id: null, service_account_id: null, subject: null, api_key_id: null, workspace_id: null };

export async function createGatewayEndpoint(runtime: Runtime): Promise<GatewayEndpoint> {
  const { store, config } = runtime;
  const db = store.db;
  const pool = createUpstreamPool(config.gateway);
  const log = openGatewayRequestLog(store);
  const limiter = createGatewayLimiter(store);
  const demo: DemoUpstream | undefined = config.gateway.upstreamUrl === DEMO_UPSTREAM ? await startDemoUpstream() : undefined;
  const upstreamDeps = { db, secrets: runtime.secrets, gateway: config.gateway };
  // After a key rotation (WIF_SECRET_KEY_PREVIOUS), stored upstream keys move to the new key.
  const resealed = await resealUpstreamKeys(upstreamDeps);
  if (resealed > 0) logger().info({ count: resealed }, "re-encrypted upstream keys with the current WIF_SECRET_KEY");
  const events = new EventEmitter();
  events.setMaxListeners(0);
  const record = (row: GatewayRequestRow) => {
    log.append(row);
    runtime.metrics.observeGatewayRequest(row);
    // The access line names the caller by credential kind and ID; the row has the rest.
    annotateRequest({
      credentialKind: row.credential_type,
      credentialId: row.access_token_id ?? row.api_key_id,
      fields: { outcome: row.outcome, reason: row.reason, model: row.model, service_account_id: row.service_account_id },
    });
    events.emit("row", row);
  };
  const inFlight = new Set<Forwarding>();
  let pending = 0;
  let idle: Array<() => void> = [];

  /** The token's exchange (request ID and federated subject), read once per token. */
  const tokenOrigins = new Map<string, Promise<{ subject: string; request_id: string } | undefined>>();
  const tokenOrigin = (tokenId: string) => {
    let found = tokenOrigins.get(tokenId);
    if (!found) {
      if (tokenOrigins.size > 10_000) tokenOrigins.clear();
      found = db.selectFrom("access_tokens").select(["subject", "request_id"]).where("id", "=", tokenId).executeTakeFirst();
      tokenOrigins.set(tokenId, found);
    }
    return found;
  };
  let defaultWorkspace: Promise<string> | undefined;

  async function callerOf(p: Principal): Promise<Caller> {
    if (p.kind === "access_token") {
      const origin = await tokenOrigin(p.id);
      return { ...ANONYMOUS, credential_type: "access_token", access_token_id: p.id, exchange_request_id: origin?.request_id ?? null, federation_rule_id: p.ruleId, service_account_id: p.serviceAccountId, subject: origin?.subject ?? null, workspace_id: p.workspaceId };
    }
    if (p.kind === "api_key") {
      defaultWorkspace ??= defaultWorkspaceId(db, p.organizationId);
      return { ...ANONYMOUS, credential_type: "api_key", api_key_id: p.id, service_account_id: p.serviceAccountId, workspace_id: p.workspaceId ?? (await defaultWorkspace) };
    }
    return { ...ANONYMOUS, credential_type: p.kind === "admin_key" ? "admin_key" : "none" };
  }

  /** A real upstream key from a client not yet migrated: forwarded as is when the organization allows it. */
  async function passthrough(credential: string): Promise<ResolvedUpstream | undefined> {
    if (secretKind(credential) !== "api" || credential.length > 512) return undefined;
    const upstream = await resolveUpstream(upstreamDeps, runtime.organizationId, "*");
    if (!upstream.allowPassthrough) return undefined;
    // One of our own keys (inactive, archived) is never sent upstream.
    const ours = await db.selectFrom("api_keys").select("id").where("key_hash", "=", hashSecret(credential)).executeTakeFirst();
    return ours ? undefined : { ...upstream, apiKey: credential };
  }

  async function handle(req: IncomingMessage, res: ServerResponse, requestId: string, startedAt: number): Promise<void> {
    const url = req.url ?? "/";
    if (!url.startsWith("/v1/")) {
      // Claude Code's HEAD / probe: reachable, nothing to authenticate.
      res.writeHead(200, ["request-id", requestId, "cache-control", "no-store"]).end();
      return;
    }
    const path = url.split("?", 1)[0]!;
    annotateRequest({ route: `gateway:${pathFamily(path)}` });
    const row = (caller: Caller, status: number, outcome: GatewayRequestRow["outcome"], reason: string | null, result?: ForwardResult): GatewayRequestRow => ({
      id: newId("gatewayRequest"),
      organization_id: runtime.organizationId,
      occurred_at: new Date(performance.timeOrigin + startedAt).toISOString(),
      request_id: requestId,
      upstream_request_id: result?.upstreamRequestId ?? null,
      ...caller,
      method: req.method ?? "GET",
      path: path.slice(0, 512),
      path_family: pathFamily(path),
      model: result?.facts.model ?? null,
      status,
      outcome,
      reason,
      streamed: result?.streamed ? 1 : 0,
      input_tokens: result?.facts.usage.input_tokens ?? null,
      output_tokens: result?.facts.usage.output_tokens ?? null,
      cache_creation_input_tokens: result?.facts.usage.cache_creation_input_tokens ?? null,
      cache_read_input_tokens: result?.facts.usage.cache_read_input_tokens ?? null,
      ttfb_ms: result?.ttfbMs ?? null,
      duration_ms: Math.round(performance.now() - startedAt),
      request_bytes: result?.requestBytes ?? 0,
      response_bytes: result?.responseBytes ?? 0,
    });
    const deny = (caller: Caller, d: Denial) => {
      // Refused before any upstream call; the body (if any) is drained, not forwarded.
      req.resume();
      sendGatewayError(res, d.status, d.type, d.message, requestId, d.status === 429, d.retryAfter ? ["retry-after", String(d.retryAfter)] : []);
      record(row(caller, d.status, "denied", d.reason));
    };

    const problem = gatewayPathProblem(path) ?? framingProblem(req) ?? (METHODS.has(req.method ?? "") ? undefined : `method: ${req.method} is not forwarded`);
    if (problem) return deny(ANONYMOUS, { status: 400, type: "invalid_request_error", message: problem, reason: "invalid_request" });

    const presented = gatewayCredential(req.headers);
    if ("conflict" in presented) {
      return deny(ANONYMOUS, { status: 401, type: "authentication_error", message: "x-api-key and Authorization carry different credentials; send one, or the same in both", reason: "credentials_disagree" });
    }
    const { credential } = presented;
    let principal: Principal | undefined;
    let upstream: ResolvedUpstream | undefined;
    let caller = ANONYMOUS;
    try {
      principal = await authenticate(store, credential);
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 401) throw err;
      upstream = credential ? await passthrough(credential) : undefined;
      if (!upstream) {
        const claimed = credential ? secretKind(credential) : undefined;
        const c: Caller = { ...ANONYMOUS, credential_type: claimed === "access" ? "access_token" : claimed === "api" ? "api_key" : claimed === "admin" ? "admin_key" : "none" };
        return deny(c, { status: 401, type: "authentication_error", message: err.message, reason: credential ? "invalid_credential" : "missing_credential" });
      }
      caller = { ...ANONYMOUS, credential_type: "passthrough", credential_hint: lastFour(credential!) };
    }

    let release: (tokens: number) => Promise<void> = async () => {};
    if (principal) {
      caller = await callerOf(principal);
      const scopes = principal.kind === "access_token" ? principal.scopes : principal.kind === "api_key" ? API_KEY_SCOPES : new Set<string>();
      if (!scopesAllow(scopes, path) || (principal.kind !== "access_token" && principal.kind !== "api_key")) {
        const message =
          principal.kind === "admin_key"
            ? "Admin keys manage the organization; call the Claude API with an access token or an API key"
            : `This credential's scope (${[...scopes].join(" ") || "none"}) does not allow ${pathFamily(path)} requests`;
        return deny(caller, { status: 403, type: "permission_error", message, reason: "scope" });
      }
      const subject = principal.kind === "access_token" ? (["service_account", principal.serviceAccountId] as const) : (["api_key", principal.id] as const);
      const decision = await limiter.acquire(`${subject[0]}:${subject[1]}`, await limitsFor(db, subject[0], subject[1]));
      if (!decision.allowed) {
        return deny(caller, { status: 429, type: "rate_limit_error", message: `${decision.limit} limit reached for this ${subject[0].replace("_", " ")}`, reason: decision.limit, retryAfter: decision.retryAfterSeconds });
      }
      release = decision.release;
      try {
        upstream = await resolveUpstream(upstreamDeps, principal.organizationId, caller.workspace_id!);
      } catch (err) {
        // An unreadable upstream key (rotated away) must not keep a concurrency slot.
        await release(0);
        throw err;
      }
    }

    const baseUrl = upstream!.baseUrl === DEMO_UPSTREAM ? demo?.url : upstream!.baseUrl;
    const apiKey = upstream!.apiKey ?? (baseUrl === demo?.url ? "demo" : undefined);
    if (!baseUrl || !apiKey) {
      await release(0);
      return deny(caller, { status: 500, type: "api_error", message: "No upstream API key is configured for this workspace; an administrator sets one (WIF_UPSTREAM_API_KEY or the gateway settings)", reason: "no_upstream_key" });
    }
    const forwarding = forward(pool, { req, res, baseUrl, apiKey, requestId, readUsage: path === "/v1/messages", startedAt });
    inFlight.add(forwarding);
    const result = await forwarding.done;
    inFlight.delete(forwarding);
    // The reply is sent; its tokens count before its row is written (so a row means "counted").
    await release(tokensUsed(result.facts.usage));
    record(row(caller, result.status, result.outcome, result.reason, result));
  }

  const endpoint = (req: IncomingMessage, res: ServerResponse): void => {
    const startedAt = performance.now();
    const context = currentRequest();
    const requestId = context?.id ?? newId("request");
    annotateRequest({ route: "gateway:probe" });
    pending++;
    const handled = handle(req, res, requestId, startedAt)
      .catch((err: unknown) => {
        logger().error({ err }, "gateway internal error");
        req.resume();
        sendGatewayError(res, 500, "api_error", `Internal server error (request-id ${requestId})`, requestId, true);
      })
      .finally(() => {
        if (--pending > 0) return;
        for (const resolve of idle) resolve();
        idle = [];
      });
    // The access line waits for the audit row: caller, model and outcome are known only then.
    if (context) context.until = handled;
  };

  return Object.assign(endpoint, {
    events,
    flushAudit: () => log.flush(),
    async drain(graceMs: number) {
      const allDone = () => (pending === 0 ? Promise.resolve() : new Promise<void>((resolve) => idle.push(resolve)));
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<"deadline">((resolve) => (timer = setTimeout(() => resolve("deadline"), graceMs)));
      if ((await Promise.race([allDone(), deadline])) === "deadline") for (const f of inFlight) f.abort("shutdown");
      clearTimeout(timer);
      await allDone();
    },
    async close() {
      await log.close();
      await pool.close();
      await demo?.close();
    },
  });
}
