/**
 * The authentication history (every token exchange, granted or denied, with its reason)
 * and the audit log (configuration changes and authenticated requests): filtered, newest
 * first, paginated, exportable. Read by the console and the Admin API alike.
 */
import { sql } from "kysely";
import { z } from "zod";
import { notFound } from "../core/errors";
import { readStoredObject } from "../core/history-record";
import { explainReason } from "../insight/explain-reason";
import { auditListQuery, authEventFilters, authEventListQuery, exportFormat, type AuthEventFilters, type ExportFormat } from "../schemas/history";
import { givenFilters } from "../store/given-filters";
import { paginate, type PageResult } from "../store/paginate";
import type { Database } from "../store/schema";
import { assertCanRead, type AdminContext } from "./context";
import { parseInput } from "./parse";


export interface AuthEventDto {
  id: string;
  type: "federation_auth_event";
  occurred_at: string;
  request_id: string;
  outcome: "granted" | "denied";
  reason: string | null;
  /** Plain-words title of the reason, for people. */
  reason_title: string | null;
  detail: string | null;
  federation_rule_id: string | null;
  /** Names at the time of reading (null once the resource is gone), so people need not decode IDs. */
  federation_rule_name: string | null;
  issuer_id: string | null;
  issuer_name: string | null;
  service_account_id: string | null;
  service_account_name: string | null;
  workspace_id: string | null;
  workspace_name: string | null;
  subject: string | null;
  /**
   * The presented token's claims (never the token itself), each value capped; `_truncated`
   * lists the paths of what was cut. Null when none were recorded or the row is unreadable.
   */
  claims: Record<string, unknown> | null;
  /** The stored claims are damaged (cut by an older version) and cannot be shown; the rest of the entry stands. */
  claims_unreadable: boolean;
  /** Whether the claims come from a token whose signature verified. */
  claims_verified: boolean;
  client_ip: string | null;
}

type AuthEventRow = Database["auth_events"] & {
  federation_rule_name: string | null;
  issuer_name: string | null;
  service_account_name: string | null;
  workspace_name: string | null;
};

function authEventDto(r: AuthEventRow): AuthEventDto {
  const claims = readStoredObject(r.claims);
  return {
    id: r.id,
    type: "federation_auth_event",
    occurred_at: r.occurred_at,
    request_id: r.request_id,
    outcome: r.outcome,
    reason: r.reason,
    reason_title: r.reason ? explainReason(r.reason).title : null,
    detail: r.detail,
    federation_rule_id: r.federation_rule_id,
    federation_rule_name: r.federation_rule_name,
    issuer_id: r.issuer_id,
    issuer_name: r.issuer_name,
    service_account_id: r.service_account_id,
    service_account_name: r.service_account_name,
    workspace_id: r.workspace_id,
    workspace_name: r.workspace_name,
    subject: r.subject,
    claims: claims.value,
    claims_unreadable: claims.unreadable,
    claims_verified: r.claims_verified === 1,
    client_ip: r.client_ip,
  };
}

/** LIKE pattern for a substring, with the user's wildcards escaped. */
const containsPattern = (q: string) => `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The organization's events with the names of what they refer to. */
function authEventRows(ctx: AdminContext) {
  return ctx.db
    .selectFrom("auth_events as e")
    .leftJoin("federation_rules as r", "r.id", "e.federation_rule_id")
    .leftJoin("federation_issuers as i", "i.id", "e.issuer_id")
    .leftJoin("service_accounts as s", "s.id", "e.service_account_id")
    .leftJoin("workspaces as w", "w.id", "e.workspace_id")
    .selectAll("e")
    .select(["r.name as federation_rule_name", "i.name as issuer_name", "s.name as service_account_name", "w.name as workspace_name"])
    .where("e.organization_id", "=", ctx.principal.organizationId);
}

function authEventQuery(ctx: AdminContext, f: AuthEventFilters) {
  let qb = authEventRows(ctx).where((eb) =>
    eb.and(
      givenFilters({
        "e.outcome": f.outcome,
        "e.reason": f.reason,
        "e.issuer_id": f.issuer_id,
        "e.federation_rule_id": f.federation_rule_id,
        "e.service_account_id": f.service_account_id,
        "e.workspace_id": f.workspace_id,
        "e.request_id": f.request_id,
      }),
    ),
  );
  if (f.since) qb = qb.where("e.occurred_at", ">=", f.since);
  if (f.until) qb = qb.where("e.occurred_at", "<", f.until);
  // Explicit ESCAPE: SQLite has no default escape character for LIKE.
  if (f.q) qb = qb.where(sql<boolean>`lower(${sql.ref("e.subject")}) like ${containsPattern(f.q)} escape '\\'`);
  return qb;
}

export async function listAuthEvents(ctx: AdminContext, query: unknown): Promise<PageResult<AuthEventDto>> {
  assertCanRead(ctx);
  const q = parseInput(authEventListQuery, query);
  const page = await paginate(authEventQuery(ctx, q), q, "e.id", (r) => r.id);
  return { ...page, data: page.data.map(authEventDto) };
}

export async function getAuthEvent(ctx: AdminContext, id: string): Promise<AuthEventDto> {
  assertCanRead(ctx);
  const row = await authEventRows(ctx).where("e.id", "=", id).executeTakeFirst();
  if (!row) throw notFound("authentication event", id);
  return authEventDto(row);
}

/**
 * Every matching event, newest first, in batches of 500 by keyset (for NDJSON and CSV
 * export). No cap: a download that silently stopped would pass for the whole history. The
 * stream is paced by the client, and each batch is its own short query.
 */
export async function* exportAuthEvents(ctx: AdminContext, query: unknown): AsyncGenerator<AuthEventDto> {
  assertCanRead(ctx);
  const f = parseInput(authEventFilters, query);
  let after: string | undefined;
  for (;;) {
    const page = await paginate(authEventQuery(ctx, f), { limit: 500, after_id: after }, "e.id", (r) => r.id);
    for (const row of page.data) yield authEventDto(row);
    if (!page.has_more || !page.last_id) return;
    after = page.last_id;
  }
}

const CSV_COLUMNS = [
  "occurred_at",
  "request_id",
  "outcome",
  "reason",
  "reason_title",
  "subject",
  "federation_rule_id",
  "federation_rule_name",
  "issuer_id",
  "issuer_name",
  "service_account_id",
  "service_account_name",
  "workspace_id",
  "workspace_name",
  "client_ip",
  "detail",
] as const;

/**
 * What a spreadsheet may read as the start of a formula: =, +, -, @ (also full-width, and
 * behind leading whitespace), or a leading tab, CR, LF or NUL.
 * @see OWASP "CSV Injection"; ASVS 5 requirement 1.2.10
 */
const FORMULA_START = /^(?:[\t\r\n\0]|\s*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20])/;

/**
 * One CSV field, always quoted (RFC 4180), so a separator or line break inside a value never
 * starts a new cell, whatever separator the spreadsheet's locale uses. A value a spreadsheet
 * would run as a formula is prefixed with ' and so shown as text.
 */
export function csvField(value: unknown): string {
  let s = value == null ? "" : String(value);
  if (FORMULA_START.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

export const csvHeader = () => `${CSV_COLUMNS.join(",")}\r\n`;
export const csvRow = (e: AuthEventDto) => `${CSV_COLUMNS.map((c) => csvField(e[c])).join(",")}\r\n`;

const EXPORT_TYPES: Record<ExportFormat, string> = { ndjson: "application/x-ndjson; charset=utf-8", csv: "text/csv; charset=utf-8" };

/** Rows per chunk of the export stream. */
const EXPORT_CHUNK = 200;

export interface AuthEventExport {
  format: ExportFormat;
  contentType: string;
  filename: string;
  body: ReadableStream<Uint8Array>;
}

/**
 * The filtered history as a download, for the Admin API and the console alike. Resolves only
 * once the first batch is read, so an authorisation or filter error becomes an error reply
 * rather than a broken 200; the rest streams as the client reads it.
 */
export async function exportAuthEventsAs(ctx: AdminContext, query: Record<string, unknown>): Promise<AuthEventExport> {
  const { format: rawFormat, ...filters } = query;
  const { format } = parseInput(z.object({ format: exportFormat }), { format: rawFormat });
  const events = exportAuthEvents(ctx, filters);
  let pending: IteratorResult<AuthEventDto> | undefined = await events.next();
  const encoder = new TextEncoder();
  const line = format === "csv" ? csvRow : (e: AuthEventDto) => `${JSON.stringify(e)}\n`;
  let text = format === "csv" ? csvHeader() : "";
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (let n = 0; n < EXPORT_CHUNK; n++) {
        const item = pending ?? (await events.next());
        pending = undefined;
        if (item.done) {
          if (text) controller.enqueue(encoder.encode(text));
          controller.close();
          return;
        }
        text += line(item.value);
      }
      controller.enqueue(encoder.encode(text));
      text = "";
    },
    async cancel() {
      await events.return(undefined);
    },
  });
  return { format, contentType: EXPORT_TYPES[format], filename: `auth-events.${format}`, body };
}

// ---- audit log -----------------------------------------------------------------------------

/** An audit-log entry as it leaves the server: its row's columns but the organization, the detail parsed. */
export type AuditEventDto = Omit<Database["audit_events"], "organization_id" | "actor_type" | "detail"> & {
  type: "audit_event";
  actor_type: string;
  detail: Record<string, unknown> | null;
};

/** An audit entry's detail; a damaged one is shown as such rather than failing the log. */
function auditDetail(text: string | null): Record<string, unknown> | null {
  const detail = readStoredObject(text);
  return detail.unreadable ? { unreadable: "the recorded detail is damaged" } : detail.value;
}

export async function listAuditEvents(ctx: AdminContext, query: unknown): Promise<PageResult<AuditEventDto>> {
  assertCanRead(ctx);
  const q = parseInput(auditListQuery, query);
  let qb = ctx.db
    .selectFrom("audit_events")
    .selectAll()
    .where("organization_id", "=", ctx.principal.organizationId)
    .where((eb) => eb.and(givenFilters({ action: q.action, actor_id: q.actor_id, target_id: q.target_id, outcome: q.outcome })));
  if (q.since) qb = qb.where("occurred_at", ">=", q.since);
  if (q.until) qb = qb.where("occurred_at", "<", q.until);
  if (q.changes_only) qb = qb.where("action", "!=", "api.request");
  const page = await paginate(qb, q, "id", (r) => r.id);
  return {
    ...page,
    data: page.data.map((r) => ({
      id: r.id,
      type: "audit_event" as const,
      occurred_at: r.occurred_at,
      request_id: r.request_id,
      actor_type: r.actor_type,
      actor_id: r.actor_id,
      actor_label: r.actor_label,
      action: r.action,
      target_type: r.target_type,
      target_id: r.target_id,
      outcome: r.outcome,
      status_code: r.status_code,
      detail: auditDetail(r.detail),
    })),
  };
}

/** Exchanges over time and where they went, for the history's chart and breakdowns. */
export interface AuthEventSummaryDto {
  /** Bucket length in seconds; `x` holds each bucket's start (Unix seconds), empty ones included. */
  bucketSeconds: number;
  x: number[];
  granted: number[];
  denied: number[];
  totals: { granted: number; denied: number };
  /** Denials by reason, most first. */
  byReason: Array<{ reason: string; title: string; count: number }>;
  /** Exchanges by rule, most first (null: the request named no rule that exists). */
  byRule: Array<{ ruleId: string | null; name: string | null; granted: number; denied: number }>;
}

/** ISO prefixes that name a bucket, coarsest last: [characters, seconds, padding back to a full time]. */
const SUMMARY_BUCKETS: ReadonlyArray<readonly [number, number, string]> = [
  [16, 60, ":00.000Z"],
  [15, 600, "0:00.000Z"],
  [13, 3600, ":00:00.000Z"],
  [10, 86_400, "T00:00:00.000Z"],
];
/** At most this many points: a line a person can read over any range. */
const SUMMARY_POINTS = 200;
const BREAKDOWN_ROWS = 10;

/**
 * Granted and denied exchanges per time bucket, denials by reason and exchanges by rule, over
 * the same filters as the list. Aggregated in SQL (grouped on the ISO time's prefix, `substr`,
 * alike on SQLite and PostgreSQL); the bucket is the finest that keeps the range readable.
 */
export async function summarizeAuthEvents(ctx: AdminContext, query: unknown): Promise<AuthEventSummaryDto> {
  assertCanRead(ctx);
  const f = parseInput(authEventFilters, query);
  const filtered = () => authEventQuery(ctx, f).clearSelect();
  const range = await filtered().select([sql<string | null>`min(e.occurred_at)`.as("first"), sql<string | null>`max(e.occurred_at)`.as("last")]).executeTakeFirst();
  const empty: AuthEventSummaryDto = { bucketSeconds: 3600, x: [], granted: [], denied: [], totals: { granted: 0, denied: 0 }, byReason: [], byRule: [] };
  if (!range?.first || !range.last) return empty;

  const from = f.since ?? range.first;
  const to = f.until ? new Date(Date.parse(f.until) - 1).toISOString() : range.last;
  const span = (Date.parse(to) - Date.parse(from)) / 1000;
  const [chars, seconds, pad] = SUMMARY_BUCKETS.find(([, s]) => span / s <= SUMMARY_POINTS) ?? SUMMARY_BUCKETS.at(-1)!;
  const startOf = (iso: string) => Date.parse(iso.slice(0, chars) + pad) / 1000;
  const last = startOf(to);
  const first = Math.max(startOf(from), last - (SUMMARY_POINTS - 1) * seconds);
  const bucket = sql<string>`substr(e.occurred_at, 1, ${sql.lit(chars)})`;

  const [overTime, reasons, rules] = await Promise.all([
    filtered()
      .select([bucket.as("bucket"), "e.outcome", sql<number>`count(*)`.as("n")])
      .where("e.occurred_at", ">=", new Date(first * 1000).toISOString())
      .groupBy([bucket, "e.outcome"])
      .execute(),
    filtered()
      .select(["e.reason", sql<number>`count(*)`.as("n")])
      .where("e.outcome", "=", "denied")
      .groupBy("e.reason")
      .orderBy(sql`count(*)`, "desc")
      .orderBy("e.reason")
      .limit(BREAKDOWN_ROWS)
      .execute(),
    filtered()
      .select(["e.federation_rule_id", sql<string | null>`max(r.name)`.as("name"), sql<number>`sum(case when e.outcome = 'granted' then 1 else 0 end)`.as("granted"), sql<number>`sum(case when e.outcome = 'denied' then 1 else 0 end)`.as("denied")])
      .groupBy("e.federation_rule_id")
      .orderBy(sql`count(*)`, "desc")
      .orderBy("e.federation_rule_id")
      .limit(BREAKDOWN_ROWS)
      .execute(),
  ]);

  const x = Array.from({ length: Math.floor((last - first) / seconds) + 1 }, (_, i) => first + i * seconds);
  const index = new Map(x.map((t, i) => [t, i]));
  const granted = x.map(() => 0);
  const denied = x.map(() => 0);
  for (const r of overTime) {
    const i = index.get(startOf(r.bucket));
    // PostgreSQL returns counts as strings.
    if (i !== undefined) (r.outcome === "granted" ? granted : denied)[i]! += Number(r.n);
  }
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  return {
    bucketSeconds: seconds,
    x,
    granted,
    denied,
    totals: { granted: sum(granted), denied: sum(denied) },
    byReason: reasons.filter((r) => r.reason !== null).map((r) => ({ reason: r.reason!, title: explainReason(r.reason!).title, count: Number(r.n) })),
    byRule: rules.map((r) => ({ ruleId: r.federation_rule_id, name: r.name, granted: Number(r.granted), denied: Number(r.denied) })),
  };
}
