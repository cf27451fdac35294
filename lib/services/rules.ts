/** Federation rules: which outside identities may act as which service account. */
import type { Transaction } from "kysely";
import { forbidden, invalidRequest } from "../core/errors";
import { newId } from "../core/ids";
import { ORG_ADMIN_SCOPE, roleAllowsScopes, type OrganizationRole } from "../core/scopes";
import { pinsTenant, tenantPinMessage } from "../core/tenant-pin";
import type { RuleMatch } from "../core/types";
import { listQuery } from "../schemas/common";
import { ruleCreate, ruleUpdate, ruleWorkspaceAdd } from "../schemas/rules";
import type { PageResult } from "../store/paginate";
import type { Database } from "../store/schema";
import { auditChange, changedFields } from "./audit";
import { actorId, assertCanRead, assertCanWrite, canManageScope, type AdminContext } from "./context";
import { ruleDto, type RuleDto, type RuleWorkspaceDto } from "./dto";
import { parseInput } from "./parse";
import { inTransaction } from "./transaction";
import { createdStamp, issuerRows, ruleRows, serviceAccountRows, updatedStamp, type Db } from "./resource-table";
import { findWorkspace, pageOf, requireLiveWorkspace } from "./workspaces";
import { z } from "zod";
type RuleRow = Database["federation_rules"];

/** Rows to DTOs with the issuer and service-account names and the workspace list, in three queries. */
async function toDtos(db: Db, rows: RuleRow[]): Promise<RuleDto[]> {
  if (rows.length === 0) return [];
  const [issuers, accounts, workspaces] = await Promise.all([
    db.selectFrom("federation_issuers").select(["id", "name"]).where("id", "in", [...new Set(rows.map((r) => r.issuer_id))]).execute(),
    db.selectFrom("service_accounts").select(["id", "name"]).where("id", "in", [...new Set(rows.map((r) => r.service_account_id))]).execute(),
    db
      .selectFrom("federation_rule_workspaces")
      .select(["federation_rule_id", "workspace_id"])
      .where("federation_rule_id", "in", rows.map((r) => r.id))
      .orderBy("created_at")
      .execute(),
  ]);
  const issuerName = new Map(issuers.map((i) => [i.id, i.name]));
  const accountName = new Map(accounts.map((a) => [a.id, a.name]));
  return rows.map((r) =>
    ruleDto(r, {
      issuerName: issuerName.get(r.issuer_id) ?? null,
      serviceAccountName: accountName.get(r.service_account_id) ?? null,
      workspaceIds: workspaces.filter((w) => w.federation_rule_id === r.id).map((w) => w.workspace_id),
    }),
  );
}

const toDto = async (db: Db, row: RuleRow) => (await toDtos(db, [row]))[0]!;

const ruleListQuery = listQuery.extend({ issuer_id: z.string().max(128).optional() });

export async function listRules(ctx: AdminContext, query: unknown): Promise<PageResult<RuleDto>> {
  assertCanRead(ctx);
  const q = parseInput(ruleListQuery, query);
  const page = await ruleRows.page(ctx, q, (qb) => (q.issuer_id ? qb.where("issuer_id", "=", q.issuer_id) : qb));
  return { ...page, data: await toDtos(ctx.db, page.data) };
}

export async function getRule(ctx: AdminContext, id: string): Promise<RuleDto> {
  assertCanRead(ctx);
  return toDto(ctx.db, await ruleRows.get(ctx.db, ctx, id));
}

const requireTarget = (db: Db, ctx: AdminContext, id: string) => serviceAccountRows.requireLive(db, ctx, id, "target.service_account_id");

/** The checks a rule's scope, target and match must pass on every write. */
function assertRulePolicy(ctx: AdminContext, args: { scope: string; role: OrganizationRole; issuerUrl: string; match: RuleMatch }) {
  if (!canManageScope(ctx.principal, args.scope)) {
    throw forbidden("OAuth callers may only manage rules whose oauth_scope is workspace:developer or workspace:inference; use the console or an admin key");
  }
  if (!roleAllowsScopes(args.role, args.scope)) {
    throw invalidRequest("oauth_scope", `${ORG_ADMIN_SCOPE} requires a target service account whose organization_role is admin`);
  }
  if (!pinsTenant(args.issuerUrl, args.match)) throw invalidRequest("match", tenantPinMessage(args.issuerUrl));
}

const cleanMatch = (m: RuleMatch): RuleMatch =>
  Object.fromEntries(Object.entries(m).filter(([, v]) => v != null && !(typeof v === "object" && Object.keys(v).length === 0)));

export async function createRule(ctx: AdminContext, input: unknown, trxIn?: Transaction<Database>): Promise<RuleDto> {
  assertCanWrite(ctx);
  const body = parseInput(ruleCreate, input);
  return ruleRows.write(ctx, body.name, async (trx) => {
    const issuer = await issuerRows.requireLive(trx, ctx, body.issuer_id, "issuer_id");
    const sa = await requireTarget(trx, ctx, body.target.service_account_id);
    const match = cleanMatch(body.match);
    assertRulePolicy(ctx, { scope: body.oauth_scope, role: sa.organization_role, issuerUrl: issuer.issuer_url, match });
    const ws = body.workspace_id ? await requireLiveWorkspace(trx, ctx.principal.organizationId, body.workspace_id) : null;
    await ruleRows.assertNameFree(trx, ctx, body.name);
    const now = new Date().toISOString();
    const row: RuleRow = {
      id: newId("rule"),
      organization_id: ctx.principal.organizationId,
      issuer_id: issuer.id,
      name: body.name,
      description: body.description ?? null,
      match: JSON.stringify(match),
      service_account_id: sa.id,
      oauth_scope: body.oauth_scope,
      token_lifetime_seconds: body.token_lifetime_seconds,
      workspace_id: ws?.id ?? null,
      applies_to_all_workspaces: body.applies_to_all_workspaces ? 1 : 0,
      ...createdStamp(ctx, now),
    };
    await trx.insertInto("federation_rules").values(row).execute();
    if (ws) {
      await trx
        .insertInto("federation_rule_workspaces")
        .values({ federation_rule_id: row.id, workspace_id: ws.id, created_at: now, created_by_actor_id: actorId(ctx.principal) })
        .execute();
    }
    await auditChange(trx, ctx, {
      action: "federation_rule.created",
      targetType: "federation_rule",
      targetId: row.id,
      detail: { name: row.name, issuer_id: row.issuer_id, service_account_id: row.service_account_id, oauth_scope: row.oauth_scope, match },
    });
    return toDto(trx, row);
  }, trxIn);
}

/** What a rule's audit entry compares (its own columns; workspaces added or removed have their own entries). */
const RULE_AUDITED = ["name", "description", "match", "service_account_id", "oauth_scope", "token_lifetime_seconds", "workspace_id", "applies_to_all_workspaces"] as const;

export async function updateRule(ctx: AdminContext, id: string, input: unknown): Promise<RuleDto> {
  assertCanWrite(ctx);
  const body = parseInput(ruleUpdate, input);
  return ruleRows.write(ctx, body.name, async (trx) => {
    const row = await ruleRows.getForUpdate(trx, ctx, id, "create a new rule instead");
    if (body.issuer_id && body.issuer_id !== row.issuer_id) throw invalidRequest("issuer_id", "is immutable; create a new rule for another issuer");
    // The caller must be allowed to manage the rule as it is, and as it will be.
    if (!canManageScope(ctx.principal, row.oauth_scope)) {
      throw forbidden("OAuth callers may only manage rules whose oauth_scope is workspace:developer or workspace:inference; use the console or an admin key");
    }
    const issuer = await trx.selectFrom("federation_issuers").selectAll().where("id", "=", row.issuer_id).executeTakeFirstOrThrow();
    const sa = await requireTarget(trx, ctx, body.target?.service_account_id ?? row.service_account_id);
    const match = body.match ? cleanMatch(body.match) : (JSON.parse(row.match) as RuleMatch);
    const scope = body.oauth_scope ?? row.oauth_scope;
    assertRulePolicy(ctx, { scope, role: sa.organization_role, issuerUrl: issuer.issuer_url, match });
    if (body.name && body.name !== row.name) await ruleRows.assertNameFree(trx, ctx, body.name, id);

    const now = new Date().toISOString();
    const enabled = await trx.selectFrom("federation_rule_workspaces").select("workspace_id").where("federation_rule_id", "=", id).execute();
    let workspaceId = row.workspace_id;
    if (body.workspace_id !== undefined && body.workspace_id !== null) {
      if (enabled.length > 1) throw invalidRequest("workspace_id", "the rule is enabled for several workspaces; use the /workspaces sub-resource instead");
      const ws = await requireLiveWorkspace(trx, ctx.principal.organizationId, body.workspace_id);
      await trx.deleteFrom("federation_rule_workspaces").where("federation_rule_id", "=", id).execute();
      await trx.insertInto("federation_rule_workspaces").values({ federation_rule_id: id, workspace_id: ws.id, created_at: now, created_by_actor_id: actorId(ctx.principal) }).execute();
      workspaceId = ws.id;
    }
    const appliesToAll = body.applies_to_all_workspaces ?? row.applies_to_all_workspaces === 1;
    if (!appliesToAll && body.applies_to_all_workspaces === false) {
      const remaining = await trx.selectFrom("federation_rule_workspaces").select("workspace_id").where("federation_rule_id", "=", id).execute();
      if (remaining.length === 0 && !workspaceId) {
        throw invalidRequest("applies_to_all_workspaces", "cannot be false while the rule is enabled for no workspace; add a workspace first");
      }
    }
    const next: RuleRow = {
      ...row,
      name: body.name ?? row.name,
      description: body.description === undefined ? row.description : (body.description ?? ""),
      match: JSON.stringify(match),
      service_account_id: sa.id,
      oauth_scope: scope,
      token_lifetime_seconds: body.token_lifetime_seconds ?? row.token_lifetime_seconds,
      workspace_id: workspaceId,
      applies_to_all_workspaces: appliesToAll ? 1 : 0,
      ...updatedStamp(ctx, now),
    };
    await trx.updateTable("federation_rules").set(next).where("id", "=", id).execute();
    await auditChange(trx, ctx, { action: "federation_rule.updated", targetType: "federation_rule", targetId: id, detail: { changed: changedFields(row, next, RULE_AUDITED, ["match"]) } });
    return toDto(trx, next);
  });
}

export async function archiveRule(ctx: AdminContext, id: string): Promise<RuleDto> {
  assertCanWrite(ctx);
  const archived = await ruleRows.archive(ctx, id, {
    refuse(_trx, row) {
      if (!canManageScope(ctx.principal, row.oauth_scope)) {
        throw forbidden("OAuth callers may only manage rules whose oauth_scope is workspace:developer or workspace:inference; use the console or an admin key");
      }
    },
    // Archiving clears workspace targeting, as the platform does; exchange stops at once.
    changes: { workspace_id: null },
    also: (trx) => trx.deleteFrom("federation_rule_workspaces").where("federation_rule_id", "=", id).execute(),
  });
  return toDto(ctx.db, archived);
}

// ---- /federation_rules/{id}/workspaces ----------------------------------------------------

export async function listRuleWorkspaces(ctx: AdminContext, id: string, query: unknown): Promise<PageResult<RuleWorkspaceDto>> {
  assertCanRead(ctx);
  await ruleRows.get(ctx.db, ctx, id);
  const rows = await ctx.db
    .selectFrom("federation_rule_workspaces as rw")
    .innerJoin("workspaces as w", "w.id", "rw.workspace_id")
    .select(["rw.workspace_id", "rw.created_at", "rw.created_by_actor_id", "w.name"])
    .where("rw.federation_rule_id", "=", id)
    .execute();
  const items = rows.map(
    (r): RuleWorkspaceDto => ({
      type: "federation_rule_workspace",
      federation_rule_id: id,
      workspace_id: r.workspace_id,
      workspace_name: r.name,
      created_at: r.created_at,
      created_by_actor_id: r.created_by_actor_id,
    }),
  );
  return pageOf(items, query, (w) => w.workspace_id);
}

export async function addRuleWorkspace(ctx: AdminContext, id: string, input: unknown): Promise<RuleWorkspaceDto> {
  assertCanWrite(ctx);
  const body = parseInput(ruleWorkspaceAdd, input);
  return inTransaction(ctx.db, async (trx) => {
    const row = await ruleRows.get(trx, ctx, id);
    if (row.archived_at) throw invalidRequest(null, `federation rule ${id} is archived`);
    if (!canManageScope(ctx.principal, row.oauth_scope)) throw forbidden("OAuth callers may only manage rules whose oauth_scope is workspace:developer or workspace:inference; use the console or an admin key");
    const ws = await requireLiveWorkspace(trx, ctx.principal.organizationId, body.workspace_id);
    const existing = await trx.selectFrom("federation_rule_workspaces").selectAll().where("federation_rule_id", "=", id).where("workspace_id", "=", ws.id).executeTakeFirst();
    const now = new Date().toISOString();
    if (!existing) {
      await trx.insertInto("federation_rule_workspaces").values({ federation_rule_id: id, workspace_id: ws.id, created_at: now, created_by_actor_id: actorId(ctx.principal) }).execute();
      await trx.updateTable("federation_rules").set(updatedStamp(ctx, now)).where("id", "=", id).execute();
      await auditChange(trx, ctx, { action: "federation_rule.workspace_added", targetType: "federation_rule", targetId: id, detail: { workspace_id: ws.id } });
    }
    return {
      type: "federation_rule_workspace",
      federation_rule_id: id,
      workspace_id: ws.id,
      workspace_name: null,
      created_at: existing?.created_at ?? now,
      created_by_actor_id: existing?.created_by_actor_id ?? actorId(ctx.principal),
    };
  });
}

export async function removeRuleWorkspace(ctx: AdminContext, id: string, workspaceRef: string) {
  assertCanWrite(ctx);
  await inTransaction(ctx.db, async (trx) => {
    const row = await ruleRows.get(trx, ctx, id);
    if (!canManageScope(ctx.principal, row.oauth_scope)) throw forbidden("OAuth callers may only manage rules whose oauth_scope is workspace:developer or workspace:inference; use the console or an admin key");
    const ws = await findWorkspace(trx, ctx.principal.organizationId, workspaceRef);
    const removed = await trx.deleteFrom("federation_rule_workspaces").where("federation_rule_id", "=", id).where("workspace_id", "=", ws.id).executeTakeFirst();
    if (row.workspace_id === ws.id) await trx.updateTable("federation_rules").set({ workspace_id: null }).where("id", "=", id).execute();
    if (Number(removed.numDeletedRows) > 0) {
      await auditChange(trx, ctx, { action: "federation_rule.workspace_removed", targetType: "federation_rule", targetId: id, detail: { workspace_id: ws.id } });
    }
  });
  return { type: "federation_rule_workspace_deleted" as const, federation_rule_id: id, workspace_id: workspaceRef };
}
