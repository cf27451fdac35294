/**
 * API keys (workspace-scoped, `sk-ant-api03-`) and admin keys (`sk-ant-admin01-`, the
 * powers of a console owner — a self-hosted addition, since the hosted platform
 * bootstraps from its console). The secret is returned once, on creation.
 */
import type { Kysely } from "kysely";
import { z } from "zod";
import { forbidden, invalidRequest, notFound } from "../core/errors";
import { newId } from "../core/ids";
import { KEY_EXPIRY_WARNING_MS } from "../core/key-expiry";
import { hashSecret, mintSecret, partialHint } from "../core/secrets";
import { listQuery } from "../schemas/common";
import { adminKeyCreate, apiKeyCreate, apiKeyUpdate } from "../schemas/workspaces";
import { mapPage, paginate, type PageResult } from "../store/paginate";
import type { Database } from "../store/schema";
import { auditChange, changedFields, recordAudit } from "./audit";
import { assertCanRead, assertCanWrite, type AdminContext, type Principal } from "./context";
import { assertMayCreateAdminKey, assertMayIssueKeyFor } from "./escalation";
import { apiKeyDto, type ApiKeyDto } from "./dto";
import { parseInput } from "./parse";
import { requireLiveWorkspace } from "./workspaces";

export interface CreatedKey {
  api_key: ApiKeyDto;
  /** The secret, shown once. */
  key: string;
}

const keyListQuery = listQuery.extend({
  status: z.enum(["active", "inactive", "archived", "expired"]).optional(),
  workspace_id: z.string().max(128).optional(),
  kind: z.enum(["api", "admin"]).optional(),
  created_by_user_id: z.string().max(128).optional(),
});

export async function listApiKeys(ctx: AdminContext, query: unknown): Promise<PageResult<ApiKeyDto>> {
  assertCanRead(ctx);
  const q = parseInput(keyListQuery, query);
  let qb = ctx.db.selectFrom("api_keys").selectAll().where("organization_id", "=", ctx.principal.organizationId);
  qb = qb.where("kind", "=", q.kind ?? "api");
  // An active key past its expiry is listed as expired (apiKeyDto), so the filters agree with it.
  const now = new Date().toISOString();
  if (q.status && q.status !== "expired") qb = qb.where("status", "=", q.status);
  if (q.status === "active") qb = qb.where((eb) => eb.or([eb("expires_at", "is", null), eb("expires_at", ">", now)]));
  if (q.status === "expired") qb = qb.where("status", "=", "active").where("expires_at", "<=", now);
  if (q.workspace_id) qb = qb.where("workspace_id", "=", q.workspace_id);
  if (q.created_by_user_id) qb = qb.where("created_by_id", "=", q.created_by_user_id);
  return mapPage(await paginate(qb, q, "id", (r) => r.id), (r) => apiKeyDto(r));
}

async function getRow(ctx: AdminContext, id: string) {
  const row = await ctx.db.selectFrom("api_keys").selectAll().where("organization_id", "=", ctx.principal.organizationId).where("id", "=", id).executeTakeFirst();
  if (!row) throw notFound("API key", id);
  return row;
}

export async function getApiKey(ctx: AdminContext, id: string): Promise<ApiKeyDto> {
  assertCanRead(ctx);
  return apiKeyDto(await getRow(ctx, id));
}

export async function createApiKey(ctx: AdminContext, input: unknown): Promise<CreatedKey> {
  assertCanWrite(ctx);
  const body = parseInput(apiKeyCreate, input);
  if (body.expires_at !== null && Date.parse(body.expires_at) <= Date.now()) throw invalidRequest("expires_at", "must be in the future");
  const ws = await requireLiveWorkspace(ctx.db, ctx.principal.organizationId, body.workspace_id ?? "default");
  if (body.service_account_id) {
    const sa = await ctx.db.selectFrom("service_accounts").select(["id", "archived_at", "organization_role"]).where("organization_id", "=", ctx.principal.organizationId).where("id", "=", body.service_account_id).executeTakeFirst();
    if (!sa || sa.archived_at) throw invalidRequest("service_account_id", `service account ${body.service_account_id} does not exist or is archived`);
    assertMayIssueKeyFor(ctx.principal, sa);
  }
  const secret = mintSecret("api");
  const row = {
    id: newId("apiKey"),
    organization_id: ctx.principal.organizationId,
    name: body.name,
    kind: "api" as const,
    key_hash: hashSecret(secret),
    partial_key_hint: partialHint(secret),
    workspace_id: ws.id,
    service_account_id: body.service_account_id ?? null,
    status: "active" as const,
    created_by_type: ctx.principal.kind === "user" ? ("user" as const) : ctx.principal.kind === "access_token" ? ("service_account" as const) : ("system" as const),
    created_by_id: ctx.principal.kind === "access_token" ? ctx.principal.serviceAccountId : "id" in ctx.principal ? ctx.principal.id : null,
    created_at: new Date().toISOString(),
    expires_at: body.expires_at,
    last_used_at: null,
  };
  await ctx.db.transaction().execute(async (trx) => {
    await trx.insertInto("api_keys").values(row).execute();
    await auditChange(trx, ctx, { action: "api_key.created", targetType: "api_key", targetId: row.id, detail: { name: row.name, workspace_id: ws.id, expires_at: row.expires_at } });
  });
  return { api_key: apiKeyDto(row), key: secret };
}

export async function updateApiKey(ctx: AdminContext, id: string, input: unknown): Promise<ApiKeyDto> {
  assertCanWrite(ctx);
  const body = parseInput(apiKeyUpdate, input);
  const row = await getRow(ctx, id);
  if (row.kind === "admin" && !(ctx.principal.kind === "admin_key" || (ctx.principal.kind === "user" && ctx.principal.role === "owner"))) {
    throw forbidden("only an owner or an admin key can change admin keys");
  }
  if (row.status === "archived") throw invalidRequest("status", "the key is archived; archived keys cannot be changed");
  if (body.status === "active" && row.service_account_id) {
    assertMayIssueKeyFor(ctx.principal, await ctx.db.selectFrom("service_accounts").select(["id", "organization_role"]).where("id", "=", row.service_account_id).executeTakeFirst());
  }
  const next = { ...row, name: body.name ?? row.name, status: body.status ?? row.status };
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable("api_keys").set({ name: next.name, status: next.status }).where("id", "=", id).execute();
    await auditChange(trx, ctx, { action: "api_key.updated", targetType: "api_key", targetId: id, detail: { changed: changedFields(row, next, ["name", "status"]) } });
  });
  return apiKeyDto(next);
}

/** The organization's active API keys that expire within the console's warning window, soonest first. */
export async function listExpiringApiKeys(ctx: AdminContext, now = Date.now()): Promise<ApiKeyDto[]> {
  assertCanRead(ctx);
  const rows = await ctx.db
    .selectFrom("api_keys")
    .selectAll()
    .where("organization_id", "=", ctx.principal.organizationId)
    .where("kind", "=", "api")
    .where("status", "=", "active")
    .where("expires_at", ">", new Date(now).toISOString())
    .where("expires_at", "<=", new Date(now + KEY_EXPIRY_WARNING_MS).toISOString())
    .orderBy("expires_at")
    .limit(100)
    .execute();
  return rows.map((r) => apiKeyDto(r, now));
}

/**
 * Create an admin key. Used by the `wif admin-keys create` command (no principal yet:
 * bootstrap) and by console owners.
 */
export async function createAdminKey(
  db: Kysely<Database>,
  organizationId: string,
  name: string,
  createdBy: { type: "user"; id: string; principal: Principal } | { type: "system" },
  requestId: string | null = null,
): Promise<CreatedKey> {
  assertMayCreateAdminKey(createdBy.type === "user" ? createdBy.principal : null);
  const parsedName = parseInput(adminKeyCreate, { name }).name;
  const secret = mintSecret("admin");
  const row = {
    id: newId("apiKey"),
    organization_id: organizationId,
    name: parsedName,
    kind: "admin" as const,
    key_hash: hashSecret(secret),
    partial_key_hint: partialHint(secret),
    workspace_id: null,
    service_account_id: null,
    status: "active" as const,
    created_by_type: createdBy.type,
    created_by_id: createdBy.type === "user" ? createdBy.id : null,
    created_at: new Date().toISOString(),
    expires_at: null,
    last_used_at: null,
  };
  await db.transaction().execute(async (trx) => {
    await trx.insertInto("api_keys").values(row).execute();
    await recordAudit(
      trx,
      createdBy.type === "user" ? createdBy.principal : { kind: "system", organizationId, label: "wif admin-keys create" },
      organizationId,
      requestId,
      { action: "admin_key.created", targetType: "api_key", targetId: row.id, detail: { name: row.name } },
    );
  });
  return { api_key: apiKeyDto(row), key: secret };
}
