/** Records configuration changes and authenticated requests in the audit log. */
import type { Transaction } from "kysely";
import { newId } from "../core/ids";
import type { Db } from "../store/db";
import type { Database } from "../store/schema";
import type { AdminContext, Principal } from "./context";
import { actorId } from "./context";

export interface AuditEntry {
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  outcome?: "success" | "failure";
  statusCode?: number | null;
  detail?: Record<string, unknown> | null;
}

const ACTOR_TYPE: Record<Principal["kind"], Database["audit_events"]["actor_type"]> = {
  user: "user",
  admin_key: "admin_key",
  api_key: "api_key",
  access_token: "service_account",
  system: "system",
};

export async function recordAudit(
  db: Db,
  principal: Principal | null,
  organizationId: string,
  requestId: string | null,
  entry: AuditEntry,
): Promise<void> {
  await db
    .insertInto("audit_events")
    .values({
      id: newId("auditEvent"),
      organization_id: organizationId,
      occurred_at: new Date().toISOString(),
      request_id: requestId,
      actor_type: principal ? ACTOR_TYPE[principal.kind] : "anonymous",
      actor_id: principal ? actorId(principal) : null,
      actor_label: principal?.label ?? null,
      action: entry.action,
      target_type: entry.targetType ?? null,
      target_id: entry.targetId ?? null,
      outcome: entry.outcome ?? "success",
      status_code: entry.statusCode ?? null,
      detail: entry.detail ? JSON.stringify(entry.detail) : null,
    })
    .execute();
}

/** Audit a configuration change made through `ctx`, inside the same transaction as the change. */
export function auditChange(trx: Transaction<Database>, ctx: AdminContext, entry: AuditEntry): Promise<void> {
  return recordAudit(trx, ctx.principal, ctx.principal.organizationId, ctx.requestId, entry);
}

/** One field's change, for an audit entry's `changed`. */
export interface FieldChange {
  from: unknown;
  to: unknown;
}

/**
 * The fields of `keys` whose value differs between `before` and `after`, with both values —
 * an update's audit entry says what changed, not which fields the request happened to send
 * (a console form sends all of them). JSON text columns (`jsonKeys`) are compared and kept
 * parsed.
 */
export function changedFields<T extends object>(before: T, after: T, keys: ReadonlyArray<keyof T & string>, jsonKeys: ReadonlyArray<keyof T & string> = []): Record<string, FieldChange> {
  const changed: Record<string, FieldChange> = {};
  const empty = (v: unknown) => v === null || v === undefined || v === "";
  for (const key of keys) {
    // An absent description stored as null or as "" is the same nothing.
    if (before[key] === after[key] || (empty(before[key]) && empty(after[key]))) continue;
    const parse = (v: unknown) => (jsonKeys.includes(key) && typeof v === "string" ? (JSON.parse(v) as unknown) : v);
    const from = parse(before[key]);
    const to = parse(after[key]);
    if (JSON.stringify(from) !== JSON.stringify(to)) changed[key] = { from, to };
  }
  return changed;
}
