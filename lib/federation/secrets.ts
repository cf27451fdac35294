/**
 * Bearer secrets this server issues: API keys, admin keys and federated access tokens.
 * Only their SHA-256 is stored (they are 256-bit random, so a fast hash is enough; a slow
 * one would only slow the token path) and they are shown once.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { ID_PREFIXES } from "./ids";
import { randomBytesPooled } from "./random";

export const SECRET_PREFIXES = {
  api: "sk-ant-api03-",
  admin: "sk-ant-admin01-",
  access: "sk-ant-oat01-",
} as const;

export type SecretKind = keyof typeof SECRET_PREFIXES;

/** A new secret of `kind`: prefix + 43 base64url characters (32 random bytes). */
export function mintSecret(kind: SecretKind): string {
  return SECRET_PREFIXES[kind] + randomBytesPooled(32).toString("base64url");
}

/**
 * A federated access token: the prefix, its record's ID (the 26 characters after `oat_`),
 * then 32 random bytes. Carrying the ID lets authentication find the record by primary key —
 * an index written in time order — instead of by a hash index that every grant writes at a
 * random place (lib/store/migrations/0003). Only the hash of the whole token is stored.
 */
export function mintAccessToken(tokenId: string): string {
  const body = tokenId.slice(ID_PREFIXES.accessToken.length);
  if (!tokenId.startsWith(ID_PREFIXES.accessToken) || !ACCESS_TOKEN_ID_BODY.test(body)) throw new Error(`not an access token ID: ${tokenId}`);
  return SECRET_PREFIXES.access + body + randomBytesPooled(32).toString("base64url");
}

const ACCESS_TOKEN_ID_BODY = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const ACCESS_TOKEN = /^sk-ant-oat01-([0-9A-HJKMNP-TV-Z]{26})[A-Za-z0-9_-]{43}$/;

/** The record ID an access token carries; undefined for anything not shaped like one. */
export function accessTokenId(token: string): string | undefined {
  const m = ACCESS_TOKEN.exec(token);
  return m ? ID_PREFIXES.accessToken + m[1] : undefined;
}

/** Whether two hex digests are equal, in time independent of where they differ. */
export function sameDigest(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a, "hex"), Buffer.from(b, "hex"));
}

export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

/** Which kind of secret a presented credential claims to be, by prefix; undefined for anything else. */
export function secretKind(secret: string): SecretKind | undefined {
  for (const [kind, prefix] of Object.entries(SECRET_PREFIXES) as Array<[SecretKind, string]>) {
    if (secret.startsWith(prefix)) return kind;
  }
  return undefined;
}

/** What the console shows to recognise a key without revealing it: `sk-ant-api03-Ab3…x9Q`. */
export function partialHint(secret: string): string {
  const kind = secretKind(secret);
  const prefix = kind ? SECRET_PREFIXES[kind] : "";
  return `${prefix}${secret.slice(prefix.length, prefix.length + 3)}…${secret.slice(-3)}`;
}
