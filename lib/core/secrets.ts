/**
 * Bearer secrets this server issues: API keys, admin keys and federated access tokens.
 * Only their SHA-256 is stored (they are 256-bit random, so a fast hash is enough; a slow
 * one would only slow the token path) and they are shown once.
 */
import { createHash } from "node:crypto";
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
