/**
 * Validation of a pasted JWK set (inline issuers, the console's key editor): every problem
 * named with its path and how to fix it. Pure and synchronous.
 */

import { ALLOWED_ALGORITHMS, isAllowedAlgorithm } from "./signing-algorithms";

const EC_CURVES: Record<string, string[]> = { "P-256": ["ES256"], "P-384": ["ES384"], "P-521": ["ES512"] };
const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

/**
 * Bytes of a base64url string, without Node's Buffer: the core needs nothing of Node, and
 * Buffer is absent (or lacks base64url) in other runtimes, such as a browser.
 */
function base64UrlBytes(value: string): Uint8Array {
  const b64 = value.replace(/-/g, "+").replace(/_/g, "/");
  if (b64.length % 4 === 1) return new Uint8Array(0);
  try {
    return Uint8Array.from(atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4)), (c) => c.charCodeAt(0));
  } catch {
    return new Uint8Array(0);
  }
}

/** Bits in an RSA modulus given as base64url (leading zero bits not counted). */
export function rsaModulusBits(n: string): number {
  const bytes = base64UrlBytes(n);
  let i = 0;
  while (i < bytes.length && bytes[i] === 0) i++;
  if (i === bytes.length) return 0;
  return (bytes.length - i - 1) * 8 + (32 - Math.clz32(bytes[i]!));
}

const isB64u = (v: unknown): v is string => typeof v === "string" && v.length > 0 && /^[A-Za-z0-9_-]+$/.test(v);

/** One key's problem, or null. */
function checkKey(key: unknown): string | null {
  if (key === null || typeof key !== "object" || Array.isArray(key)) return "must be a JWK object";
  const k = key as Record<string, unknown>;
  const priv = PRIVATE_MEMBERS.find((m) => m in k);
  if (priv) return `contains the private member "${priv}"; paste only public keys (never a private key)`;
  if (k.kty === "oct") return "is a symmetric key (kty oct); only RSA and EC public keys can verify tokens";
  if (k.kty === "OKP") return "is an OKP (EdDSA) key; the verifier accepts only RS, PS and ES algorithms";
  if (k.kty !== "RSA" && k.kty !== "EC") return `has kty ${JSON.stringify(k.kty)}; expected RSA or EC`;
  if (typeof k.kid !== "string" || k.kid.length === 0) return "has no kid; tokens name their key by kid, so every key needs one";
  if (k.kid.length > 256) return "has a kid longer than 256 characters";
  if (k.use !== undefined && k.use !== "sig") return `has use ${JSON.stringify(k.use)}; a verification key must have use "sig" or none`;
  if (k.alg !== undefined && !isAllowedAlgorithm(k.alg)) {
    return `has alg ${JSON.stringify(k.alg)}; allowed: ${ALLOWED_ALGORITHMS.join(", ")}`;
  }
  if (k.kty === "RSA") {
    if (!isB64u(k.n) || !isB64u(k.e)) return "is an RSA key without base64url n and e";
    const bits = rsaModulusBits(k.n);
    if (bits < 2048) return `is an RSA key of ${bits} bits; at least 2048 are required`;
    if (typeof k.alg === "string" && !/^(RS|PS)/.test(k.alg)) return `is an RSA key but alg is ${k.alg}`;
  } else {
    const algs = EC_CURVES[k.crv as string];
    if (!algs) return `has crv ${JSON.stringify(k.crv)}; expected P-256, P-384 or P-521`;
    if (!isB64u(k.x) || !isB64u(k.y)) return "is an EC key without base64url x and y";
    if (typeof k.alg === "string" && !algs.includes(k.alg)) return `is a ${k.crv as string} key but alg is ${k.alg} (expected ${algs.join(", ")})`;
  }
  return null;
}

/** `null` when the set is usable; otherwise a message starting with the field path. */
export function validateJwkSet(keys: unknown): string | null {
  if (!Array.isArray(keys)) return "jwks.keys: must be an array of JWK objects";
  if (keys.length === 0) return "jwks.keys: must contain at least one key";
  if (keys.length > 100) return "jwks.keys: must contain at most 100 keys";
  const seen = new Map<string, number>();
  for (const [i, key] of keys.entries()) {
    const problem = checkKey(key);
    if (problem) return `jwks.keys[${i}]: ${problem}`;
    const kid = (key as { kid: string }).kid;
    const first = seen.get(kid);
    if (first !== undefined) return `jwks.keys[${i}]: kid ${JSON.stringify(kid)} is also used by jwks.keys[${first}]; key IDs must be unique`;
    seen.set(kid, i);
  }
  return null;
}
