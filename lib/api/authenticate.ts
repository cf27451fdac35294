/**
 * One authentication layer for `/v1`: API keys, admin keys and federated access tokens,
 * sent as `Authorization: Bearer …` (current SDKs) or `x-api-key` (older clients, curl).
 * Only hashes are stored; lookups are by hash.
 */
import type { Kysely } from "kysely";
import type { Principal } from "../services/context";
import { unauthenticated } from "../core/errors";
import { effectiveScopes } from "../core/scopes";
import { hashSecret, secretKind } from "../core/secrets";
import type { Database } from "../store/schema";

/** The credential a request presents, or undefined. A malformed Authorization header counts as none. */
export function presentedCredential(headers: { get(name: string): string | null | undefined }): string | undefined {
  const auth = headers.get("authorization");
  if (auth) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    return m?.[1];
  }
  return headers.get("x-api-key")?.trim() || undefined;
}

/**
 * Resolve a credential to a principal, or throw 401. Access tokens carry the rule's scope
 * intersected with the service account's current role: a service account demoted from
 * admin loses `org:admin` at once, and an archived one loses everything.
 */
export async function authenticate(db: Kysely<Database>, credential: string | undefined, now = new Date()): Promise<Principal> {
  if (!credential) throw unauthenticated("Missing credentials: send Authorization: Bearer <key or token>, or x-api-key");
  const kind = secretKind(credential);
  if (!kind || credential.length > 256) throw unauthenticated("Invalid credentials");
  const hash = hashSecret(credential);
  const nowIso = now.toISOString();

  if (kind === "access") {
    const row = await db
      .selectFrom("access_tokens as t")
      .innerJoin("service_accounts as s", "s.id", "t.service_account_id")
      .select(["t.id", "t.organization_id", "t.service_account_id", "t.workspace_id", "t.scope", "t.federation_rule_id", "t.expires_at", "t.subject", "s.organization_role", "s.archived_at", "s.name"])
      .where("t.token_hash", "=", hash)
      .executeTakeFirst();
    if (!row || row.expires_at <= nowIso) throw unauthenticated("Invalid or expired access token");
    if (row.archived_at) throw unauthenticated("The service account of this token is archived");
    const scopes = effectiveScopes(row.scope, row.organization_role);
    return {
      kind: "access_token",
      id: row.id,
      organizationId: row.organization_id,
      serviceAccountId: row.service_account_id,
      workspaceId: row.workspace_id,
      scopes,
      ruleId: row.federation_rule_id,
      label: `${row.name} (${row.subject})`,
    };
  }

  const key = await db.selectFrom("api_keys").selectAll().where("key_hash", "=", hash).executeTakeFirst();
  if (!key || key.status !== "active" || (key.expires_at !== null && key.expires_at <= nowIso)) throw unauthenticated("Invalid API key");
  // An admin key presented with an api03 prefix (or the reverse) is a forged credential.
  if ((kind === "admin") !== (key.kind === "admin")) throw unauthenticated("Invalid API key");
  if (key.kind === "admin") return { kind: "admin_key", id: key.id, organizationId: key.organization_id, label: key.name };
  return { kind: "api_key", id: key.id, organizationId: key.organization_id, workspaceId: key.workspace_id, serviceAccountId: key.service_account_id, label: key.name };
}
