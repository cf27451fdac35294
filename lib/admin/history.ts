/**
 * The authentication history (every token exchange, granted or denied, with its reason)
 * and the audit log (configuration changes and authenticated requests): filtered, newest
 * first, paginated, exportable. Read by the console and the Admin API alike.
 */
import { sql } from "kysely";
import { z } from "zod";
import { notFound } from "../errors";
import { explainReason } from "../federation/explain-reason";
import { listQuery } from "../schemas/common";
import { paginate, type PageResult } from "../store/paginate";
import type { Database } from "../store/schema";
import { assertCanRead, type AdminContext } from "./context";
import { parseInput } from "./parse";

const isoTime = z.string().refine((v) => !Number.isNaN(Date.parse(v)), "must be an ISO-8601 time such as 2026-11-24T10:00:00Z").transform((v) => new Date(v).toISOString());

export const authEventFilters = z.object({
  outcome: z.enum(["granted", "denied"], { error: "must be granted or denied" }).optional(),
  reason: z.string().max(64).optional(),
  issuer_id: z.string().max(128).optional(),
  federation_rule_id: z.string().max(128).optional(),
  service_account_id: z.string().max(128).optional(),
  workspace_id: z.string().max(128).optional(),
  request_id: z.string().max(128).optional(),
  since: isoTime.optional(),
  until: isoTime.optional(),
  /** Free text on the subject (substring, case-insensitive). */
  q: z.string().max(256).optional(),
});
export type AuthEventFilters = z.infer<typeof authEventFilters>;

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
  issuer_id: string | null;
  service_account_id: string | null;
  workspace_id: string | null;
  subject: string | null;
  /** The presented token's claims (never the token itself). */
  claims: Record<string, unknown> | null;
  /** Whether the claims come from a token whose signature verified. */
  claims_verified: boolean;
  client_ip: string | null;
}

function authEventDto(r: Database["auth_events"]): AuthEventDto {
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
    issuer_id: r.issuer_id,
    service_account_id: r.service_account_id,
    workspace_id: r.workspace_id,
    subject: r.subject,
    claims: r.claims ? (JSON.parse(r.claims) as Record<string, unknown>) : null,
    claims_verified: r.claims_verified === 1,
    client_ip: r.client_ip,
  };
}

/** LIKE pattern for a substring, with the user's wildcards escaped. */
const containsPattern = (q: string) => `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function authEventQuery(ctx: AdminContext, f: AuthEventFilters) {
  let qb = ctx.db.selectFrom("auth_events").selectAll().where("organization_id", "=", ctx.principal.organizationId);
  if (f.outcome) qb = qb.where("outcome", "=", f.outcome);
  if (f.reason) qb = qb.where("reason", "=", f.reason);
  if (f.issuer_id) qb = qb.where("issuer_id", "=", f.issuer_id);
  if (f.federation_rule_id) qb = qb.where("federation_rule_id", "=", f.federation_rule_id);
  if (f.service_account_id) qb = qb.where("service_account_id", "=", f.service_account_id);
  if (f.workspace_id) qb = qb.where("workspace_id", "=", f.workspace_id);
  if (f.request_id) qb = qb.where("request_id", "=", f.request_id);
  if (f.since) qb = qb.where("occurred_at", ">=", f.since);
  if (f.until) qb = qb.where("occurred_at", "<", f.until);
  // Explicit ESCAPE: SQLite has no default escape character for LIKE.
  if (f.q) qb = qb.where(sql<boolean>`lower(subject) like ${containsPattern(f.q)} escape '\\'`);
  return qb;
}

export async function listAuthEvents(ctx: AdminContext, query: unknown): Promise<PageResult<AuthEventDto>> {
  assertCanRead(ctx);
  const q = parseInput(listQuery.extend(authEventFilters.shape), query);
  const page = await paginate(authEventQuery(ctx, q), q, "id", (r) => r.id);
  return { ...page, data: page.data.map(authEventDto) };
}

export async function getAuthEvent(ctx: AdminContext, id: string): Promise<AuthEventDto> {
  assertCanRead(ctx);
  const row = await ctx.db.selectFrom("auth_events").selectAll().where("organization_id", "=", ctx.principal.organizationId).where("id", "=", id).executeTakeFirst();
  if (!row) throw notFound("authentication event", id);
  return authEventDto(row);
}

/** Export cap: enough for any investigation; beyond it, narrow the time range. */
export const EXPORT_LIMIT = 50_000;

/** Every matching event, newest first, in batches (for NDJSON and CSV export). */
export async function* exportAuthEvents(ctx: AdminContext, query: unknown): AsyncGenerator<AuthEventDto> {
  assertCanRead(ctx);
  const f = parseInput(authEventFilters, query);
  let after: string | undefined;
  let sent = 0;
  while (sent < EXPORT_LIMIT) {
    const page = await paginate(authEventQuery(ctx, f), { limit: 500, after_id: after }, "id", (r) => r.id);
    for (const row of page.data) yield authEventDto(row);
    sent += page.data.length;
    if (!page.has_more || !page.last_id) return;
    after = page.last_id;
  }
}

const CSV_COLUMNS = ["occurred_at", "request_id", "outcome", "reason", "reason_title", "subject", "federation_rule_id", "issuer_id", "service_account_id", "workspace_id", "client_ip", "detail"] as const;

/** One CSV field, RFC 4180-quoted; a leading =, +, - or @ is prefixed so spreadsheets do not run it as a formula. */
export function csvField(value: unknown): string {
  let s = value == null ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const csvHeader = () => `${CSV_COLUMNS.join(",")}\r\n`;
export const csvRow = (e: AuthEventDto) => `${CSV_COLUMNS.map((c) => csvField(e[c])).join(",")}\r\n`;

// ---- audit log -----------------------------------------------------------------------------

export const auditFilters = z.object({
  action: z.string().max(128).optional(),
  actor_id: z.string().max(128).optional(),
  target_id: z.string().max(128).optional(),
  outcome: z.enum(["success", "failure"]).optional(),
  since: isoTime.optional(),
  until: isoTime.optional(),
  /** Configuration changes only (hide the per-request entries). */
  changes_only: z.enum(["true", "false"]).transform((v) => v === "true").optional(),
});

export interface AuditEventDto {
  id: string;
  type: "audit_event";
  occurred_at: string;
  request_id: string | null;
  actor_type: string;
  actor_id: string | null;
  actor_label: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  outcome: "success" | "failure";
  status_code: number | null;
  detail: Record<string, unknown> | null;
}

export async function listAuditEvents(ctx: AdminContext, query: unknown): Promise<PageResult<AuditEventDto>> {
  assertCanRead(ctx);
  const q = parseInput(listQuery.extend(auditFilters.shape), query);
  let qb = ctx.db.selectFrom("audit_events").selectAll().where("organization_id", "=", ctx.principal.organizationId);
  if (q.action) qb = qb.where("action", "=", q.action);
  if (q.actor_id) qb = qb.where("actor_id", "=", q.actor_id);
  if (q.target_id) qb = qb.where("target_id", "=", q.target_id);
  if (q.outcome) qb = qb.where("outcome", "=", q.outcome);
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
      detail: r.detail ? (JSON.parse(r.detail) as Record<string, unknown>) : null,
    })),
  };
}
