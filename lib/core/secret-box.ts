/**
 * Encryption at rest for secrets the server must use again in clear — the upstream API keys
 * it sends on the caller's behalf (hashing, as for our own tokens, would not do). AES-256-GCM
 * with a fresh 96-bit nonce per value; each sealed value names the key that sealed it, so the
 * key can be rotated: the old one stays readable while it is listed as previous, and values
 * are re-sealed with the current key at start.
 *
 * The additional data binds a value to where it is stored (its row), so a ciphertext copied
 * into another row fails to open instead of lending its key to another workspace.
 * @see docs/gateway.md#upstream-keys-at-rest
 */
import { createCipheriv, createDecipheriv, createHash } from "node:crypto";
import { randomBytesPooled } from "./random";

const VERSION = "v1";

export interface SecretKey {
  /** Short fingerprint of the key (not secret), written beside each value it seals. */
  id: string;
  key: Buffer;
}

export interface SecretKeyring {
  /** Seals every new value. */
  current: SecretKey;
  /** Still opens values sealed before a rotation. */
  previous: readonly SecretKey[];
}

/** The fingerprint of a 32-byte key: 8 hex characters of a domain-separated SHA-256. */
function secretKeyId(key: Buffer): string {
  return createHash("sha256").update("wif-secret-key-id:").update(key).digest("hex").slice(0, 8);
}

export function keyringFrom(current: Buffer, previous: readonly Buffer[] = []): SecretKeyring {
  for (const k of [current, ...previous]) if (k.length !== 32) throw new Error("secret keys must be 32 bytes (AES-256)");
  return { current: { id: secretKeyId(current), key: current }, previous: previous.map((key) => ({ id: secretKeyId(key), key })) };
}

/** `v1.<key id>.<nonce>.<ciphertext>.<tag>`, base64url parts. */
export function sealSecret(ring: SecretKeyring, plaintext: string, additionalData: string): string {
  const iv = randomBytesPooled(12);
  const cipher = createCipheriv("aes-256-gcm", ring.current.key, iv);
  cipher.setAAD(Buffer.from(additionalData, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [VERSION, ring.current.id, iv.toString("base64url"), ciphertext.toString("base64url"), cipher.getAuthTag().toString("base64url")].join(".");
}

/** A sealed value that cannot be opened: unknown key (rotated away), tampered, or moved to another row. */
export class SecretUnreadable extends Error {}

export function openSecret(ring: SecretKeyring, sealed: string, additionalData: string): string {
  const [version, keyId, iv, ciphertext, tag] = sealed.split(".");
  if (version !== VERSION || !keyId || !iv || ciphertext === undefined || !tag) throw new SecretUnreadable("not a sealed value");
  const key = [ring.current, ...ring.previous].find((k) => k.id === keyId);
  if (!key) throw new SecretUnreadable(`sealed with key ${keyId}, which is neither WIF_SECRET_KEY nor one of WIF_SECRET_KEY_PREVIOUS`);
  try {
    // A fixed 16-byte tag: GCM would otherwise accept a truncated one (as short as 4 bytes).
    const decipher = createDecipheriv("aes-256-gcm", key.key, Buffer.from(iv, "base64url"), { authTagLength: 16 });
    decipher.setAAD(Buffer.from(additionalData, "utf8"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new SecretUnreadable("the sealed value failed authentication (tampered, or stored for another row)");
  }
}

/** Whether `sealed` was sealed with a key other than the current one (re-seal it after a rotation). */
export function sealedWithOldKey(ring: SecretKeyring, sealed: string): boolean {
  return sealed.split(".")[1] !== ring.current.id;
}

/** What may be shown of a secret: its last four characters. */
export function lastFour(secret: string): string {
  return secret.slice(-4);
}
