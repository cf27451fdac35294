/**
 * The JWS algorithms a workload's token may be signed with: RSA, RSA-PSS and ECDSA at 256 to
 * 512 bits. Never `none`, never HMAC (a public key used as an HMAC secret is the classic key
 * confusion). The verifier and the console's key validation read the same list; plain data,
 * safe in client code.
 * @see RFC 7518 §3.1
 */

export const ALLOWED_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"] as const;

export type AllowedAlgorithm = (typeof ALLOWED_ALGORITHMS)[number];

const ALLOWED: ReadonlySet<string> = new Set(ALLOWED_ALGORITHMS);

export function isAllowedAlgorithm(alg: unknown): alg is AllowedAlgorithm {
  return typeof alg === "string" && ALLOWED.has(alg);
}
