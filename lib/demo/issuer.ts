/**
 * The built-in demo issuer: this server acting as an OIDC identity provider of its own, so
 * the whole flow (set up, mint, test, exchange, history) works with no outside provider —
 * for onboarding demos, offline presentations and our own tests. Its signing key is
 * generated on first use and kept in the settings table; its tokens are verified through
 * the same discovery → JWKS path as any real issuer's.
 */
import "server-only";
import { randomUUID } from "node:crypto";
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from "jose";
import type { Kysely } from "kysely";
import { isUniqueViolation } from "../store/paginate";
import type { Database } from "../store/schema";

export const DEMO_ISSUER_PATH = "/demo-issuer";
const SETTINGS_KEY = "demo_issuer_key";
const ALG = "RS256";

interface StoredKey {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

/** The demo issuer's URL for a server reachable at `publicUrl` (no trailing slash). */
export function demoIssuerUrl(publicUrl: string): string {
  return `${publicUrl.replace(/\/+$/, "")}${DEMO_ISSUER_PATH}`;
}

const keyCache = new WeakMap<Kysely<Database>, Promise<StoredKey>>();

/** The demo issuer's key pair, created once per database (several instances agree on one). */
export function demoKey(db: Kysely<Database>): Promise<StoredKey> {
  let cached = keyCache.get(db);
  if (!cached) {
    cached = loadOrCreateKey(db);
    cached.catch(() => keyCache.delete(db));
    keyCache.set(db, cached);
  }
  return cached;
}

async function loadOrCreateKey(db: Kysely<Database>): Promise<StoredKey> {
  const existing = await db.selectFrom("settings").select("value").where("key", "=", SETTINGS_KEY).executeTakeFirst();
  if (existing) return JSON.parse(existing.value) as StoredKey;
  const { publicKey, privateKey } = await generateKeyPair(ALG, { modulusLength: 2048, extractable: true });
  const kid = `demo-${randomUUID().slice(0, 8)}`;
  const key: StoredKey = {
    kid,
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: ALG, use: "sig" },
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: ALG, use: "sig" },
  };
  try {
    await db.insertInto("settings").values({ key: SETTINGS_KEY, value: JSON.stringify(key), updated_at: new Date().toISOString() }).execute();
    return key;
  } catch (err) {
    // Another instance created it first; use theirs.
    if (!isUniqueViolation(err)) throw err;
    const row = await db.selectFrom("settings").select("value").where("key", "=", SETTINGS_KEY).executeTakeFirstOrThrow();
    return JSON.parse(row.value) as StoredKey;
  }
}

/** The OIDC discovery document, as `/.well-known/openid-configuration` under the issuer URL. */
export function discoveryDocument(issuerUrl: string) {
  return {
    issuer: issuerUrl,
    jwks_uri: `${issuerUrl}/jwks.json`,
    id_token_signing_alg_values_supported: [ALG],
    response_types_supported: ["id_token"],
    subject_types_supported: ["public"],
    claims_supported: ["sub", "aud", "exp", "iat", "iss", "jti", "nbf"],
  };
}

export async function publicJwks(db: Kysely<Database>): Promise<{ keys: JWK[] }> {
  return { keys: [(await demoKey(db)).publicJwk] };
}

export interface DemoTokenRequest {
  issuerUrl: string;
  subject: string;
  audience: string | string[];
  /** Provider-shaped claims (repository, ref, namespace…); registered claims are set here. */
  claims?: Record<string, unknown>;
  lifetimeSeconds?: number;
  /** Seconds since the epoch; defaults to now. */
  now?: number;
}

/** Mint a signed sample token. Registered claims (iss, sub, aud, iat, nbf, exp, jti) win over `claims`. */
export async function mintDemoToken(db: Kysely<Database>, req: DemoTokenRequest): Promise<string> {
  const key = await demoKey(db);
  const now = req.now ?? Math.floor(Date.now() / 1000);
  const lifetime = Math.min(Math.max(req.lifetimeSeconds ?? 300, 30), 86400);
  return new SignJWT({ ...req.claims })
    .setProtectedHeader({ alg: ALG, kid: key.kid, typ: "JWT" })
    .setIssuer(req.issuerUrl)
    .setSubject(req.subject)
    .setAudience(req.audience)
    .setIssuedAt(now)
    .setNotBefore(now - 5)
    .setExpirationTime(now + lifetime)
    .setJti(randomUUID())
    .sign(await importJWK(key.privateJwk, ALG));
}
