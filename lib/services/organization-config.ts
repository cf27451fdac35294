/**
 * Configuration as code: export the organization's workspaces, issuers, service accounts
 * (with memberships) and rules as one YAML document, and apply such a document — planned
 * field by field, carried out by the same operations the Admin API calls (so their checks,
 * escalation rules and audit entries apply), all in one transaction. A dry run does the same
 * work and rolls it back, so it finds every refusal an apply would meet.
 * @see docs/behaviour.md#configuration-as-code
 */
import type { Transaction } from "kysely";
import YAML from "yaml";
import { ApiError, invalidRequest } from "../core/errors";
import { CONFIG_KINDS, changedTopLevelFields, planConfig, type ConfigChange, type ConfigEntry, type ConfigKind, type ConfigSections } from "../core/config-plan";
import type { JwksConfig, RuleMatch } from "../core/types";
import { CONFIG_VERSION, DEFAULT_WORKSPACE_REF, formatConfigError, organizationConfig, type OrganizationConfig } from "../schemas/config";
import type { Db } from "../store/db";
import type { Database } from "../store/schema";
import { auditChange } from "./audit";
import { assertCanRead, assertCanWrite, type AdminContext } from "./context";
import { DEFAULT_DATA_RESIDENCY } from "./organization";
import { archiveIssuer, createIssuer, updateIssuer } from "./issuers";
import { addRuleWorkspace, archiveRule, createRule, removeRuleWorkspace, updateRule } from "./rules";
import { archiveServiceAccount, createServiceAccount, updateServiceAccount } from "./service-accounts";
import { addMembershipIn, archiveWorkspace, createWorkspace, removeMembership, updateWorkspace } from "./workspaces";

/** What an apply (or a dry run) reports. */
export interface ConfigPlanDto {
  type: "organization_config_plan";
  dry_run: boolean;
  /** True when the changes were made (not a dry run, and there were some). */
  applied: boolean;
  changes: ConfigChange[];
}

const SECTION: Record<ConfigKind, keyof Omit<OrganizationConfig, "version">> = {
  workspace: "workspaces",
  issuer: "issuers",
  service_account: "service_accounts",
  rule: "rules",
};

/** The organization's live configuration with the IDs behind each name. */
interface CurrentConfig {
  sections: ConfigSections;
  ids: Record<ConfigKind, Map<string, string>>;
  /** Workspace name (or `default`) to ID, updated as workspaces are created. */
  workspaceIds: Map<string, string>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Nulls and absent fields are the same nothing in a file; dropped so they never show as a change. */
function withoutNulls<T>(value: T): T {
  if (!isObject(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => [k, withoutNulls(v)])) as T;
}

const sortedKeys = <V>(record: Record<string, V>) => Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));

/** One canonical form for what the database holds and what a file asks for, so equal means unchanged. */
function normalize(doc: OrganizationConfig): ConfigSections {
  return {
    // Residency left out is the default, as when a workspace is created.
    workspace: doc.workspaces.map((w) => withoutNulls({ ...w, tags: sortedKeys(w.tags ?? {}), data_residency: { ...DEFAULT_DATA_RESIDENCY, ...withoutNulls(w.data_residency ?? {}) } })),
    issuer: doc.issuers.map((i) => withoutNulls({ ...i })),
    service_account: doc.service_accounts.map((s) => withoutNulls({ ...s, description: s.description || null, workspaces: sortedKeys(s.workspaces) })),
    rule: doc.rules.map((r) =>
      withoutNulls({
        ...r,
        description: r.description || null,
        match: { ...r.match, claims: r.match.claims && Object.keys(r.match.claims).length ? sortedKeys(r.match.claims) : null },
        workspaces: [...r.workspaces].sort(),
      }),
    ),
  };
}

/** The file's form of the sections: key order as a person writes it, sections sorted by name for stable diffs in git. */
function toDocument(sections: ConfigSections): Record<string, unknown> {
  const byName = (a: ConfigEntry, b: ConfigEntry) => a.name.localeCompare(b.name);
  const doc: Record<string, unknown> = { version: CONFIG_VERSION };
  for (const kind of CONFIG_KINDS) doc[SECTION[kind]] = [...sections[kind]].sort(byName);
  return doc;
}

async function readCurrent(db: Db, organizationId: string): Promise<CurrentConfig> {
  const [workspaces, issuers, accounts, rules, memberships, ruleWorkspaces] = await Promise.all([
    db.selectFrom("workspaces").selectAll().where("organization_id", "=", organizationId).where("archived_at", "is", null).execute(),
    db.selectFrom("federation_issuers").selectAll().where("organization_id", "=", organizationId).where("archived_at", "is", null).execute(),
    db.selectFrom("service_accounts").selectAll().where("organization_id", "=", organizationId).where("archived_at", "is", null).execute(),
    db.selectFrom("federation_rules").selectAll().where("organization_id", "=", organizationId).where("archived_at", "is", null).execute(),
    db
      .selectFrom("service_account_workspaces as m")
      .innerJoin("service_accounts as s", "s.id", "m.service_account_id")
      .select(["m.service_account_id", "m.workspace_id", "m.workspace_role"])
      .where("s.organization_id", "=", organizationId)
      .execute(),
    db
      .selectFrom("federation_rule_workspaces as rw")
      .innerJoin("federation_rules as r", "r.id", "rw.federation_rule_id")
      .select(["rw.federation_rule_id", "rw.workspace_id"])
      .where("r.organization_id", "=", organizationId)
      .execute(),
  ]);

  // Workspaces are referred to by name, so a name two live workspaces share cannot be managed here.
  const workspaceIds = new Map<string, string>();
  const workspaceName = new Map<string, string>();
  for (const w of workspaces) {
    const name = w.is_default ? DEFAULT_WORKSPACE_REF : w.name;
    const clash = workspaceIds.get(name);
    if (clash) {
      throw invalidRequest("workspaces", `two live workspaces are named ${JSON.stringify(name)} (${clash}, ${w.id}); rename one so a configuration file can refer to it by name`);
    }
    workspaceIds.set(name, w.id);
    workspaceName.set(w.id, name);
  }
  const issuerName = new Map(issuers.map((i) => [i.id, i.name]));
  const accountName = new Map(accounts.map((s) => [s.id, s.name]));

  const doc: OrganizationConfig = {
    version: CONFIG_VERSION,
    workspaces: workspaces
      .filter((w) => !w.is_default)
      .map((w) => ({
        name: w.name,
        display_color: w.display_color,
        tags: JSON.parse(w.tags) as Record<string, string>,
        data_residency: JSON.parse(w.data_residency) as OrganizationConfig["workspaces"][number]["data_residency"],
      })),
    issuers: issuers.map((i) => ({
      name: i.name,
      issuer_url: i.issuer_url,
      jwks: JSON.parse(i.jwks) as JwksConfig,
      check_jti: i.check_jti === 1,
      max_jwt_lifetime_seconds: i.max_jwt_lifetime_seconds,
    })),
    service_accounts: accounts.map((s) => ({
      name: s.name,
      description: s.description,
      organization_role: s.organization_role,
      workspaces: Object.fromEntries(
        memberships
          .filter((m) => m.service_account_id === s.id && workspaceName.has(m.workspace_id))
          .map((m) => [workspaceName.get(m.workspace_id)!, m.workspace_role as OrganizationConfig["service_accounts"][number]["workspaces"][string]]),
      ),
    })),
    rules: rules
      .filter((r) => issuerName.has(r.issuer_id) && accountName.has(r.service_account_id))
      .map((r) => ({
        name: r.name,
        description: r.description,
        issuer: issuerName.get(r.issuer_id)!,
        service_account: accountName.get(r.service_account_id)!,
        match: JSON.parse(r.match) as RuleMatch,
        oauth_scope: r.oauth_scope,
        token_lifetime_seconds: r.token_lifetime_seconds,
        applies_to_all_workspaces: r.applies_to_all_workspaces === 1,
        workspaces: ruleWorkspaces.filter((rw) => rw.federation_rule_id === r.id && workspaceName.has(rw.workspace_id)).map((rw) => workspaceName.get(rw.workspace_id)!),
      })),
  };
  return {
    sections: normalize(doc),
    ids: {
      workspace: new Map(workspaces.filter((w) => !w.is_default).map((w) => [w.name, w.id])),
      issuer: new Map(issuers.map((i) => [i.name, i.id])),
      service_account: new Map(accounts.map((s) => [s.name, s.id])),
      rule: new Map(rules.map((r) => [r.name, r.id])),
    },
    workspaceIds,
  };
}

/** The organization's configuration as the document a file holds (no IDs, no secrets: issuers hold public keys only). */
export async function exportOrganizationConfig(ctx: AdminContext): Promise<Record<string, unknown>> {
  assertCanRead(ctx);
  return toDocument((await readCurrent(ctx.db, ctx.principal.organizationId)).sections);
}

/** The document as YAML, with a header saying how to apply it. */
export function configToYaml(doc: Record<string, unknown>): string {
  const yaml = new YAML.Document(doc);
  yaml.commentBefore = " WIF Console configuration. Apply with: wif config apply FILE (--dry-run to preview).\n Objects refer to each other by name; the default workspace is \"default\".";
  return yaml.toString({ lineWidth: 0 });
}

/** A file's text (YAML, or JSON, which is YAML too) to a validated configuration; 400 naming the line or the path. */
export function parseConfigText(text: string): OrganizationConfig {
  const parsed = YAML.parseDocument(text, { prettyErrors: true });
  // An unknown tag (`!!js/function`, `!custom`) is a warning to the parser; here it is a mistake.
  const syntax = parsed.errors[0] ?? parsed.warnings[0];
  if (syntax) throw invalidRequest(null, `not valid YAML: ${syntax.message.split("\n")[0]}`);
  let value: unknown;
  try {
    // Aliases are capped: a few lines of nested anchors would otherwise expand to gigabytes.
    value = parsed.toJS({ maxAliasCount: 100 });
  } catch (err) {
    throw invalidRequest(null, `not valid YAML: ${(err as Error).message}`);
  }
  const result = organizationConfig.safeParse(value ?? {});
  if (!result.success) throw new ApiError(400, formatConfigError(result.error));
  return result.data;
}

/** Thrown to roll a dry run back after it did everything an apply would. */
class DryRunRollback extends Error {
  constructor(readonly changes: ConfigChange[]) {
    super("dry run");
  }
}

/**
 * Plan `text` against the organization and, unless `dryRun`, apply it: every change through
 * its ordinary operation, in one transaction — all of it or none. An error names the file's
 * path (`rules[2]: …`) of the resource that was refused.
 */
export async function applyOrganizationConfig(ctx: AdminContext, text: string, options: { dryRun: boolean }): Promise<ConfigPlanDto> {
  assertCanWrite(ctx);
  const desiredDoc = parseConfigText(text);
  const desired = normalize(desiredDoc);
  try {
    const changes = await ctx.db.transaction().execute(async (trx) => {
      const tctx: AdminContext = { ...ctx, db: trx };
      const current = await readCurrent(trx, ctx.principal.organizationId);
      // A workspace's colour is kept when the file leaves it out (a new one gets a random colour).
      for (const w of desired.workspace) {
        const existing = current.sections.workspace.find((c) => c.name === w.name);
        if (w.display_color === undefined && existing) w.display_color = existing.display_color;
      }
      const changes = planConfig(current.sections, desired);
      for (const change of changes) await carryOut(tctx, change, current, desired, desiredDoc);
      if (changes.length > 0) {
        const count = (action: ConfigChange["action"]) => changes.filter((c) => c.action === action).length;
        await auditChange(trx, tctx, {
          action: "organization.config_applied",
          targetType: "organization",
          targetId: ctx.principal.organizationId,
          detail: { created: count("create"), updated: count("update"), archived: count("archive") },
        });
      }
      if (options.dryRun) throw new DryRunRollback(changes);
      return changes;
    });
    return { type: "organization_config_plan", dry_run: false, applied: changes.length > 0, changes };
  } catch (err) {
    if (err instanceof DryRunRollback) return { type: "organization_config_plan", dry_run: true, applied: false, changes: err.changes };
    throw err;
  }
}

/** Where in the file a resource is: `rules[2]`, or (for an archive) its section and name. */
function filePath(change: ConfigChange, desired: ConfigSections): string {
  const index = desired[change.kind].findIndex((e) => e.name === change.name);
  return index < 0 ? `${SECTION[change.kind]} (archiving ${JSON.stringify(change.name)})` : `${SECTION[change.kind]}[${index}]`;
}

/** One change through its ordinary operation; a refusal is re-raised naming where in the file it comes from. */
async function carryOut(ctx: AdminContext, change: ConfigChange, current: CurrentConfig, desired: ConfigSections, doc: OrganizationConfig): Promise<void> {
  const path = filePath(change, desired);
  const entry = desired[change.kind].find((e) => e.name === change.name);
  try {
    switch (change.kind) {
      case "workspace":
        return await carryOutWorkspace(ctx, change, current, doc.workspaces.find((w) => w.name === change.name), entry);
      case "issuer":
        return await carryOutIssuer(ctx, change, current, doc.issuers.find((i) => i.name === change.name));
      case "service_account":
        return await carryOutServiceAccount(ctx, change, current, doc.service_accounts.find((s) => s.name === change.name));
      case "rule":
        return await carryOutRule(ctx, change, current, doc.rules.find((r) => r.name === change.name));
    }
  } catch (err) {
    if (err instanceof ApiError) throw new ApiError(err.status, `${path}: ${err.message}`, err.field ? `${path}.${err.field}` : path);
    throw err;
  }
}

const idOf = (current: CurrentConfig, kind: ConfigKind, name: string) => current.ids[kind].get(name)!;

type WorkspaceDoc = OrganizationConfig["workspaces"][number];

async function carryOutWorkspace(ctx: AdminContext, change: ConfigChange, current: CurrentConfig, workspace: WorkspaceDoc | undefined, entry: ConfigEntry | undefined) {
  if (change.action === "archive") {
    await archiveWorkspace(ctx, idOf(current, "workspace", change.name));
    return;
  }
  if (change.action === "create") {
    const w = workspace!;
    const created = await createWorkspace(ctx, { name: w.name, display_color: w.display_color, tags: w.tags, data_residency: w.data_residency });
    current.ids.workspace.set(w.name, created.id);
    current.workspaceIds.set(w.name, created.id);
    return;
  }
  const fields = changedTopLevelFields(change);
  const before = current.sections.workspace.find((c) => c.name === change.name)!;
  const oldTags = (before.tags ?? {}) as Record<string, string>;
  const newTags = (entry!.tags ?? {}) as Record<string, string>;
  const residency = entry!.data_residency as { allowed_inference_geos: unknown; default_inference_geo: unknown };
  await updateWorkspace(ctx, idOf(current, "workspace", change.name), {
    ...(fields.has("display_color") ? { display_color: entry!.display_color } : {}),
    // A tag left out of the file is removed (null removes a tag in an update).
    ...(fields.has("tags") ? { tags: { ...Object.fromEntries(Object.keys(oldTags).map((k) => [k, null])), ...newTags } } : {}),
    // workspace_geo is fixed at creation; the update takes the other two.
    ...(fields.has("data_residency") ? { data_residency: { allowed_inference_geos: residency.allowed_inference_geos, default_inference_geo: residency.default_inference_geo } } : {}),
  });
}

async function carryOutIssuer(ctx: AdminContext, change: ConfigChange, current: CurrentConfig, issuer: OrganizationConfig["issuers"][number] | undefined) {
  if (change.action === "archive") {
    await archiveIssuer(ctx, idOf(current, "issuer", change.name));
    return;
  }
  if (change.action === "create") {
    current.ids.issuer.set(change.name, (await createIssuer(ctx, issuer)).id);
    return;
  }
  // Only what changed: sending the keys again would restart polling, and an access token may be refused any update of some issuers.
  const fields = changedTopLevelFields(change);
  const body = Object.fromEntries(Object.entries(issuer!).filter(([k]) => fields.has(k)));
  await updateIssuer(ctx, idOf(current, "issuer", change.name), body);
}

async function carryOutServiceAccount(ctx: AdminContext, change: ConfigChange, current: CurrentConfig, sa: OrganizationConfig["service_accounts"][number] | undefined) {
  if (change.action === "archive") {
    await archiveServiceAccount(ctx, idOf(current, "service_account", change.name));
    return;
  }
  const s = sa!;
  let id: string;
  let before: Record<string, string> = {};
  if (change.action === "create") {
    id = (await createServiceAccount(ctx, { name: s.name, description: s.description, organization_role: s.organization_role })).id;
    current.ids.service_account.set(s.name, id);
  } else {
    id = idOf(current, "service_account", change.name);
    before = (current.sections.service_account.find((c) => c.name === change.name)!.workspaces ?? {}) as Record<string, string>;
    const fields = changedTopLevelFields(change);
    if (fields.has("description") || fields.has("organization_role")) {
      await updateServiceAccount(ctx, id, {
        ...(fields.has("description") ? { description: s.description ?? null } : {}),
        ...(fields.has("organization_role") ? { organization_role: s.organization_role } : {}),
      });
    }
  }
  for (const [ws, role] of Object.entries(s.workspaces)) {
    if (before[ws] !== role) await addMembershipIn(ctx.db as Transaction<Database>, ctx, id, current.workspaceIds.get(ws)!, role);
  }
  for (const ws of Object.keys(before)) {
    if (!(ws in s.workspaces)) await removeMembership(ctx, id, current.workspaceIds.get(ws)!);
  }
}

async function carryOutRule(ctx: AdminContext, change: ConfigChange, current: CurrentConfig, rule: OrganizationConfig["rules"][number] | undefined) {
  if (change.action === "archive") {
    await archiveRule(ctx, idOf(current, "rule", change.name));
    return;
  }
  const r = rule!;
  const wsId = (name: string) => current.workspaceIds.get(name)!;
  const target = { type: "service_account" as const, service_account_id: idOf(current, "service_account", r.service_account) };
  if (change.action === "create") {
    const [first, ...rest] = r.workspaces;
    const created = await createRule(ctx, {
      name: r.name,
      description: r.description,
      issuer_id: idOf(current, "issuer", r.issuer),
      match: r.match,
      target,
      oauth_scope: r.oauth_scope,
      token_lifetime_seconds: r.token_lifetime_seconds,
      workspace_id: first ? wsId(first) : null,
      applies_to_all_workspaces: r.applies_to_all_workspaces,
    });
    current.ids.rule.set(r.name, created.id);
    for (const ws of rest) await addRuleWorkspace(ctx, created.id, { workspace_id: wsId(ws) });
    return;
  }
  const fields = changedTopLevelFields(change);
  if (fields.has("issuer")) {
    throw invalidRequest("issuer", "cannot change on an existing rule; give the rule a new name (the old one is archived and a new one, with a new ID, is created)");
  }
  const id = idOf(current, "rule", change.name);
  const before = current.sections.rule.find((c) => c.name === change.name)!;
  const body = {
    ...(fields.has("description") ? { description: r.description ?? null } : {}),
    ...(fields.has("match") ? { match: r.match } : {}),
    ...(fields.has("service_account") ? { target } : {}),
    ...(fields.has("oauth_scope") ? { oauth_scope: r.oauth_scope } : {}),
    ...(fields.has("token_lifetime_seconds") ? { token_lifetime_seconds: r.token_lifetime_seconds } : {}),
    // Widening to all workspaces goes first; narrowing waits until the workspaces are in place.
    ...(fields.has("applies_to_all_workspaces") && r.applies_to_all_workspaces ? { applies_to_all_workspaces: true } : {}),
  };
  if (Object.keys(body).length > 0) await updateRule(ctx, id, body);
  const was = new Set((before.workspaces ?? []) as string[]);
  for (const ws of r.workspaces) if (!was.has(ws)) await addRuleWorkspace(ctx, id, { workspace_id: wsId(ws) });
  for (const ws of was) if (!r.workspaces.includes(ws)) await removeRuleWorkspace(ctx, id, wsId(ws));
  if (fields.has("applies_to_all_workspaces") && !r.applies_to_all_workspaces) await updateRule(ctx, id, { applies_to_all_workspaces: false });
}
