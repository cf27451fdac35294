/**
 * One authentication layer for `/v1`: API keys, admin keys and federated access tokens,
 * sent as `Authorization: Bearer …` (current SDKs) or `x-api-key` (older clients, curl).
 * Only hashes are stored; lookups are by hash, each a statement prepared once per store (every
 * gateway request runs one).
 */
import type { Kysely } from "kysely";
import type { Principal } from "../services/context";
import { accessTokenRevocation } from "../core/access-token-standing";
import { unauthenticated } from "../core/errors";
import { hashSecret, secretKind } from "../core/secrets";
import { readAccessTokenGrant } from "../store/access-token-grants";
import type { Store } from "../store/db";
import { PreparedQuery, type Params } from "../store/prepared-query";
import type { Database } from "../store/schema";

const keyLookup = (db: Kysely<Database>, p: Params<{ hash: string }>) => db.selectFrom("api_keys").selectAll().where("key_hash", "=", p.hash);
const keyLookups = new WeakMap<Store, PreparedQuery<{ hash: string }, Awaited<ReturnType<ReturnType<typeof keyLookup>["executeTakeFirstOrThrow"]>>>>();

function findKey(store: Store, hash: string) {
  let lookup = keyLookups.get(store);
  if (!lookup) keyLookups.set(store, (lookup = new PreparedQuery(store, keyLookup)));
  return lookup.first({ hash });
}

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
 * Resolve a credential to a principal, or throw 401. An access token stands only while the
 * grant it came from would still be given (lib/core/access-token-standing.ts): archiving its
 * rule, workspace or service account, demoting the account below its scope or removing it from
 * the workspace refuses it at its next use, on every instance.
 */
export async function authenticate(store: Store, credential: string | undefined, now = new Date()): Promise<Principal> {
  if (!credential) throw unauthenticated("Missing credentials: send Authorization: Bearer <key or token>, or x-api-key");
  const kind = secretKind(credential);
  if (!kind || credential.length > 256) throw unauthenticated("Invalid credentials");
  const hash = hashSecret(credential);
  const nowIso = now.toISOString();

  if (kind === "access") {
    const grant = await readAccessTokenGrant(store, hash);
    if (!grant) throw unauthenticated("Invalid or expired access token");
    const revoked = accessTokenRevocation(grant, nowIso);
    if (revoked) throw unauthenticated(revoked);
    return {
      kind: "access_token",
      id: grant.id,
      organizationId: grant.organizationId,
      serviceAccountId: grant.serviceAccountId,
      workspaceId: grant.workspaceId,
      scopes: new Set(grant.scope.split(" ")),
      ruleId: grant.ruleId,
      label: `${grant.serviceAccountName} (${grant.subject})`,
    };
  }

  const key = await findKey(store, hash);
  if (!key || key.status !== "active" || (key.expires_at !== null && key.expires_at <= nowIso)) throw unauthenticated("Invalid API key");
  // An admin key presented with an api03 prefix (or the reverse) is a forged credential.
  if ((kind === "admin") !== (key.kind === "admin")) throw unauthenticated("Invalid API key");
  if (key.kind === "admin") return { kind: "admin_key", id: key.id, organizationId: key.organization_id, label: key.name };
  return { kind: "api_key", id: key.id, organizationId: key.organization_id, workspaceId: key.workspace_id, serviceAccountId: key.service_account_id, label: key.name };
}
