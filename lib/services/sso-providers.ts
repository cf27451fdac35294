/**
 * The OIDC providers the console signs people in with, and the organization's sign-in
 * policy (SSO required for everyone but owners; a second factor required for local
 * accounts). Owners manage both. Client secrets are write-only: sealed with
 * lib/core/secret-box.ts, shown by their last four characters, opened only to redeem a code.
 * Providers from WIF_SSO_PROVIDERS are written at start and are read-only here.
 * @see docs/security.md#console-single-sign-on
 */
import type { Kysely } from "kysely";
import { forbidden, invalidRequest, notFound } from "../core/errors";
import { newId } from "../core/ids";
import { decideRole, type RoleDecision, type RoleMapping } from "../core/role-mapping";
import { lastFour, openSecret, sealSecret, type SecretKeyring } from "../core/secret-box";
import { environmentSsoProviders, mappingTrialInput, signInPolicyInput, ssoProviderInput, type EnvironmentSsoProvider, type SsoProviderDto } from "../schemas/sso";
import type { Db } from "../store/db";
import type { Database, SsoProvidersTable } from "../store/schema";
import { resolvedHostRefusal } from "../jwks/safe-fetch";
import { auditChange, recordAudit } from "./audit";
import type { AdminContext } from "./context";
import { parseInput } from "./parse";

export type { SsoProviderDto };

export type SsoContext = AdminContext & { secrets: SecretKeyring };

/** What the sign-in page shows: a button per provider. */
export interface SignInOption {
  id: string;
  name: string;
}

/** A provider with its secret opened, for the sign-in flow only. */
export interface SsoProviderForSignIn {
  id: string;
  name: string;
  issuerUrl: string;
  clientId: string;
  clientSecret: string | undefined;
  scopes: string;
  allowedDomains: string[];
  mappings: RoleMapping[];
}

export interface SignInPolicy {
  requireSso: boolean;
  requireSecondFactor: boolean;
}

const POLICY_KEYS = { requireSso: "sign_in.require_sso", requireSecondFactor: "sign_in.require_second_factor" } as const;

/** The sealed secret's additional data: it opens only in the provider row it was stored in. */
const secretAad = (organizationId: string, providerId: string) => `sso_providers:${organizationId}:${providerId}`;

function assertOwner(ctx: AdminContext): void {
  const p = ctx.principal;
  if (p.kind === "system") return;
  if (p.kind !== "user" || p.role !== "owner") throw forbidden("Only owners can change how people sign in to the console");
}

const toDto = (r: SsoProvidersTable): SsoProviderDto => ({
  id: r.id,
  name: r.name,
  issuer_url: r.issuer_url,
  client_id: r.client_id,
  client_secret_last4: r.client_secret_last4,
  scopes: r.scopes,
  allowed_domains: JSON.parse(r.allowed_domains) as string[],
  role_mappings: JSON.parse(r.role_mappings) as RoleMapping[],
  source: r.source,
  updated_at: r.updated_at,
});

async function getRow(db: Db, organizationId: string, id: string): Promise<SsoProvidersTable> {
  const row = await db.selectFrom("sso_providers").selectAll().where("organization_id", "=", organizationId).where("id", "=", id).executeTakeFirst();
  if (!row) throw notFound("sso_provider", id);
  return row;
}

export async function listSsoProviders(ctx: AdminContext): Promise<SsoProviderDto[]> {
  assertOwner(ctx);
  const rows = await ctx.db.selectFrom("sso_providers").selectAll().where("organization_id", "=", ctx.principal.organizationId).orderBy("created_at").execute();
  return rows.map(toDto);
}

/** Public: the sign-in page's buttons. Names only. */
export async function listSignInOptions(db: Kysely<Database>, organizationId: string): Promise<SignInOption[]> {
  return db.selectFrom("sso_providers").select(["id", "name"]).where("organization_id", "=", organizationId).orderBy("created_at").execute();
}

/**
 * The provider's address is refused when entered, as an issuer's is (lib/services/issuers.ts):
 * metadata, link-local and reserved addresses never, loopback and private ones only with the
 * development setting. Sign-in fetches through the same guard again at connect time.
 */
async function assertIssuerReachable(ctx: SsoContext, issuerUrl: string): Promise<void> {
  const refusal = await resolvedHostRefusal(issuerUrl, ctx.config.allowInsecureIssuers);
  if (refusal) throw invalidRequest("issuer_url", refusal);
}

export async function createSsoProvider(ctx: SsoContext, input: unknown): Promise<SsoProviderDto> {
  assertOwner(ctx);
  const body = parseInput(ssoProviderInput, input);
  await assertIssuerReachable(ctx, body.issuer_url);
  const orgId = ctx.principal.organizationId;
  const id = newId("ssoProvider");
  const now = new Date().toISOString();
  const secret = body.client_secret ? body.client_secret : undefined;
  const row: SsoProvidersTable = {
    id,
    organization_id: orgId,
    name: body.name,
    issuer_url: body.issuer_url,
    client_id: body.client_id,
    client_secret_sealed: secret ? sealSecret(ctx.secrets, secret, secretAad(orgId, id)) : null,
    client_secret_last4: secret ? lastFour(secret) : null,
    scopes: body.scopes,
    allowed_domains: JSON.stringify(body.allowed_domains),
    role_mappings: JSON.stringify(body.role_mappings),
    source: "console",
    created_at: now,
    updated_at: now,
    updated_by_actor_id: ctx.principal.kind === "user" ? ctx.principal.id : null,
  };
  await ctx.db.transaction().execute(async (trx) => {
    await trx.insertInto("sso_providers").values(row).execute();
    await auditChange(trx, ctx, { action: "sso_provider.created", targetType: "sso_provider", targetId: id, detail: { name: row.name, issuer_url: row.issuer_url, client_id: row.client_id, role_mappings: body.role_mappings } });
  });
  return toDto(row);
}

export async function updateSsoProvider(ctx: SsoContext, id: string, input: unknown): Promise<SsoProviderDto> {
  assertOwner(ctx);
  const body = parseInput(ssoProviderInput, input);
  await assertIssuerReachable(ctx, body.issuer_url);
  const orgId = ctx.principal.organizationId;
  return ctx.db.transaction().execute(async (trx) => {
    const before = await getRow(trx, orgId, id);
    if (before.source === "environment") throw invalidRequest("id", "this provider comes from WIF_SSO_PROVIDERS; change it there and restart");
    const secret = body.client_secret ? body.client_secret : undefined;
    const after: SsoProvidersTable = {
      ...before,
      name: body.name,
      issuer_url: body.issuer_url,
      client_id: body.client_id,
      // An empty secret keeps the stored one: the form never shows it to send it back.
      client_secret_sealed: secret ? sealSecret(ctx.secrets, secret, secretAad(orgId, id)) : before.client_secret_sealed,
      client_secret_last4: secret ? lastFour(secret) : before.client_secret_last4,
      scopes: body.scopes,
      allowed_domains: JSON.stringify(body.allowed_domains),
      role_mappings: JSON.stringify(body.role_mappings),
      updated_at: new Date().toISOString(),
      updated_by_actor_id: ctx.principal.kind === "user" ? ctx.principal.id : null,
    };
    await trx.updateTable("sso_providers").set(after).where("id", "=", id).execute();
    await auditChange(trx, ctx, {
      action: "sso_provider.updated",
      targetType: "sso_provider",
      targetId: id,
      detail: { name: after.name, issuer_url: after.issuer_url, client_id: after.client_id, secret_changed: !!secret, role_mappings: body.role_mappings },
    });
    return toDto(after);
  });
}

export async function deleteSsoProvider(ctx: AdminContext, id: string): Promise<void> {
  assertOwner(ctx);
  await ctx.db.transaction().execute(async (trx) => {
    const row = await getRow(trx, ctx.principal.organizationId, id);
    if (row.source === "environment") throw invalidRequest("id", "this provider comes from WIF_SSO_PROVIDERS; remove it there and restart");
    // Its people can no longer sign in; the sessions they have end now too.
    await trx.deleteFrom("sessions").where("user_id", "in", trx.selectFrom("users").select("id").where("sso_provider_id", "=", id)).execute();
    await trx.deleteFrom("sso_providers").where("id", "=", id).execute();
    await auditChange(trx, ctx, { action: "sso_provider.deleted", targetType: "sso_provider", targetId: id, detail: { name: row.name } });
  });
}

/** Try sample ID-token claims against a provider's mappings (or the ones being edited). */
export async function tryRoleMappings(ctx: AdminContext, id: string | null, input: unknown): Promise<RoleDecision & { client_id: string | null }> {
  assertOwner(ctx);
  const body = parseInput(mappingTrialInput, input);
  const row = id ? await getRow(ctx.db, ctx.principal.organizationId, id) : undefined;
  const mappings = body.role_mappings ?? (row ? (JSON.parse(row.role_mappings) as RoleMapping[]) : []);
  // The ID token's aud is the client ID; a sample without one is taken as addressed to it.
  const clientId = row?.client_id ?? (typeof body.claims.aud === "string" ? body.claims.aud : "");
  const claims = { aud: clientId, ...body.claims };
  return { ...decideRole(mappings, claims, clientId), client_id: row?.client_id ?? null };
}

/** The provider a sign-in starts or finishes with, its secret opened. */
export async function loadProviderForSignIn(db: Kysely<Database>, secrets: SecretKeyring, organizationId: string, id: string): Promise<SsoProviderForSignIn | undefined> {
  const row = await db.selectFrom("sso_providers").selectAll().where("organization_id", "=", organizationId).where("id", "=", id).executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    name: row.name,
    issuerUrl: row.issuer_url,
    clientId: row.client_id,
    clientSecret: row.client_secret_sealed ? openSecret(secrets, row.client_secret_sealed, secretAad(organizationId, row.id)) : undefined,
    scopes: row.scopes,
    allowedDomains: JSON.parse(row.allowed_domains) as string[],
    mappings: JSON.parse(row.role_mappings) as RoleMapping[],
  };
}

export async function getSignInPolicy(db: Db): Promise<SignInPolicy> {
  const rows = await db.selectFrom("settings").select(["key", "value"]).where("key", "in", Object.values(POLICY_KEYS)).execute();
  const on = (key: string) => rows.some((r) => r.key === key && r.value === "1");
  return { requireSso: on(POLICY_KEYS.requireSso), requireSecondFactor: on(POLICY_KEYS.requireSecondFactor) };
}

export async function setSignInPolicy(ctx: AdminContext, input: unknown): Promise<SignInPolicy> {
  assertOwner(ctx);
  const body = parseInput(signInPolicyInput, input);
  const now = new Date().toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    const before = await getSignInPolicy(trx);
    if (body.require_sso && !(await trx.selectFrom("sso_providers").select("id").where("organization_id", "=", ctx.principal.organizationId).executeTakeFirst())) {
      throw invalidRequest("require_sso", "add a single sign-on provider first; otherwise only owners could sign in");
    }
    for (const [key, on] of [
      [POLICY_KEYS.requireSso, body.require_sso],
      [POLICY_KEYS.requireSecondFactor, body.require_second_factor],
    ] as const) {
      await trx.deleteFrom("settings").where("key", "=", key).execute();
      await trx.insertInto("settings").values({ key, value: on ? "1" : "0", updated_at: now }).execute();
    }
    if (body.require_sso && !before.requireSso) {
      // Password sessions of people who must now use SSO end here, not at their 12-hour expiry.
      const local = trx.selectFrom("users").select("id").where("organization_id", "=", ctx.principal.organizationId).where("sso_provider_id", "is", null).where("role", "!=", "owner");
      await trx.deleteFrom("sessions").where("user_id", "in", local).execute();
    }
    const after = { requireSso: body.require_sso, requireSecondFactor: body.require_second_factor };
    await auditChange(trx, ctx, { action: "sign_in_policy.updated", targetType: "organization", targetId: ctx.principal.organizationId, detail: { before, after } });
    return after;
  });
}

/**
 * Write WIF_SSO_PROVIDERS into the providers table at start: each by its configured id
 * (`ssop_env_<id>`), replaced whole, so the environment stays the only place to change it;
 * environment providers no longer listed are removed.
 */
export async function syncEnvironmentProviders(db: Kysely<Database>, secrets: SecretKeyring, organizationId: string, configured: unknown[]): Promise<void> {
  const parsed = environmentSsoProviders.safeParse(configured);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`Invalid configuration:\n  WIF_SSO_PROVIDERS.${issue.path.join(".")}: ${issue.message}`);
  }
  const now = new Date().toISOString();
  await db.transaction().execute(async (trx) => {
    const ids = parsed.data.map((p) => `ssop_env_${p.id}`);
    const stale = await trx.selectFrom("sso_providers").select(["id", "name"]).where("source", "=", "environment").where("organization_id", "=", organizationId).execute();
    for (const row of stale.filter((r) => !ids.includes(r.id))) await trx.deleteFrom("sso_providers").where("id", "=", row.id).execute();
    for (const p of parsed.data) await upsertEnvironmentProvider(trx, secrets, organizationId, p, now);
    if (parsed.data.length > 0 || stale.length > 0) {
      await recordAudit(trx, { kind: "system", organizationId, label: "WIF_SSO_PROVIDERS" }, organizationId, null, {
        action: "sso_provider.configured_from_environment",
        detail: { providers: parsed.data.map((p) => p.id) },
      });
    }
  });
}

async function upsertEnvironmentProvider(trx: Db, secrets: SecretKeyring, organizationId: string, p: EnvironmentSsoProvider, now: string): Promise<void> {
  const id = `ssop_env_${p.id}`;
  const existing = await trx.selectFrom("sso_providers").select(["created_at"]).where("id", "=", id).executeTakeFirst();
  await trx.deleteFrom("sso_providers").where("id", "=", id).execute();
  await trx
    .insertInto("sso_providers")
    .values({
      id,
      organization_id: organizationId,
      name: p.name,
      issuer_url: p.issuer_url,
      client_id: p.client_id,
      client_secret_sealed: p.client_secret ? sealSecret(secrets, p.client_secret, secretAad(organizationId, id)) : null,
      client_secret_last4: p.client_secret ? lastFour(p.client_secret) : null,
      scopes: p.scopes,
      allowed_domains: JSON.stringify(p.allowed_domains),
      role_mappings: JSON.stringify(p.role_mappings),
      source: "environment",
      created_at: existing?.created_at ?? now,
      updated_at: now,
      updated_by_actor_id: null,
    })
    .execute();
}
