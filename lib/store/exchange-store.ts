/**
 * The exchange's storage: the core's `ExchangeReads` and `ExchangeWrites` (lib/core/ports.ts)
 * over Kysely. A granted exchange stores the consumed `jti`, the access token's hash and the
 * history row — built by the core (lib/core/issuance.ts) — in ONE transaction, so a token
 * returned to a client always exists together with its history entry, and a `jti` is
 * single-use across restarts and across instances sharing PostgreSQL (the primary key decides).
 */
import type { Insertable, Kysely } from "kysely";
import { jsonArrayFrom as postgresJsonArrayFrom } from "kysely/helpers/postgres";
import { jsonArrayFrom as sqliteJsonArrayFrom } from "kysely/helpers/sqlite";
import { JtiRace, type ExchangeReads, type ExchangeWrites, type RuleContext, type WorkspaceRef } from "../core/ports";
import type { RuleMatch } from "../core/types";
import type { Store } from "./db";
import { toIssuerPolicy } from "./issuer-policy";
import { batchedPolicyChecks } from "./postgres-policy-check";
import { NothingChanged, PreparedQuery, transaction, type BoundQuery, type Params } from "./prepared-query";
import type { AccessTokensTable, AuthEventsTable, Database, UsedJtisTable } from "./schema";

const toWorkspaceRef = (w: { id: string; is_default: number; archived_at: string | null }): WorkspaceRef => ({
  id: w.id,
  isDefault: w.is_default === 1,
  archived: w.archived_at !== null,
});

/** A JSON array column: PostgreSQL's driver parses it, SQLite returns the text. */
const jsonColumn = <T>(value: T[] | string): T[] => (typeof value === "string" ? (JSON.parse(value) as T[]) : value);

/** The exchange's queries, compiled once per store. */
function compileQueries(store: Store) {
  const jsonArrayFrom = store.kind === "sqlite" ? sqliteJsonArrayFrom : postgresJsonArrayFrom;
  const workspaceColumns = ["id", "is_default", "archived_at"] as const;
  const insertAuthEvent = (db: Kysely<Database>, p: Params<Insertable<AuthEventsTable>>) =>
    db.insertInto("auth_events").values({
      id: p.id,
      organization_id: p.organization_id,
      occurred_at: p.occurred_at,
      request_id: p.request_id,
      outcome: p.outcome,
      reason: p.reason,
      detail: p.detail,
      federation_rule_id: p.federation_rule_id,
      issuer_id: p.issuer_id,
      service_account_id: p.service_account_id,
      workspace_id: p.workspace_id,
      subject: p.subject,
      claims: p.claims,
      claims_verified: p.claims_verified,
      access_token_id: p.access_token_id,
      client_ip: p.client_ip,
    });
  return {
    /** The rule with its issuer, service account and — unless it applies to all — its workspaces: one round trip. */
    ruleContext: new PreparedQuery(store, (db, p: Params<{ ruleId: string; organizationId: string; jti: string | null }>) =>
      db
        .selectFrom("federation_rules as r")
        .innerJoin("federation_issuers as i", "i.id", "r.issuer_id")
        .innerJoin("service_accounts as s", "s.id", "r.service_account_id")
        .select((eb) => [
          "r.id as rule_id",
          "r.organization_id",
          "r.issuer_id",
          "r.match",
          "r.service_account_id",
          "r.oauth_scope",
          "r.token_lifetime_seconds",
          "r.workspace_id",
          "r.applies_to_all_workspaces",
          "r.archived_at as rule_archived_at",
          // The issuer's own column names: the row maps to its policy as it is (issuer-policy.ts).
          "i.id",
          "i.issuer_url",
          "i.jwks",
          "i.check_jti",
          "i.max_jwt_lifetime_seconds",
          "i.archived_at",
          "s.organization_role",
          "s.archived_at as sa_archived_at",
          jsonArrayFrom(eb.selectFrom("federation_rule_workspaces as rw").select("rw.workspace_id").whereRef("rw.federation_rule_id", "=", "r.id")).as("rule_workspaces"),
          jsonArrayFrom(
            eb
              .selectFrom("workspaces as w")
              .select(["w.id", "w.is_default", "w.archived_at"])
              .where("w.organization_id", "=", p.organizationId)
              .where("r.applies_to_all_workspaces", "=", 0)
              .where((w) =>
                w.or([
                  w("w.id", "=", w.ref("r.workspace_id")),
                  w("w.id", "in", w.selectFrom("federation_rule_workspaces as rw").select("rw.workspace_id").whereRef("rw.federation_rule_id", "=", "r.id")),
                ]),
              ),
          ).as("enabled_workspaces"),
          // A null jti matches nothing.
          eb.exists(eb.selectFrom("used_jtis as u").select("u.jti").whereRef("u.issuer_id", "=", "r.issuer_id").where("u.jti", "=", p.jti)).as("jti_used"),
          // Read in the same statement, so a cached context is exactly the one of this version.
          eb.selectFrom("policy_version").select("version").where("id", "=", 1).as("policy_version"),
        ])
        .where("r.id", "=", p.ruleId),
    ),
    /** For a cached rule: has any rule input changed since, and was the jti consumed? One round trip. */
    policyCheck: new PreparedQuery(store, (db, p: Params<{ issuerId: string; jti: string | null }>) =>
      db.selectNoFrom((eb) => [
        eb.selectFrom("policy_version").select("version").where("id", "=", 1).as("policy_version"),
        eb.exists(eb.selectFrom("used_jtis").select("jti").where("issuer_id", "=", p.issuerId).where("jti", "=", p.jti)).as("jti_used"),
      ]),
    ),
    /** PostgreSQL: the same check, batched across the exchanges in flight (one round trip for all). */
    batchedPolicyCheck: store.pgPool && batchedPolicyChecks(store.pgPool),
    jtiUsed: new PreparedQuery(store, (db, p: Params<{ issuerId: string; jti: string }>) =>
      db.selectFrom("used_jtis").select("jti").where("issuer_id", "=", p.issuerId).where("jti", "=", p.jti),
    ),
    workspaceById: new PreparedQuery(store, (db, p: Params<{ organizationId: string; id: string }>) =>
      db.selectFrom("workspaces").select(workspaceColumns).where("organization_id", "=", p.organizationId).where("id", "=", p.id),
    ),
    defaultWorkspace: new PreparedQuery(store, (db, p: Params<{ organizationId: string }>) =>
      db.selectFrom("workspaces").select(workspaceColumns).where("organization_id", "=", p.organizationId).where("is_default", "=", 1),
    ),
    allWorkspaces: new PreparedQuery(store, (db, p: Params<{ organizationId: string }>) =>
      db.selectFrom("workspaces").select(workspaceColumns).where("organization_id", "=", p.organizationId),
    ),
    /** A rule's own workspaces, read afresh (for callers that did not load them with the rule). */
    ruleWorkspaces: new PreparedQuery(store, (db, p: Params<{ organizationId: string; ruleId: string; workspaceId: string }>) =>
      db
        .selectFrom("workspaces")
        .select(workspaceColumns)
        .where("organization_id", "=", p.organizationId)
        .where((w) =>
          w.or([
            w("id", "=", p.workspaceId),
            w("id", "in", w.selectFrom("federation_rule_workspaces").select("workspace_id").where("federation_rule_id", "=", p.ruleId)),
          ]),
        ),
    ),
    membership: new PreparedQuery(store, (db, p: Params<{ serviceAccountId: string; workspaceId: string }>) =>
      db.selectFrom("service_account_workspaces").select("workspace_id").where("service_account_id", "=", p.serviceAccountId).where("workspace_id", "=", p.workspaceId),
    ),
    /** Consumes a `jti`: inserts nothing when it was already consumed (run as a `claim`). */
    insertUsedJti: new PreparedQuery(store, (db, p: Params<Insertable<UsedJtisTable>>) =>
      db
        .insertInto("used_jtis")
        .values({ issuer_id: p.issuer_id, jti: p.jti, expires_at: p.expires_at })
        .onConflict((oc) => oc.columns(["issuer_id", "jti"]).doNothing()),
    ),
    insertAccessToken: new PreparedQuery(store, (db, p: Params<Insertable<AccessTokensTable>>) =>
      db.insertInto("access_tokens").values({
        id: p.id,
        token_hash: p.token_hash,
        organization_id: p.organization_id,
        federation_rule_id: p.federation_rule_id,
        service_account_id: p.service_account_id,
        workspace_id: p.workspace_id,
        scope: p.scope,
        subject: p.subject,
        request_id: p.request_id,
        created_at: p.created_at,
        expires_at: p.expires_at,
      }),
    ),
    insertAuthEvent: new PreparedQuery(store, insertAuthEvent),
  };
}

type ExchangeQueries = ReturnType<typeof compileQueries>;
const compiled = new WeakMap<Store, ExchangeQueries>();

function queriesFor(store: Store): ExchangeQueries {
  let queries = compiled.get(store);
  if (!queries) {
    queries = compileQueries(store);
    compiled.set(store, queries);
  }
  return queries;
}

type RuleContextRow = NonNullable<Awaited<ReturnType<ExchangeQueries["ruleContext"]["first"]>>>;

function toRuleContext(row: RuleContextRow): RuleContext {
  const appliesToAll = row.applies_to_all_workspaces === 1;
  return {
    rule: {
      id: row.rule_id,
      organization_id: row.organization_id,
      issuer_id: row.issuer_id,
      match: JSON.parse(row.match) as RuleMatch,
      service_account_id: row.service_account_id,
      oauth_scope: row.oauth_scope,
      token_lifetime_seconds: row.token_lifetime_seconds,
      workspace_id: row.workspace_id,
      workspace_ids: jsonColumn(row.rule_workspaces).map((w) => w.workspace_id),
      applies_to_all_workspaces: appliesToAll,
      archived_at: row.rule_archived_at,
    },
    issuer: toIssuerPolicy(row),
    serviceAccount: { id: row.service_account_id, organizationRole: row.organization_role, archived: row.sa_archived_at !== null },
    // A rule for all workspaces is resolved against the live list only when needed (after the signature).
    ...(appliesToAll ? {} : { workspaces: jsonColumn(row.enabled_workspaces).map(toWorkspaceRef) }),
  };
}

/** The context with the jti's state added, when the read looked one up (PostgreSQL answers a boolean, SQLite 0/1). */
const withJti = (ctx: RuleContext, jti: string | undefined, used: unknown): RuleContext =>
  jti === undefined ? ctx : { ...ctx, consumedJti: { jti, used: Boolean(used) } };

/** Cached contexts are shared by concurrent exchanges: frozen, so none can change another's. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Rules kept per organization; beyond this many, the cache starts over. */
const MAX_CACHED_RULES = 1000;

/**
 * The store's `ExchangeReads` (lib/core/ports.ts) for one organization.
 *
 * Rule contexts are kept in memory and used for as long as the policy version they were read
 * at is current (migrations 0002 and 0008: triggers move it in the same transaction as any
 * change to a rule's inputs, whoever makes it), so an exchange reads one row and one index
 * entry instead of joining five tables and parsing the rule's JSON columns. The version is
 * read with the `jti` check on every exchange, so on PostgreSQL a change made through any
 * instance sharing the database shows on the next exchange on all of them.
 * @see docs/architecture.md#token-path-caches
 */
export function exchangeReads(store: Store, organizationId: string): ExchangeReads {
  const q = queriesFor(store);
  const cache = new Map<string, { version: number; ctx: RuleContext }>();
  return {
    async loadRule(ruleId, jti): Promise<RuleContext | undefined> {
      const cached = cache.get(ruleId);
      if (cached) {
        const check = q.batchedPolicyCheck
          ? await q.batchedPolicyCheck(cached.ctx.issuer.id, jti ?? null)
          : await q.policyCheck.first({ issuerId: cached.ctx.issuer.id, jti: jti ?? null });
        if (check?.policy_version === cached.version) return withJti(cached.ctx, jti, check.jti_used);
      }
      const row = await q.ruleContext.first({ ruleId, organizationId, jti: jti ?? null });
      if (!row) return undefined;
      const ctx = deepFreeze(toRuleContext(row));
      if (typeof row.policy_version === "number") {
        if (cache.size >= MAX_CACHED_RULES) cache.clear();
        cache.set(ruleId, { version: row.policy_version, ctx });
      }
      return withJti(ctx, jti, row.jti_used);
    },

    async jtiUsed(issuerId, jti) {
      return (await q.jtiUsed.first({ issuerId, jti })) !== undefined;
    },

    async findWorkspace(ref) {
      const row = await (ref === "default" ? q.defaultWorkspace.first({ organizationId }) : q.workspaceById.first({ organizationId, id: ref }));
      return row && toWorkspaceRef(row);
    },

    async enabledWorkspaces(rule) {
      const rows = rule.applies_to_all_workspaces
        ? await q.allWorkspaces.all({ organizationId })
        : await q.ruleWorkspaces.all({ organizationId, ruleId: rule.id, workspaceId: rule.workspace_id ?? "" });
      return rows.map(toWorkspaceRef);
    },

    async isMember(serviceAccountId, workspace) {
      if (workspace.isDefault) return true;
      return (await q.membership.first({ serviceAccountId, workspaceId: workspace.id })) !== undefined;
    },
  };
}

/** The store-backed `ExchangeWrites`: it writes the records the core built, as they are. */
export function exchangeWrites(store: Store): ExchangeWrites {
  const q = queriesFor(store);
  const committer = store.pgCommitter;
  if (committer) {
    return {
      async saveGrant(records) {
        try {
          await committer.saveGrant(records);
        } catch (err) {
          if (err instanceof NothingChanged) throw new JtiRace();
          throw err;
        }
      },
      recordEvent: (event) => committer.recordEvent(event),
    };
  }
  return {
    async saveGrant(records) {
      const steps: BoundQuery[] = [];
      if (records.usedJti) steps.push(q.insertUsedJti.claim(records.usedJti));
      steps.push(q.insertAccessToken.with(records.accessToken), q.insertAuthEvent.with(records.history));
      try {
        await transaction(store, steps);
      } catch (err) {
        if (err instanceof NothingChanged) throw new JtiRace();
        throw err;
      }
    },

    async recordEvent(event) {
      await q.insertAuthEvent.run(event);
    },
  };
}

/** Delete used `jti`s and access tokens whose lifetime is over. */
export async function pruneExpired(db: Kysely<Database>, now = new Date()): Promise<void> {
  const iso = now.toISOString();
  await db.deleteFrom("used_jtis").where("expires_at", "<", iso).execute();
  await db.deleteFrom("access_tokens").where("expires_at", "<", iso).execute();
}
