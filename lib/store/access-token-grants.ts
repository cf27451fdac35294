/**
 * An access token with the current state of what granted it — its service account, rule and
 * workspace, the rule's workspaces and the account's membership — in one query by the token's
 * hash (every join and subquery is a primary-key lookup). lib/core/access-token-standing.ts
 * decides from it whether the token still stands. Prepared once per store: every gateway and
 * Admin API request with a token runs it, and on SQLite a prepared statement costs a fraction
 * of Kysely's per-call prepare (prepared-query.ts; measured in the gateway bench's profile).
 */
import type { Kysely } from "kysely";
import type { AccessTokenGrantState } from "../core/access-token-standing";
import type { Store } from "./db";
import { PreparedQuery, type Params } from "./prepared-query";
import type { Database } from "./schema";

export interface AccessTokenGrant extends AccessTokenGrantState {
  id: string;
  organizationId: string;
  workspaceId: string;
  ruleId: string;
  subject: string;
  serviceAccountName: string | null;
}

/** The lookup, written once with Kysely. */
function buildLookup(db: Kysely<Database>, tokenHash: string) {
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
    .where("t.token_hash", "=", tokenHash);
}

type LookupRow = Awaited<ReturnType<ReturnType<typeof buildLookup>["executeTakeFirstOrThrow"]>>;
const lookups = new WeakMap<Store, PreparedQuery<{ tokenHash: string }, LookupRow>>();

/** The token whose hash is `tokenHash` and the state of its grant, or undefined. */
export async function readAccessTokenGrant(store: Store, tokenHash: string): Promise<AccessTokenGrant | undefined> {
  let lookup = lookups.get(store);
  if (!lookup) {
    lookup = new PreparedQuery(store, (db, p: Params<{ tokenHash: string }>) => buildLookup(db, p.tokenHash));
    lookups.set(store, lookup);
  }
  const row = await lookup.first({ tokenHash });
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
