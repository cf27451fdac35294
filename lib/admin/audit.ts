/** Records configuration changes and authenticated requests in the audit log. */
import type { Kysely, Transaction } from "kysely";
import { newId } from "../federation/ids";
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
  db: Kysely<Database> | Transaction<Database>,
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
