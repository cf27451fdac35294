/**
 * What the token exchange reads and writes. A granted exchange stores the consumed `jti`,
 * the access token's hash and the history row in ONE transaction, so a token returned to a
 * client always exists together with its history entry, and a `jti` is single-use across
 * restarts and across instances sharing PostgreSQL (the primary key decides).
 */
import type { Kysely } from "kysely";
import type { ExchangeDeps, ExchangeGrant, RuleContext, WorkspaceRef } from "../federation/exchange";
import { newId } from "../federation/ids";
import { hashSecret, mintSecret } from "../federation/secrets";
import type { Claims, JwksConfig, RuleMatch } from "../federation/types";
import { isUniqueViolation } from "./paginate";
import type { Database } from "./schema";

/** Claims kept in the history are capped; a larger set keeps only the registered claims. */
const MAX_CLAIMS_JSON = 8 * 1024;
const REGISTERED = ["iss", "sub", "aud", "exp", "nbf", "iat", "jti"];

export function historyClaims(claims: Claims | undefined): string | null {
  if (!claims) return null;
  const full = JSON.stringify(claims);
  if (full.length <= MAX_CLAIMS_JSON) return full;
  const kept: Claims = { _truncated: true };
  for (const k of REGISTERED) if (k in claims) kept[k] = claims[k];
  return JSON.stringify(kept).slice(0, MAX_CLAIMS_JSON);
}

const toWorkspaceRef = (w: { id: string; is_default: number; archived_at: string | null }): WorkspaceRef => ({
  id: w.id,
  isDefault: w.is_default === 1,
  archived: w.archived_at !== null,
});

/** The store-backed half of `ExchangeDeps` for one organization. */
export function exchangeReads(db: Kysely<Database>, organizationId: string): Pick<ExchangeDeps, "loadRule" | "jtiUsed" | "findWorkspace" | "enabledWorkspaces" | "isMember"> {
  return {
    async loadRule(ruleId): Promise<RuleContext | undefined> {
      const row = await db
        .selectFrom("federation_rules as r")
        .innerJoin("federation_issuers as i", "i.id", "r.issuer_id")
        .innerJoin("service_accounts as s", "s.id", "r.service_account_id")
        .select([
          "r.id as rule_id",
          "r.organization_id",
          "r.match",
          "r.service_account_id",
          "r.oauth_scope",
          "r.token_lifetime_seconds",
          "r.workspace_id",
          "r.applies_to_all_workspaces",
          "r.archived_at as rule_archived_at",
          "i.id as issuer_id",
          "i.issuer_url",
          "i.jwks",
          "i.check_jti",
          "i.max_jwt_lifetime_seconds",
          "i.archived_at as issuer_archived_at",
          "s.organization_role",
          "s.archived_at as sa_archived_at",
        ])
        .where("r.id", "=", ruleId)
        .executeTakeFirst();
      if (!row) return undefined;
      const workspaceIds = await db.selectFrom("federation_rule_workspaces").select("workspace_id").where("federation_rule_id", "=", ruleId).execute();
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
          workspace_ids: workspaceIds.map((w) => w.workspace_id),
          applies_to_all_workspaces: row.applies_to_all_workspaces === 1,
          archived_at: row.rule_archived_at,
        },
        issuer: {
          id: row.issuer_id,
          issuer_url: row.issuer_url,
          jwks: JSON.parse(row.jwks) as JwksConfig,
          check_jti: row.check_jti === 1,
          max_jwt_lifetime_seconds: row.max_jwt_lifetime_seconds,
          archived_at: row.issuer_archived_at,
        },
        serviceAccount: { id: row.service_account_id, organizationRole: row.organization_role, archived: row.sa_archived_at !== null },
      };
    },

    async jtiUsed(issuerId, jti) {
      const row = await db.selectFrom("used_jtis").select("jti").where("issuer_id", "=", issuerId).where("jti", "=", jti).executeTakeFirst();
      return row !== undefined;
    },

    async findWorkspace(ref) {
      const q = db.selectFrom("workspaces").select(["id", "is_default", "archived_at"]).where("organization_id", "=", organizationId);
      const row = await (ref === "default" ? q.where("is_default", "=", 1) : q.where("id", "=", ref)).executeTakeFirst();
      return row && toWorkspaceRef(row);
    },

    async enabledWorkspaces(rule) {
      let q = db.selectFrom("workspaces").select(["id", "is_default", "archived_at"]).where("organization_id", "=", organizationId);
      if (!rule.applies_to_all_workspaces) {
        const ids = [...new Set([...rule.workspace_ids, ...(rule.workspace_id ? [rule.workspace_id] : [])])];
        if (ids.length === 0) return [];
        q = q.where("id", "in", ids);
      }
      return (await q.execute()).map(toWorkspaceRef);
    },

    async isMember(serviceAccountId, workspace) {
      if (workspace.isDefault) return true;
      const row = await db
        .selectFrom("service_account_workspaces")
        .select("workspace_id")
        .where("service_account_id", "=", serviceAccountId)
        .where("workspace_id", "=", workspace.id)
        .executeTakeFirst();
      return row !== undefined;
    },
  };
}

export interface ExchangeAttempt {
  organizationId: string;
  requestId: string;
  clientIp: string | null;
}

export interface DenialRecord extends ExchangeAttempt {
  reason: string;
  detail: string;
  ruleId: string | null;
  issuerId: string | null;
  serviceAccountId: string | null;
  claims: Claims | undefined;
  claimsVerified: boolean;
}

export async function recordDenial(db: Kysely<Database>, d: DenialRecord): Promise<void> {
  await db
    .insertInto("auth_events")
    .values({
      id: newId("authEvent"),
      organization_id: d.organizationId,
      occurred_at: new Date().toISOString(),
      request_id: d.requestId,
      outcome: "denied",
      reason: d.reason,
      detail: d.detail.slice(0, 2000),
      federation_rule_id: d.ruleId,
      issuer_id: d.issuerId,
      service_account_id: d.serviceAccountId,
      workspace_id: null,
      subject: typeof d.claims?.sub === "string" ? d.claims.sub.slice(0, 1024) : null,
      claims: historyClaims(d.claims),
      claims_verified: d.claimsVerified ? 1 : 0,
      access_token_id: null,
      client_ip: d.clientIp,
    })
    .execute();
}

/** Thrown when another exchange consumed the same `jti` between the check and the commit. */
export class JtiRace extends Error {}

/**
 * Persist a grant: consume the `jti`, store the token's hash, write the history row — all
 * or nothing. Returns the access token (the only time it exists in clear).
 */
export async function persistGrant(db: Kysely<Database>, grant: ExchangeGrant, attempt: ExchangeAttempt, nowMs = Date.now()): Promise<string> {
  const token = mintSecret("access");
  const tokenId = newId("accessToken");
  const createdAt = new Date(nowMs).toISOString();
  try {
    await db.transaction().execute(async (trx) => {
      if (grant.jti) {
        // Kept past the assertion's expiry plus the verifier's leeway, so it can never be replayed.
        const expiresAt = new Date((grant.jti.expiresAt + 120) * 1000).toISOString();
        await trx.insertInto("used_jtis").values({ issuer_id: grant.issuer.id, jti: grant.jti.value, expires_at: expiresAt }).execute();
      }
      await trx
        .insertInto("access_tokens")
        .values({
          id: tokenId,
          token_hash: hashSecret(token),
          organization_id: attempt.organizationId,
          federation_rule_id: grant.rule.id,
          service_account_id: grant.serviceAccountId,
          workspace_id: grant.workspaceId,
          scope: grant.scope,
          subject: grant.subject.slice(0, 1024),
          request_id: attempt.requestId,
          created_at: createdAt,
          expires_at: new Date(nowMs + grant.expiresIn * 1000).toISOString(),
        })
        .execute();
      await trx
        .insertInto("auth_events")
        .values({
          id: newId("authEvent"),
          organization_id: attempt.organizationId,
          occurred_at: createdAt,
          request_id: attempt.requestId,
          outcome: "granted",
          reason: null,
          detail: `granted ${grant.scope} for ${grant.expiresIn}s in ${grant.workspaceId}`,
          federation_rule_id: grant.rule.id,
          issuer_id: grant.issuer.id,
          service_account_id: grant.serviceAccountId,
          workspace_id: grant.workspaceId,
          subject: grant.subject.slice(0, 1024),
          claims: historyClaims(grant.claims),
          claims_verified: 1,
          access_token_id: tokenId,
          client_ip: attempt.clientIp,
        })
        .execute();
    });
  } catch (err) {
    if (grant.jti && isUniqueViolation(err)) throw new JtiRace();
    throw err;
  }
  return token;
}

/** Delete used `jti`s and access tokens whose lifetime is over. */
export async function pruneExpired(db: Kysely<Database>, now = new Date()): Promise<void> {
  const iso = now.toISOString();
  await db.deleteFrom("used_jtis").where("expires_at", "<", iso).execute();
  await db.deleteFrom("access_tokens").where("expires_at", "<", iso).execute();
}
