/**
 * An access token with the current state of what granted it — its service account, rule and
 * workspace, the rule's workspaces and the account's membership — in one query by the token's
 * hash (every join and subquery is a primary-key lookup). lib/core/access-token-standing.ts
 * decides from it whether the token still stands.
 */
import type { Kysely } from "kysely";
import type { AccessTokenGrantState } from "../core/access-token-standing";
import type { Database } from "./schema";

export interface AccessTokenGrant extends AccessTokenGrantState {
  id: string;
  organizationId: string;
  workspaceId: string;
  ruleId: string;
  subject: string;
  serviceAccountName: string | null;
}

/** Stands in for the token's hash while the query compiles; bound by position afterwards. */
const TOKEN_HASH = "\u0000wif-param:token_hash";

/** The lookup, built and compiled once per database: building a Kysely query costs more than running it (prepared-query.ts). */
function buildLookup(db: Kysely<Database>) {
  return db
    .selectFrom("access_tokens as t")
    .leftJoin("service_accounts as s", "s.id", "t.service_account_id")
    .leftJoin("federation_rules as r", "r.id", "t.federation_rule_id")
    .leftJoin("workspaces as w", "w.id", "t.workspace_id")
    .select((eb) => [
      "t.id",
      "t.organization_id",
      "t.service_account_id",
      "t.workspace_id",
      "t.scope",
      "t.federation_rule_id",
      "t.expires_at",
      "t.subject",
      "s.id as sa_id",
      "s.name as sa_name",
      "s.organization_role",
      "s.archived_at as sa_archived_at",
      "r.id as rule_id",
      "r.archived_at as rule_archived_at",
      "r.oauth_scope as rule_scope",
      "r.service_account_id as rule_service_account_id",
      "w.id as ws_id",
      "w.archived_at as ws_archived_at",
      // As the exchange resolves them (exchange-store.ts): all workspaces, the rule's own, or its list.
      eb
        .or([
          eb("r.applies_to_all_workspaces", "=", 1),
          eb("r.workspace_id", "=", eb.ref("t.workspace_id")),
          eb.exists(eb.selectFrom("federation_rule_workspaces as rw").select("rw.workspace_id").whereRef("rw.federation_rule_id", "=", "t.federation_rule_id").whereRef("rw.workspace_id", "=", "t.workspace_id")),
        ])
        .as("rule_covers_workspace"),
      eb
        .or([
          eb("w.is_default", "=", 1),
          eb.exists(eb.selectFrom("service_account_workspaces as m").select("m.workspace_id").whereRef("m.service_account_id", "=", "t.service_account_id").whereRef("m.workspace_id", "=", "t.workspace_id")),
        ])
        .as("member"),
    ])
    .where("t.token_hash", "=", TOKEN_HASH)
    .compile();
}

type Lookup = ReturnType<typeof buildLookup>;
const lookups = new WeakMap<Kysely<Database>, Lookup>();

/** The token whose hash is `tokenHash` and the state of its grant, or undefined. */
export async function readAccessTokenGrant(db: Kysely<Database>, tokenHash: string): Promise<AccessTokenGrant | undefined> {
  let lookup = lookups.get(db);
  if (!lookup) {
    lookup = buildLookup(db);
    lookups.set(db, lookup);
  }
  const bound: Lookup = { ...lookup, parameters: lookup.parameters.map((p) => (p === TOKEN_HASH ? tokenHash : p)) };
  const { rows } = await db.executeQuery(bound);
  const row = rows[0];
  if (!row) return undefined;
  return {
    id: row.id,
    organizationId: row.organization_id,
    workspaceId: row.workspace_id,
    ruleId: row.federation_rule_id,
    subject: row.subject,
    serviceAccountName: row.sa_name,
    expiresAt: row.expires_at,
    scope: row.scope,
    serviceAccountId: row.service_account_id,
    // A service account row always has a role; the left join types it nullable.
    serviceAccount: row.sa_id === null ? null : { archived: row.sa_archived_at !== null, organizationRole: row.organization_role ?? "developer" },
    // PostgreSQL answers booleans, SQLite 0/1.
    rule: row.rule_id === null ? null : { archived: row.rule_archived_at !== null, scope: row.rule_scope ?? "", serviceAccountId: row.rule_service_account_id ?? "", coversWorkspace: Boolean(row.rule_covers_workspace) },
    workspace: row.ws_id === null ? null : { archived: row.ws_archived_at !== null, member: Boolean(row.member) },
  };
}
