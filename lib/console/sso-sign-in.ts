/**
 * Signing in with an OIDC provider (authorization code + PKCE, `state` and `nonce`; the
 * discovery, token request and ID-token validation are openid-client's). The start sets a
 * short-lived cookie holding the flow's secrets sealed with lib/core/secret-box.ts; the
 * callback opens it, refuses a `state` that does not match it or was seen before, lets the
 * library check the code, the ID token's signature, issuer, audience, expiry and nonce,
 * then maps the person's role with the provider's mappings (lib/core/role-mapping.ts),
 * creates them on first sign-in, and starts a new session.
 * @see docs/security.md#console-single-sign-on
 */
import "server-only";
import { createHash } from "node:crypto";
import type { Kysely } from "kysely";
import * as oidc from "openid-client";
import { ApiError } from "../core/errors";
import { newId } from "../core/ids";
import { decideRole, type SsoRole } from "../core/role-mapping";
import { openSecret, SecretUnreadable, sealSecret, type SecretKeyring } from "../core/secret-box";
import type { Claims } from "../core/types";
import { recordAudit } from "../services/audit";
import type { Principal } from "../services/context";
import { rateLimitKey } from "../services/forwarded";
import { countAttempt, createAttemptLimiter, limitersPerStore } from "../services/rate-limit";
import { loadProviderForSignIn, type SsoProviderForSignIn } from "../services/sso-providers";
import type { Store } from "../store/db";
import { isUniqueViolation } from "../store/paginate";
import type { Database } from "../store/schema";
import type { OutboundProxyConfig } from "../config";
import { guardedFetch } from "../jwks/safe-fetch";
import { logger } from "../observability/log";
import { safeReturnPath } from "./request";
import { createSession, deleteUserSessions, pruneExpiredSessions, type SessionUser } from "./session";
import type { SignedIn, SignInClient } from "./sign-in";

/** The flow's cookie: HttpOnly, SameSite=Lax (the provider's redirect back is a cross-site top-level GET), 10 minutes. */
export const SSO_COOKIE = "wif_sso";
export const SSO_FLOW_TTL_MS = 10 * 60 * 1000;
export const SSO_CALLBACK_PATH = "/auth/sso/callback";
const COOKIE_AAD = "wif-sso-flow";
/** Users created by single sign-on have no password; no password matches this. */
export const NO_PASSWORD = "!sso";

export const SSO_LIMITS = { callbacksPerClient: 30, windowSeconds: 15 * 60 } as const;

/**
 * Why a single sign-on failed: one code per cause, shown on the sign-in page
 * (`/login?sso_error=…`) by SSO_FAILURE_MESSAGES and written to the audit log.
 */
export type SsoFailure =
  | "flow_missing"
  | "state_mismatch"
  | "state_replayed"
  | "provider_error"
  | "token_invalid"
  | "provider_unreachable"
  | "email_missing"
  | "domain_not_allowed"
  | "email_taken"
  | "no_role"
  | "user_disabled"
  | "too_many_attempts";

export const SSO_FAILURE_MESSAGES: Record<SsoFailure, string> = {
  flow_missing: "The single sign-on took too long or was started in another browser. Start again.",
  state_mismatch: "The provider's answer did not belong to this sign-in, so it was refused. Start again.",
  state_replayed: "This sign-in answer was already used, so it was refused. Start again.",
  provider_error: "The identity provider did not sign you in. Start again, or ask an owner to check the provider's settings.",
  token_invalid: "The identity provider's answer did not pass validation, so it was refused. Ask an owner to check the provider's settings.",
  provider_unreachable: "The identity provider could not be reached. Try again in a moment.",
  email_missing: "The identity provider did not send your email address. Ask an owner to add the email scope.",
  domain_not_allowed: "Your email domain is not allowed to sign in with this provider.",
  email_taken: "A local account already uses your email address. Ask an owner to remove it or sign in with its password.",
  no_role: "Your account at the identity provider does not match any of this console's role mappings, so you cannot sign in. Ask an owner for access.",
  user_disabled: "Your console account is disabled. Ask an owner.",
  too_many_attempts: "Too many single sign-on attempts from your address. Wait a few minutes and start again.",
};

export const isSsoFailure = (v: unknown): v is SsoFailure => typeof v === "string" && Object.hasOwn(SSO_FAILURE_MESSAGES, v);

export class SsoSignInFailed extends Error {
  constructor(
    readonly reason: SsoFailure,
    /** What went wrong in detail, for the audit log only (never a token or secret). */
    readonly detail?: string,
  ) {
    super(reason);
  }
}

/** What the sign-in flow needs: the store, the key that seals the cookie, where we are reachable. */
export interface SsoDeps {
  store: Store;
  secrets: SecretKeyring;
  organizationId: string;
  /** The console's public base URL; the redirect URI is `<publicUrl>/auth/sso/callback`. */
  publicUrl: string;
  /** WIF_ALLOW_INSECURE_ISSUERS: plain-http providers (loopback tests) are allowed. */
  allowInsecure: boolean;
  /** The outbound proxy (HTTPS_PROXY…), for the provider's discovery, keys and token endpoint. */
  proxy?: OutboundProxyConfig | undefined;
}

interface Flow {
  /** provider id, state, nonce, PKCE verifier, return path, expiry (epoch ms) */
  p: string;
  s: string;
  n: string;
  v: string;
  r: string;
  e: number;
}

export const redirectUri = (publicUrl: string) => `${publicUrl.replace(/\/+$/, "")}${SSO_CALLBACK_PATH}`;

// Discovery results per provider settings, for a few minutes: a sign-in costs no metadata fetch.
const DISCOVERY_TTL_MS = 5 * 60 * 1000;
const discovered = new Map<string, { at: number; config: Promise<oidc.Configuration> }>();

function clientConfig(provider: SsoProviderForSignIn, deps: Pick<SsoDeps, "allowInsecure" | "proxy">, now = Date.now()): Promise<oidc.Configuration> {
  const { allowInsecure } = deps;
  const key = createHash("sha256").update(JSON.stringify([provider.issuerUrl, provider.clientId, provider.clientSecret ?? "", allowInsecure, deps.proxy ?? null])).digest("hex");
  const hit = discovered.get(key);
  if (hit && now - hit.at < DISCOVERY_TTL_MS) return hit.config;
  const auth = provider.clientSecret ? oidc.ClientSecretBasic(provider.clientSecret) : oidc.None();
  const config = oidc.discovery(new URL(provider.issuerUrl), provider.clientId, undefined, auth, {
    // The OIDC spec lets a client trust the token endpoint's TLS instead of the ID token's
    // signature, and openid-client does by default; we check the signature against the
    // provider's JWKS as well (and must, over plain http in tests).
    execute: allowInsecure ? [oidc.allowInsecureRequests, oidc.enableNonRepudiationChecks] : [oidc.enableNonRepudiationChecks],
    timeout: 10,
    // Every request of the flow (discovery, keys, token) goes through the same guard as an
    // issuer's key fetch: an owner's typo or a rebinding DNS name cannot reach metadata or
    // internal addresses, redirects are not followed, and the outbound proxy is used.
    [oidc.customFetch]: guardedFetch({ allowInsecureLocal: allowInsecure, proxy: deps.proxy, timeoutMs: 10_000, maxBytes: 512 * 1024 }),
  });
  discovered.set(key, { at: now, config });
  // A failed discovery is not remembered: the next sign-in tries again.
  config.catch(() => discovered.delete(key));
  return config;
}

/** An error's message with its causes' ("something went wrong: … refused: …"): openid-client wraps the guard's refusal. */
function causes(err: unknown): string {
  const messages: string[] = [];
  for (let e = err, depth = 0; e !== undefined && depth < 5; e = (e as { cause?: unknown }).cause, depth++) messages.push(e instanceof Error ? e.message : String(e));
  return messages.join(": ");
}

/** The provider's configuration. The person signing in learns only that it could not be reached; the log says why. */
async function reachProvider(provider: SsoProviderForSignIn, deps: SsoDeps): Promise<oidc.Configuration> {
  try {
    return await clientConfig(provider, deps);
  } catch (err) {
    logger().warn({ sso_provider_id: provider.id, issuer_url: provider.issuerUrl, reason: causes(err) }, "single sign-on: the provider's discovery failed");
    throw new SsoSignInFailed("provider_unreachable");
  }
}

/**
 * Begin signing in with `providerId`: the provider's authorization URL to send the browser
 * to, and the sealed cookie value that must come back with the answer.
 */
export async function startSsoSignIn(deps: SsoDeps, providerId: string, next: unknown): Promise<{ redirectTo: string; cookie: string; expiresAt: Date }> {
  const provider = await loadProviderForSignIn(deps.store.db, deps.secrets, deps.organizationId, providerId);
  if (!provider) throw new ApiError(404, "This single sign-on provider is not configured; go back to the sign-in page");
  const config = await reachProvider(provider, deps);
  const flow: Flow = { p: provider.id, s: oidc.randomState(), n: oidc.randomNonce(), v: oidc.randomPKCECodeVerifier(), r: safeReturnPath(next), e: Date.now() + SSO_FLOW_TTL_MS };
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri(deps.publicUrl),
    scope: provider.scopes,
    state: flow.s,
    nonce: flow.n,
    code_challenge: await oidc.calculatePKCECodeChallenge(flow.v),
    code_challenge_method: "S256",
  });
  return { redirectTo: url.href, cookie: sealSecret(deps.secrets, JSON.stringify(flow), COOKIE_AAD), expiresAt: new Date(flow.e) };
}

function openFlow(secrets: SecretKeyring, cookie: string | undefined, now: number): Flow {
  if (!cookie) throw new SsoSignInFailed("flow_missing", "no flow cookie");
  let flow: Flow;
  try {
    flow = JSON.parse(openSecret(secrets, cookie, COOKIE_AAD)) as Flow;
  } catch (err) {
    throw new SsoSignInFailed("flow_missing", err instanceof SecretUnreadable ? "flow cookie unreadable" : "flow cookie malformed");
  }
  if (typeof flow.e !== "number" || flow.e <= now) throw new SsoSignInFailed("flow_missing", "flow expired");
  return flow;
}

const callbackLimiter = limitersPerStore("wif-console.sso-limiters", (store) =>
  createAttemptLimiter(store, { name: "sso-callback-client", points: SSO_LIMITS.callbacksPerClient, windowSeconds: SSO_LIMITS.windowSeconds }),
);

/** Use `state` once: a second callback with it (a replayed answer) finds it taken. */
async function spendState(db: Kysely<Database>, state: string, expiresAt: number): Promise<void> {
  const now = new Date().toISOString();
  await db.deleteFrom("sso_used_states").where("expires_at", "<=", now).execute();
  try {
    await db.insertInto("sso_used_states").values({ state_hash: createHash("sha256").update(state).digest("hex"), expires_at: new Date(expiresAt).toISOString() }).execute();
  } catch (err) {
    if (isUniqueViolation(err)) throw new SsoSignInFailed("state_replayed");
    throw err;
  }
}

export interface SsoCallback {
  /** The callback's query string, as the provider sent it (`?code=…&state=…`). */
  search: string;
  /** The flow cookie's value. */
  cookie: string | undefined;
}

export type SsoResult = { ok: true; signedIn: SignedIn; returnTo: string } | { ok: false; reason: SsoFailure };

/** Finish a single sign-on. Every outcome is audited; a failure names its reason, never a token. */
export async function completeSsoSignIn(deps: SsoDeps, callback: SsoCallback, client: SignInClient): Promise<SsoResult> {
  const { db } = deps.store;
  const attempt = await countAttempt(callbackLimiter(deps.store), rateLimitKey(client.ip));
  if (!attempt.allowed) return { ok: false, reason: "too_many_attempts" };
  let providerId: string | null = null;
  let subject: string | null = null;
  try {
    const flow = openFlow(deps.secrets, callback.cookie, Date.now());
    providerId = flow.p;
    const params = new URLSearchParams(callback.search);
    if (params.get("state") !== flow.s) throw new SsoSignInFailed("state_mismatch");
    await spendState(db, flow.s, flow.e);
    if (params.has("error")) throw new SsoSignInFailed("provider_error", `${params.get("error")}`.slice(0, 100));
    const provider = await loadProviderForSignIn(db, deps.secrets, deps.organizationId, flow.p);
    if (!provider) throw new SsoSignInFailed("provider_error", "provider removed during sign-in");
    const claims = await redeemCode(deps, provider, flow, callback.search);
    subject = typeof claims.sub === "string" ? claims.sub : null;
    const { user, returnTo } = await admitPerson(deps, provider, claims, flow.r, client);
    await pruneExpiredSessions(db);
    const session = await createSession(db, user.id);
    await recordAudit(db, userActor(user), deps.organizationId, null, {
      action: "user.signed_in",
      targetType: "user",
      targetId: user.id,
      detail: { method: "sso", provider: provider.id, subject, client_ip: client.ip },
    });
    return { ok: true, signedIn: { user, sessionId: session.id, expiresAt: session.expiresAt }, returnTo };
  } catch (err) {
    if (!(err instanceof SsoSignInFailed)) throw err;
    await recordAudit(db, null, deps.organizationId, null, {
      action: "user.sign_in_failed",
      outcome: "failure",
      statusCode: 401,
      detail: { method: "sso", provider: providerId, subject, reason: err.reason, ...(err.detail ? { detail: err.detail } : {}), client_ip: client.ip },
    });
    return { ok: false, reason: err.reason };
  }
}

/** The code for tokens; openid-client checks state, PKCE, and the ID token (signature, iss, aud, exp, nonce). */
async function redeemCode(deps: SsoDeps, provider: SsoProviderForSignIn, flow: Flow, search: string): Promise<Claims> {
  const config = await reachProvider(provider, deps);
  const callbackUrl = redirectUri(deps.publicUrl);
  try {
    const tokens = await oidc.authorizationCodeGrant(
      config,
      new URL(`${callbackUrl}${search.startsWith("?") ? search : `?${search}`}`),
      { pkceCodeVerifier: flow.v, expectedState: flow.s, expectedNonce: flow.n, idTokenExpected: true },
      { redirect_uri: callbackUrl },
    );
    const claims = tokens.claims();
    if (!claims) throw new SsoSignInFailed("token_invalid", "no ID token");
    return claims as Claims;
  } catch (err) {
    if (err instanceof SsoSignInFailed) throw err;
    // The library's message says which check failed (e.g. unexpected "nonce" claim value); it carries no token.
    const message = err instanceof Error ? err.message.slice(0, 200) : "unknown error";
    const unreachable = err instanceof TypeError || (err as { code?: string })?.code === "OAUTH_TIMEOUT";
    throw new SsoSignInFailed(unreachable ? "provider_unreachable" : "token_invalid", message);
  }
}

const userActor = (user: SessionUser): Principal => ({ kind: "user", id: user.id, organizationId: user.organizationId, role: user.role, label: user.email });

/**
 * Who this person is in the console: checks the email and its domain, decides the role from
 * the mappings, then creates the user (first sign-in) or brings their role up to date. A
 * person no mapping admits is refused, and the sessions they already have end.
 */
async function admitPerson(deps: SsoDeps, provider: SsoProviderForSignIn, claims: Claims, returnTo: string, client: SignInClient): Promise<{ user: SessionUser; returnTo: string }> {
  const { db } = deps.store;
  const sub = claims.sub as string;
  const existing = await db.selectFrom("users").selectAll().where("sso_provider_id", "=", provider.id).where("sso_subject", "=", sub).executeTakeFirst();
  const email = typeof claims.email === "string" ? claims.email.trim().toLowerCase() : "";
  if (!email || claims.email_verified === false) throw new SsoSignInFailed("email_missing", claims.email_verified === false ? "email not verified" : undefined);
  const domain = email.slice(email.lastIndexOf("@") + 1);
  if (provider.allowedDomains.length > 0 && !provider.allowedDomains.includes(domain)) throw new SsoSignInFailed("domain_not_allowed", domain);

  const decision = decideRole(provider.mappings, claims, provider.clientId);
  if (!decision.role) {
    if (existing) await deleteUserSessions(db, existing.id);
    throw new SsoSignInFailed("no_role", existing ? "sessions ended" : undefined);
  }
  if (existing?.disabled_at) throw new SsoSignInFailed("user_disabled");
  const name = typeof claims.name === "string" && claims.name.trim() ? claims.name.trim().slice(0, 100) : email;
  const now = new Date().toISOString();
  const system: Principal = { kind: "system", organizationId: deps.organizationId, label: `sso:${provider.id}` };

  if (!existing) {
    const id = newId("user");
    try {
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto("users")
          .values({ id, organization_id: deps.organizationId, email, name, password_hash: NO_PASSWORD, role: decision.role!, created_at: now, updated_at: now, disabled_at: null, sso_provider_id: provider.id, sso_subject: sub })
          .execute();
        await recordAudit(trx, system, deps.organizationId, null, {
          action: "user.created",
          targetType: "user",
          targetId: id,
          detail: { email, role: decision.role, via: "single sign-on", provider: provider.id, subject: sub, mapping: mappingUsed(decision.explanations), client_ip: client.ip },
        });
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new SsoSignInFailed("email_taken");
      throw err;
    }
    return { user: { id, organizationId: deps.organizationId, email, name, role: decision.role }, returnTo };
  }

  const role: SsoRole = decision.role;
  if (existing.role !== role || existing.email !== email || existing.name !== name) {
    try {
      await db.transaction().execute(async (trx) => {
        await trx.updateTable("users").set({ role, email, name, updated_at: now }).where("id", "=", existing.id).execute();
        if (existing.role !== role) {
          await recordAudit(trx, system, deps.organizationId, null, {
            action: "user.role_changed_by_mapping",
            targetType: "user",
            targetId: existing.id,
            detail: { from: existing.role, to: role, provider: provider.id, subject: sub, mapping: mappingUsed(decision.explanations) },
          });
        }
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new SsoSignInFailed("email_taken");
      throw err;
    }
  }
  return { user: { id: existing.id, organizationId: existing.organization_id, email, name, role }, returnTo };
}

const mappingUsed = (explanations: ReturnType<typeof decideRole>["explanations"]) => explanations.length - 1;
