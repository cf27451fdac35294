/**
 * Where the gateway forwards and with which key: the organization's default upstream and
 * per-workspace overrides. Keys are write-only — stored sealed (lib/core/secret-box.ts), shown
 * by their last four characters, opened only to be sent upstream. WIF_UPSTREAM_URL and
 * WIF_UPSTREAM_API_KEY, when set, are the organization's default and cannot be changed here.
 * @see docs/gateway.md#upstream
 */
import type { Kysely } from "kysely";
import { request } from "undici";
import type { GatewayConfig } from "../config";
import { invalidRequest } from "../core/errors";
import { lastFour, openSecret, sealedWithOldKey, sealSecret, type SecretKeyring } from "../core/secret-box";
import { DEMO_UPSTREAM, normalizeUpstreamUrl } from "../core/upstream-url";
import { upstreamTest, upstreamUpdate } from "../schemas/gateway";
import type { Database } from "../store/schema";
import { auditChange } from "./audit";
import { assertCanRead, assertCanWrite, type AdminContext } from "./context";
import { parseInput } from "./parse";
import { readCache } from "./read-cache";
import { SlidingWindowLimiter, tooManyAttemptsMessage } from "./rate-limit";
import { requireLiveWorkspace } from "./workspaces";
import { rateLimited } from "../core/errors";

const ANTHROPIC_API_URL = "https://api.anthropic.com";
const ORG_DEFAULT = "*";

/** What the gateway and the settings operations need beyond an admin context. */
export interface UpstreamDeps {
  db: Kysely<Database>;
  secrets: SecretKeyring;
  gateway: Pick<GatewayConfig, "upstreamUrl" | "upstreamApiKey">;
}

export type GatewaySettingsContext = AdminContext & Omit<UpstreamDeps, "db">;

/** Where one workspace's requests go. */
export interface ResolvedUpstream {
  /** A base URL without trailing slash, or `demo`. */
  baseUrl: string;
  /** Opened from its seal; undefined when none is configured. */
  apiKey: string | undefined;
  allowPassthrough: boolean;
}

/** The sealed key's additional data: it opens only in the row it was stored in. */
const keyAad = (organizationId: string, workspaceId: string) => `gateway_upstreams:${organizationId}:${workspaceId}`;

/** Resolved upstreams are kept this long per process; a change made here clears them at once. */
const cache = readCache<ResolvedUpstream>({ ttlMs: 5000, maxEntries: 10_000 });

/** The upstream for `workspaceId`: its override, else the organization's default, else the configured or built-in one. */
export function resolveUpstream(deps: UpstreamDeps, organizationId: string, workspaceId: string, now = Date.now()): Promise<ResolvedUpstream> {
  return cache.get(deps.db, `${organizationId}\n${workspaceId}`, now, () => readUpstream(deps, organizationId, workspaceId));
}

async function readUpstream(deps: UpstreamDeps, organizationId: string, workspaceId: string): Promise<ResolvedUpstream> {
  const rows = await deps.db
    .selectFrom("gateway_upstreams")
    .selectAll()
    .where("organization_id", "=", organizationId)
    .where("workspace_id", "in", [ORG_DEFAULT, workspaceId])
    .execute();
  const org = rows.find((r) => r.workspace_id === ORG_DEFAULT);
  const ws = rows.find((r) => r.workspace_id === workspaceId && workspaceId !== ORG_DEFAULT);
  const open = (row: typeof org) => (row?.api_key_sealed ? openSecret(deps.secrets, row.api_key_sealed, keyAad(organizationId, row.workspace_id)) : undefined);
  return {
    baseUrl: ws?.base_url ?? deps.gateway.upstreamUrl ?? org?.base_url ?? ANTHROPIC_API_URL,
    apiKey: ws?.api_key_sealed ? open(ws) : (deps.gateway.upstreamApiKey ?? open(org)),
    allowPassthrough: org?.allow_passthrough === 1,
  };
}

export interface UpstreamSettingsDto {
  type: "gateway_upstream_settings";
  /** The organization's default. */
  default: {
    base_url: string;
    base_url_source: "environment" | "organization" | "built_in";
    /** Last four characters of the key; the key itself is never shown. */
    api_key_last4: string | null;
    api_key_source: "environment" | "organization" | null;
    allow_passthrough: boolean;
    updated_at: string | null;
  };
  /** Workspaces with an override of their own. */
  workspaces: Array<{ workspace_id: string; workspace_name: string | null; base_url: string | null; api_key_last4: string | null; updated_at: string }>;
}

export async function getUpstreamSettings(ctx: GatewaySettingsContext): Promise<UpstreamSettingsDto> {
  assertCanRead(ctx);
  const orgId = ctx.principal.organizationId;
  const rows = await ctx.db
    .selectFrom("gateway_upstreams as u")
    .leftJoin("workspaces as w", "w.id", "u.workspace_id")
    .select(["u.workspace_id", "u.base_url", "u.api_key_last4", "u.allow_passthrough", "u.updated_at", "w.name as workspace_name"])
    .where("u.organization_id", "=", orgId)
    .orderBy("u.workspace_id")
    .execute();
  const org = rows.find((r) => r.workspace_id === ORG_DEFAULT);
  const envUrl = ctx.gateway.upstreamUrl;
  const envKey = ctx.gateway.upstreamApiKey;
  return {
    type: "gateway_upstream_settings",
    default: {
      base_url: envUrl ?? org?.base_url ?? ANTHROPIC_API_URL,
      base_url_source: envUrl ? "environment" : org?.base_url ? "organization" : "built_in",
      api_key_last4: envKey ? lastFour(envKey) : (org?.api_key_last4 ?? null),
      api_key_source: envKey ? "environment" : org?.api_key_last4 ? "organization" : null,
      allow_passthrough: org?.allow_passthrough === 1,
      updated_at: org?.updated_at ?? null,
    },
    workspaces: rows
      .filter((r) => r.workspace_id !== ORG_DEFAULT)
      .map((r) => ({ workspace_id: r.workspace_id, workspace_name: r.workspace_name, base_url: r.base_url, api_key_last4: r.api_key_last4, updated_at: r.updated_at })),
  };
}

export async function updateUpstreamSettings(ctx: GatewaySettingsContext, input: unknown): Promise<UpstreamSettingsDto> {
  assertCanWrite(ctx);
  const body = parseInput(upstreamUpdate, input);
  const orgId = ctx.principal.organizationId;
  const scope = body.workspace_id === undefined ? ORG_DEFAULT : (await requireLiveWorkspace(ctx.db, orgId, body.workspace_id)).id;
  if (scope === ORG_DEFAULT) {
    if (body.base_url !== undefined && ctx.gateway.upstreamUrl) throw invalidRequest("base_url", "is set by WIF_UPSTREAM_URL (or WIF_DEMO); change the environment instead");
    if (body.api_key !== undefined && ctx.gateway.upstreamApiKey) throw invalidRequest("api_key", "is set by WIF_UPSTREAM_API_KEY; change the environment instead");
  } else if (body.allow_passthrough !== undefined) {
    throw invalidRequest("allow_passthrough", "is an organization setting; omit workspace_id");
  }
  const now = new Date().toISOString();
  const actor = ctx.principal.kind === "access_token" ? ctx.principal.serviceAccountId : "id" in ctx.principal ? ctx.principal.id : null;
  await ctx.db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom("gateway_upstreams").selectAll().where("organization_id", "=", orgId).where("workspace_id", "=", scope).executeTakeFirst();
    const next = {
      organization_id: orgId,
      workspace_id: scope,
      base_url: body.base_url === undefined ? (before?.base_url ?? null) : body.base_url === null ? null : normalizeUpstreamUrl(body.base_url),
      api_key_sealed: body.api_key === undefined ? (before?.api_key_sealed ?? null) : body.api_key === null ? null : sealSecret(ctx.secrets, body.api_key, keyAad(orgId, scope)),
      api_key_last4: body.api_key === undefined ? (before?.api_key_last4 ?? null) : body.api_key === null ? null : lastFour(body.api_key),
      allow_passthrough: body.allow_passthrough === undefined ? (before?.allow_passthrough ?? 0) : body.allow_passthrough ? 1 : 0,
      updated_at: now,
      updated_by_actor_id: actor,
    };
    await trx
      .insertInto("gateway_upstreams")
      .values(next)
      .onConflict((oc) => oc.columns(["organization_id", "workspace_id"]).doUpdateSet({ ...next }))
      .execute();
    // The key's value is never audited; only that it was set or removed, and its last four.
    const changed: Record<string, unknown> = {};
    if (body.base_url !== undefined && (before?.base_url ?? null) !== next.base_url) changed.base_url = { from: before?.base_url ?? null, to: next.base_url };
    if (body.api_key !== undefined) changed.api_key = body.api_key === null ? "removed" : `set (…${next.api_key_last4})`;
    if (body.allow_passthrough !== undefined && (before?.allow_passthrough ?? 0) !== next.allow_passthrough) changed.allow_passthrough = { from: before?.allow_passthrough === 1, to: body.allow_passthrough };
    await auditChange(trx, ctx, { action: "gateway_upstream.updated", targetType: scope === ORG_DEFAULT ? "organization" : "workspace", targetId: scope === ORG_DEFAULT ? orgId : scope, detail: { changed } });
  });
  cache.clear(ctx.db);
  return getUpstreamSettings(ctx);
}

/** "Test connection" must not become a way to probe the network: a few per minute, for admins only. */
const testLimiter = new SlidingWindowLimiter({ limit: 10, windowMs: 60_000 });

/** What went wrong, as a code the console can explain (and a test can name). */
export type UpstreamProblem = "no_key" | "dns" | "refused" | "tls" | "timeout" | "connection" | "unauthorized" | "forbidden" | "http_error" | "bad_reply";

export interface UpstreamTestResult {
  ok: boolean;
  /** The upstream's status for `GET /v1/models`, when it answered. */
  status: number | null;
  message: string;
  /** Null when the test passed. */
  problem: UpstreamProblem | null;
  /** The models the upstream lists for the key (first page, at most 100). */
  models: Array<{ id: string; display_name: string | null }>;
  /** The upstream's `request-id`, to quote to its support. */
  upstream_request_id: string | null;
}

const TEST_TIMEOUT_MS = 5000;
const MAX_MODELS_BYTES = 256 * 1024;

/** Node's and undici's error codes, as the step that failed: name resolution, connection, TLS, or time. */
function connectionProblem(err: unknown): { problem: UpstreamProblem; message: string } {
  const codes: string[] = [];
  for (let e: unknown = err, depth = 0; e && typeof e === "object" && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, name } = e as { code?: unknown; name?: unknown };
    if (typeof code === "string") codes.push(code);
    if (typeof name === "string") codes.push(name);
  }
  const has = (test: (code: string) => boolean) => codes.some(test);
  if (has((c) => c === "ENOTFOUND" || c === "EAI_AGAIN" || c === "EAI_NONAME")) return { problem: "dns", message: "The upstream's host name did not resolve (DNS)." };
  if (has((c) => c === "ECONNREFUSED")) return { problem: "refused", message: "The upstream refused the connection: nothing listens on that address and port." };
  if (has((c) => /CERT|SSL|TLS|EPROTO|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME/.test(c))) return { problem: "tls", message: "The TLS handshake with the upstream failed (its certificate is not valid for this name, expired, or not trusted)." };
  if (has((c) => /TIMEOUT|TimeoutError|AbortError|ETIMEDOUT/.test(c))) return { problem: "timeout", message: `The upstream did not answer within ${TEST_TIMEOUT_MS / 1000} seconds.` };
  return { problem: "connection", message: "The connection to the upstream failed (reset or closed before it answered)." };
}

/** The first MAX_MODELS_BYTES of a reply body; a longer one is cut (and will not parse). */
async function readCapped(body: AsyncIterable<Buffer> & { destroy(): void }): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size > MAX_MODELS_BYTES) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(chunks).toString("utf8");
}

function parseModels(text: string): UpstreamTestResult["models"] | undefined {
  try {
    const data = (JSON.parse(text) as { data?: unknown }).data;
    if (!Array.isArray(data)) return undefined;
    return data
      .filter((m): m is { id: string; display_name?: unknown } => !!m && typeof (m as { id?: unknown }).id === "string")
      .slice(0, 100)
      .map((m) => ({ id: m.id.slice(0, 256), display_name: typeof m.display_name === "string" ? m.display_name.slice(0, 256) : null }));
  } catch {
    return undefined;
  }
}

/**
 * Ask the upstream to list its models with the configured key (`GET /v1/models`): is it
 * reachable, does it accept the key, and which models does the key see? A failure names the
 * step that failed. Admin-only and rate-limited; the upstream URL itself may only be https or
 * loopback (lib/core/upstream-url.ts), so this reaches no address a setting could not.
 */
export async function testUpstreamConnection(ctx: GatewaySettingsContext, input: unknown): Promise<UpstreamTestResult> {
  assertCanWrite(ctx);
  const body = parseInput(upstreamTest, input);
  const orgId = ctx.principal.organizationId;
  const check = testLimiter.check(orgId);
  if (!check.allowed) throw rateLimited(tooManyAttemptsMessage(check.retryAfterMs));
  testLimiter.record(orgId);
  const workspaceId = body.workspace_id === undefined ? ORG_DEFAULT : (await requireLiveWorkspace(ctx.db, orgId, body.workspace_id)).id;
  const upstream = await readUpstream(ctx, orgId, workspaceId);
  const result = (r: Partial<UpstreamTestResult> & Pick<UpstreamTestResult, "ok" | "message">): UpstreamTestResult => ({ status: null, problem: null, models: [], upstream_request_id: null, ...r });
  if (upstream.baseUrl === DEMO_UPSTREAM) return result({ ok: true, status: 200, message: "The built-in demo upstream answers; no model is called." });
  if (!upstream.apiKey) return result({ ok: false, problem: "no_key", message: "No upstream API key is configured: set one before testing." });
  let res: Awaited<ReturnType<typeof request>>;
  try {
    res = await request(`${upstream.baseUrl}/v1/models?limit=100`, {
      method: "GET",
      headers: { "x-api-key": upstream.apiKey, "anthropic-version": "2023-06-01", accept: "application/json" },
      headersTimeout: TEST_TIMEOUT_MS,
      bodyTimeout: TEST_TIMEOUT_MS,
      signal: AbortSignal.timeout(TEST_TIMEOUT_MS),
    });
  } catch (err) {
    return result({ ok: false, ...connectionProblem(err) });
  }
  const status = res.statusCode;
  const requestId = res.headers["request-id"];
  const upstream_request_id = typeof requestId === "string" ? requestId.slice(0, 128) : null;
  let text: string;
  try {
    text = await readCapped(res.body);
  } catch (err) {
    return result({ ok: false, status, upstream_request_id, ...connectionProblem(err) });
  }
  if (status === 401) return result({ ok: false, status, upstream_request_id, problem: "unauthorized", message: "The upstream answered 401: it does not accept the key (wrong, revoked, or for another organization)." });
  if (status === 403) return result({ ok: false, status, upstream_request_id, problem: "forbidden", message: "The upstream answered 403: the key is valid but may not list models." });
  if (status !== 200) return result({ ok: false, status, upstream_request_id, problem: "http_error", message: `The upstream answered ${status} to GET /v1/models.` });
  const models = parseModels(text);
  if (!models) return result({ ok: false, status, upstream_request_id, problem: "bad_reply", message: "The upstream answered 200 but not with a model list: is the URL a Claude API?" });
  return result({ ok: true, status, upstream_request_id, models, message: `The upstream accepted the key and lists ${models.length} model${models.length === 1 ? "" : "s"}.` });
}

/** At start: re-seal keys sealed with a previous WIF_SECRET_KEY (a rotation); returns how many. */
export async function resealUpstreamKeys(deps: UpstreamDeps): Promise<number> {
  const rows = await deps.db.selectFrom("gateway_upstreams").select(["organization_id", "workspace_id", "api_key_sealed"]).where("api_key_sealed", "is not", null).execute();
  let count = 0;
  for (const row of rows) {
    if (!row.api_key_sealed || !sealedWithOldKey(deps.secrets, row.api_key_sealed)) continue;
    const aad = keyAad(row.organization_id, row.workspace_id);
    const resealed = sealSecret(deps.secrets, openSecret(deps.secrets, row.api_key_sealed, aad), aad);
    await deps.db
      .updateTable("gateway_upstreams")
      .set({ api_key_sealed: resealed })
      .where("organization_id", "=", row.organization_id)
      .where("workspace_id", "=", row.workspace_id)
      .where("api_key_sealed", "=", row.api_key_sealed)
      .execute();
    count++;
  }
  return count;
}
