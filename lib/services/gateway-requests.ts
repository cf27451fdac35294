/**
 * The gateway's request log, for people and scripts: one row per request (who, which
 * endpoint, how it went, tokens, timings), filtered and paginated newest first, and usage
 * totals grouped by service account, API key, workspace, model, path family or day.
 * @see docs/gateway.md#audit
 */
import { sql, type ExpressionBuilder } from "kysely";
import type { z } from "zod";
import { gatewayRequestFilters, gatewayRequestListQuery, gatewayUsageQuery } from "../schemas/gateway";
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
  const c = [eb("g.organization_id", "=", ctx.principal.organizationId)];
  if (f.service_account_id) c.push(eb("g.service_account_id", "=", f.service_account_id));
  if (f.api_key_id) c.push(eb("g.api_key_id", "=", f.api_key_id));
  if (f.workspace_id) c.push(eb("g.workspace_id", "=", f.workspace_id));
  if (f.federation_rule_id) c.push(eb("g.federation_rule_id", "=", f.federation_rule_id));
  if (f.outcome) c.push(eb("g.outcome", "=", f.outcome));
  if (f.status) c.push(eb("g.status", "=", f.status));
  if (f.path_family) c.push(eb("g.path_family", "=", f.path_family));
  if (f.model) c.push(eb("g.model", "=", f.model));
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
