/** Seeds a running server through its Admin API: the issuer, service account and rule a bench or script exchanges against. */

import type { DatabaseKind } from "../e2e/support/test-server";
import type { AdminContext } from "../lib/services/context";

/**
 * A fresh test database holding the organisation and a system admin key, written before any
 * server opens it; with `federation`, also `seedFederation`'s issuer, service account and rule
 * (through the services, as the system), for a bench that copies the database before it starts
 * its servers. Call it after "register-server-only" is loaded: the modules come in lazily.
 */
export async function createBenchDatabase(
  kind: DatabaseKind,
  federation?: SeedOptions,
): Promise<{ url: string; drop(): Promise<void>; organizationId: string; adminKey: string; ruleId: string | undefined }> {
  const { createAdminKey } = await import("../lib/services/api-keys");
  const { ensureOrganization } = await import("../lib/services/organization");
  const { openStore } = await import("../lib/store/db");
  const { createTestDatabase } = await import("../e2e/support/test-server");
  const database = await createTestDatabase(kind);
  const store = await openStore(kind === "sqlite" ? { kind, file: database.url.slice("file:".length) } : { kind, url: database.url });
  const org = await ensureOrganization(store.db);
  const { key: adminKey } = await createAdminKey(store.db, org.id, "bench", { type: "system" });
  const ctx = { db: store.db, principal: { kind: "system" as const, organizationId: org.id, label: "bench" }, requestId: null, config: { allowInsecureIssuers: false, defaultAudience: "https://api.anthropic.com" } };
  const ruleId = federation && (await seedFederation(await inProcessAdmin(ctx), federation)).ruleId;
  await store.close();
  return { ...database, organizationId: org.id, adminKey, ruleId };
}

/** POST to the organisation's Admin API with an admin key; throws with the reply on any non-2xx. */
export type AdminPost = (path: string, body: unknown) => Promise<{ id: string }>;

export function adminPost(baseUrl: string, adminKey: string): AdminPost {
  return async (path, body) => {
    const res = await fetch(`${baseUrl}/v1/organizations${path}`, { method: "POST", headers: { authorization: `Bearer ${adminKey}`, "content-type": "application/json" }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as { id: string };
  };
}

/** The Admin API's create operations that `seedFederation` posts to, called in this process as `ctx`'s principal. */
async function inProcessAdmin(ctx: AdminContext): Promise<AdminPost> {
  const { createIssuer } = await import("../lib/services/issuers");
  const { createServiceAccount } = await import("../lib/services/service-accounts");
  const { createRule } = await import("../lib/services/rules");
  const create: Record<string, (ctx: AdminContext, body: unknown) => Promise<{ id: string }>> = {
    "/federation_issuers": createIssuer,
    "/service_accounts": createServiceAccount,
    "/federation_rules": createRule,
  };
  return (path, body) => create[path]!(ctx, body);
}

export interface SeedOptions {
  /** Name of the issuer, service account and rule alike. */
  name: string;
  /** The issuer's fields beyond its name (issuer_url, jwks, limits). */
  issuer: Record<string, unknown>;
  /** The rule's match block. */
  match: Record<string, unknown>;
  oauthScope: string;
}

/** One issuer, one service account and one rule targeting it, in the default workspace. */
export async function seedFederation(admin: AdminPost, o: SeedOptions): Promise<{ issuerId: string; serviceAccountId: string; ruleId: string }> {
  const issuer = await admin("/federation_issuers", { name: o.name, ...o.issuer });
  const account = await admin("/service_accounts", { name: o.name });
  const rule = await admin("/federation_rules", {
    name: o.name,
    issuer_id: issuer.id,
    match: o.match,
    target: { type: "service_account", service_account_id: account.id },
    oauth_scope: o.oauthScope,
    workspace_id: "default",
  });
  return { issuerId: issuer.id, serviceAccountId: account.id, ruleId: rule.id };
}
