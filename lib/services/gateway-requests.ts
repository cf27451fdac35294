/**
 * The gateway's request log, for people and scripts: one row per request (who, which
 * endpoint, how it went, tokens, timings), filtered and paginated newest first, and usage
 * totals grouped by service account, API key, workspace, model, path family or day, and the
 * same totals over time (bucketed in SQL) for the console's charts.
 * @see docs/gateway.md#audit
 */
import { sql, type ExpressionBuilder } from "kysely";
import type { z } from "zod";
import { notFound } from "../core/errors";
import { gatewayRequestFilters, gatewayRequestListQuery, gatewayUsageQuery, gatewayUsageSeriesQuery, type UsageBucket } from "../schemas/gateway";
import { givenFilters } from "../store/given-filters";
import { paginate, type PageResult } from "../store/paginate";
import type { Database, GatewayRequestsTable } from "../store/schema";
import { assertCanRead, type AdminContext } from "./context";
import { parseInput } from "./parse";

export interface GatewayRequestDto extends Omit<GatewayRequestsTable, "organization_id" | "streamed"> {
  type: "gateway_request";
  streamed: boolean;
  service_account_name: string | null;
  api_key_name: string | null;
  workspace_name: string | null;
}

type Filters = z.output<typeof gatewayRequestFilters>;
type Row = GatewayRequestsTable & { service_account_name: string | null; api_key_name: string | null; workspace_name: string | null };

type GatewayDb = Database & { g: GatewayRequestsTable };

/** The filters as one condition on `g` (the request log's alias). */
const matching = (ctx: AdminContext, f: Filters) => (eb: ExpressionBuilder<GatewayDb, "g">) => {
  const c = [
    eb("g.organization_id", "=", ctx.principal.organizationId),
    eb.and(
      givenFilters({
        "g.service_account_id": f.service_account_id,
        "g.api_key_id": f.api_key_id,
        "g.workspace_id": f.workspace_id,
        "g.federation_rule_id": f.federation_rule_id,
        "g.outcome": f.outcome,
        "g.status": f.status,
        "g.path_family": f.path_family,
        "g.model": f.model,
      }),
    ),
  ];
  if (f.request_id) c.push(eb.or([eb("g.request_id", "=", f.request_id), eb("g.upstream_request_id", "=", f.request_id)]));
  if (f.since) c.push(eb("g.occurred_at", ">=", f.since));
  if (f.until) c.push(eb("g.occurred_at", "<", f.until));
  return eb.and(c);
};

function requestRows(ctx: AdminContext, f: Filters) {
  return ctx.db
    .selectFrom("gateway_requests as g")
    .leftJoin("service_accounts as s", "s.id", "g.service_account_id")
    .leftJoin("api_keys as k", "k.id", "g.api_key_id")
    .leftJoin("workspaces as w", "w.id", "g.workspace_id")
    .selectAll("g")
    .select(["s.name as service_account_name", "k.name as api_key_name", "w.name as workspace_name"])
    .where(matching(ctx, f));
}

function toDto(r: Row): GatewayRequestDto {
  const { organization_id: _org, streamed, ...rest } = r;
  return { type: "gateway_request", ...rest, streamed: streamed === 1 };
}

export async function listGatewayRequests(ctx: AdminContext, query: unknown): Promise<PageResult<GatewayRequestDto>> {
  assertCanRead(ctx);
  const q = parseInput(gatewayRequestListQuery, query);
  const page = await paginate(requestRows(ctx, q), q, "g.id", (r) => r.id);
  return { ...page, data: page.data.map(toDto) };
}

export interface UsageRowDto {
  /** The group's key: an ID, a model, a path family or a day (`2026-11-24`); null for requests without one. */
  key: string | null;
  /** The name of the service account, API key or workspace, where there is one. */
  name: string | null;
  requests: number;
  /** Requests answered 4xx/5xx or refused here. */
  errors: number;
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  response_bytes: number;
}

export interface UsageDto {
  type: "gateway_usage";
  group_by: string;
  data: UsageRowDto[];
}

/** Totals per group over the filtered requests, largest request count first (at most 1,000 groups). */
export async function summarizeGatewayUsage(ctx: AdminContext, query: unknown): Promise<UsageDto> {
  assertCanRead(ctx);
  const q = parseInput(gatewayUsageQuery, query);
  const keyExpr = {
    service_account: sql<string | null>`g.service_account_id`,
    api_key: sql<string | null>`g.api_key_id`,
    workspace: sql<string | null>`g.workspace_id`,
    model: sql<string | null>`g.model`,
    path_family: sql<string | null>`g.path_family`,
    day: sql<string | null>`substr(g.occurred_at, 1, 10)`,
  }[q.group_by];
  const sum = (column: string) => sql<number>`coalesce(sum(${sql.ref(`g.${column}`)}), 0)`;
  const base = ctx.db
    .selectFrom("gateway_requests as g")
    .select([
      keyExpr.as("key"),
      sql<number>`count(*)`.as("requests"),
      sql<number>`sum(case when g.status >= 400 then 1 else 0 end)`.as("errors"),
      sum("input_tokens").as("input_tokens"),
      sum("output_tokens").as("output_tokens"),
      sum("cache_creation_input_tokens").as("cache_creation_input_tokens"),
      sum("cache_read_input_tokens").as("cache_read_input_tokens"),
      sum("response_bytes").as("response_bytes"),
    ]);
  const rows = await base
    .where(matching(ctx, q))
    .groupBy(keyExpr)
    .orderBy(sql`count(*)`, "desc")
    .limit(1000)
    .execute();
  const names = await namesFor(ctx, q.group_by, rows.map((r) => r.key).filter((k): k is string => k !== null));
  return {
    type: "gateway_usage",
    group_by: q.group_by,
    // PostgreSQL returns bigint sums as strings.
    data: rows.map((r) => ({
      key: r.key,
      name: r.key ? (names.get(r.key) ?? null) : null,
      requests: Number(r.requests),
      errors: Number(r.errors),
      input_tokens: Number(r.input_tokens),
      output_tokens: Number(r.output_tokens),
      cache_creation_input_tokens: Number(r.cache_creation_input_tokens),
      cache_read_input_tokens: Number(r.cache_read_input_tokens),
      response_bytes: Number(r.response_bytes),
    })),
  };
}

async function namesFor(ctx: AdminContext, groupBy: string, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const orgId = ctx.principal.organizationId;
  const rows =
    groupBy === "service_account"
      ? await ctx.db.selectFrom("service_accounts").select(["id", "name"]).where("organization_id", "=", orgId).where("id", "in", ids).execute()
      : groupBy === "api_key"
        ? await ctx.db.selectFrom("api_keys").select(["id", "name"]).where("organization_id", "=", orgId).where("id", "in", ids).execute()
        : groupBy === "workspace"
          ? await ctx.db.selectFrom("workspaces").select(["id", "name"]).where("organization_id", "=", orgId).where("id", "in", ids).execute()
          : [];
  return new Map(rows.map((r) => [r.id, r.name]));
}

export interface GatewayRequestDetailDto extends GatewayRequestDto {
  federation_rule_name: string | null;
  /** The history entry of the exchange that minted the token, when it is still there. */
  exchange_event_id: string | null;
}

/** One request with its credential chain resolved for people: the rule's name and the exchange's history entry. */
export async function getGatewayRequest(ctx: AdminContext, id: string): Promise<GatewayRequestDetailDto> {
  assertCanRead(ctx);
  const row = await requestRows(ctx, {})
    .leftJoin("federation_rules as r", "r.id", "g.federation_rule_id")
    .select("r.name as federation_rule_name")
    .where("g.id", "=", id)
    .executeTakeFirst();
  if (!row) throw notFound("gateway request", id);
  const { federation_rule_name, ...rest } = row;
  const exchange = row.exchange_request_id
    ? await ctx.db
        .selectFrom("auth_events")
        .select("id")
        .where("organization_id", "=", ctx.principal.organizationId)
        .where("request_id", "=", row.exchange_request_id)
        .executeTakeFirst()
    : undefined;
  return { ...toDto(rest), federation_rule_name, exchange_event_id: exchange?.id ?? null };
}

export interface UsageSeriesDto {
  type: "gateway_usage_series";
  series_by: "service_account" | "model";
  bucket: UsageBucket;
  /** Start of each bucket, Unix seconds, consecutive (empty buckets included). */
  x: number[];
  /** The largest groups by requests, one series each; the rest summed as one "Other" series (key null). */
  series: Array<{ key: string | null; label: string; requests: number[]; tokens: number[] }>;
  totals: { requests: number; tokens: number };
}

/** How many characters of an ISO time name its bucket, and the bucket's length. */
const BUCKETS: Record<UsageBucket, { chars: number; seconds: number; pad: string }> = {
  minute: { chars: 16, seconds: 60, pad: ":00.000Z" },
  ten_minutes: { chars: 15, seconds: 600, pad: "0:00.000Z" },
  hour: { chars: 13, seconds: 3600, pad: ":00:00.000Z" },
  day: { chars: 10, seconds: 86_400, pad: "T00:00:00.000Z" },
};
/** At most this many points per series: a chart a person can read, a reply of a few kB. */
const MAX_POINTS = 400;
/** Named series; the rest are "Other". */
const MAX_SERIES = 6;

/** The coarsest bucket that still gives a readable line over `spanSeconds` (about 60–200 points). */
function bucketFor(spanSeconds: number): UsageBucket {
  if (spanSeconds <= 3 * 3600) return "minute";
  if (spanSeconds <= 30 * 3600) return "ten_minutes";
  if (spanSeconds <= 8 * 86_400) return "hour";
  return "day";
}

const bucketStart = (iso: string, bucket: UsageBucket) => Date.parse(iso.slice(0, BUCKETS[bucket].chars) + BUCKETS[bucket].pad) / 1000;

/**
 * Requests and tokens (input + output + cache) per time bucket and per service account or
 * model, over the filtered requests. Grouped in SQL on the ISO time's prefix (`substr`, the same
 * on SQLite and PostgreSQL, and ordered like the times themselves).
 */
export async function summarizeGatewayUsageOverTime(ctx: AdminContext, query: unknown): Promise<UsageSeriesDto> {
  assertCanRead(ctx);
  const q = parseInput(gatewayUsageSeriesQuery, query);
  const range = await ctx.db
    .selectFrom("gateway_requests as g")
    .select([sql<string | null>`min(g.occurred_at)`.as("first"), sql<string | null>`max(g.occurred_at)`.as("last")])
    .where(matching(ctx, q))
    .executeTakeFirst();
  const from = q.since ?? range?.first;
  const to = q.until ?? range?.last;
  const bucket = q.bucket ?? (from && to ? bucketFor((Date.parse(to) - Date.parse(from)) / 1000) : "hour");
  const empty: UsageSeriesDto = { type: "gateway_usage_series", series_by: q.series_by, bucket, x: [], series: [], totals: { requests: 0, tokens: 0 } };
  if (!range?.first || !from || !to) return empty;

  const { chars, seconds } = BUCKETS[bucket];
  const keyColumn = q.series_by === "service_account" ? sql<string | null>`g.service_account_id` : sql<string | null>`g.model`;
  const bucketExpr = sql<string>`substr(g.occurred_at, 1, ${sql.lit(chars)})`;
  const tokens = sql<number>`coalesce(sum(coalesce(g.input_tokens, 0) + coalesce(g.output_tokens, 0) + coalesce(g.cache_creation_input_tokens, 0) + coalesce(g.cache_read_input_tokens, 0)), 0)`;
  // The newest buckets when the range holds more than MAX_POINTS of them.
  // `until` is exclusive: a range ending at midnight has no point for the day after.
  const last = bucketStart(q.until ? new Date(Date.parse(q.until) - 1).toISOString() : to, bucket);
  const first = Math.max(bucketStart(from, bucket), last - (MAX_POINTS - 1) * seconds);
  if (first > last) return empty;
  const rows = await ctx.db
    .selectFrom("gateway_requests as g")
    .select([bucketExpr.as("bucket"), keyColumn.as("key"), sql<number>`count(*)`.as("requests"), tokens.as("tokens")])
    .where(matching(ctx, q))
    .where("g.occurred_at", ">=", new Date(first * 1000).toISOString())
    .groupBy([bucketExpr, keyColumn])
    .execute();

  const x = Array.from({ length: Math.floor((last - first) / seconds) + 1 }, (_, i) => first + i * seconds);
  const index = new Map(x.map((t, i) => [t, i]));
  const totals = new Map<string | null, number>();
  for (const r of rows) totals.set(r.key, (totals.get(r.key) ?? 0) + Number(r.requests));
  // Largest first; ties by key, requests without one last, so the order is the same on both databases.
  const ranked = [...totals.entries()].sort((a, b) => b[1] - a[1] || (a[0] === null ? 1 : b[0] === null ? -1 : a[0].localeCompare(b[0])));
  const named = ranked.length > MAX_SERIES ? ranked.slice(0, MAX_SERIES - 1) : ranked;
  const OTHER = "\u0000other";
  const names = q.series_by === "service_account" ? await namesFor(ctx, "service_account", named.map(([k]) => k).filter((k): k is string => k !== null)) : new Map<string, string>();
  const none = q.series_by === "service_account" ? "No service account (API keys)" : "No model";
  const series = new Map<string | null, UsageSeriesDto["series"][number]>();
  for (const [key] of named) series.set(key, { key, label: key === null ? none : (names.get(key) ?? key), requests: x.map(() => 0), tokens: x.map(() => 0) });
  if (ranked.length > named.length) series.set(OTHER, { key: null, label: "Other", requests: x.map(() => 0), tokens: x.map(() => 0) });
  let requestTotal = 0;
  let tokenTotal = 0;
  for (const r of rows) {
    const i = index.get(bucketStart(r.bucket, bucket));
    if (i === undefined) continue;
    const s = series.get(r.key) ?? series.get(OTHER)!;
    // PostgreSQL returns counts and sums as strings.
    s.requests[i]! += Number(r.requests);
    s.tokens[i]! += Number(r.tokens);
    requestTotal += Number(r.requests);
    tokenTotal += Number(r.tokens);
  }
  return { ...empty, x, series: [...series.values()], totals: { requests: requestTotal, tokens: tokenTotal } };
}
