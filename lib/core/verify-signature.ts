/**
 * A JWS signature checked with node:crypto, with the key and parameters RFC 7518 gives each
 * allowed algorithm, in `verify`'s callback form: the arithmetic runs on libuv's thread pool,
 * so the event loop — the token endpoint's one serial resource — spends ~12 µs per ES256
 * check instead of ~60 (README, "Signatures on the thread pool"). Not through jose's
 * WebCrypto path, whose promise and argument normalisation cost more of the event loop than
 * the arithmetic. jose still imports the keys (key-resolver.ts); this checks only that a key
 * fits the algorithm, as jose's own verification would.
 * @see RFC 7515 §5.2, RFC 7518 §3.3–3.5
 */
import { constants, KeyObject, verify } from "node:crypto";
import type { AllowedAlgorithm } from "./signing-algorithms";

interface AlgorithmParams {
  hash: "sha256" | "sha384" | "sha512";
  /** ECDSA: the curve the key must be on. */
  curve?: "prime256v1" | "secp384r1" | "secp521r1";
  /** RSASSA-PSS: salt as long as the hash (RFC 7518 §3.5). */
  pss?: boolean;
}

const PARAMS: Record<AllowedAlgorithm, AlgorithmParams> = {
  RS256: { hash: "sha256" },
  RS384: { hash: "sha384" },
  RS512: { hash: "sha512" },
  PS256: { hash: "sha256", pss: true },
  PS384: { hash: "sha384", pss: true },
  PS512: { hash: "sha512", pss: true },
  ES256: { hash: "sha256", curve: "prime256v1" },
  ES384: { hash: "sha384", curve: "secp384r1" },
  ES512: { hash: "sha512", curve: "secp521r1" },
};

const SALT_BYTES = { sha256: 32, sha384: 48, sha512: 64 } as const;
const MIN_RSA_BITS = 2048;

/** Why `key` cannot verify `alg`, or null when it can. Remembered per key object (the details getter builds an object). */
const fits = new WeakMap<KeyObject, Map<string, string | null>>();

function keyProblem(key: KeyObject, alg: AllowedAlgorithm): string | null {
  let byAlg = fits.get(key);
  if (!byAlg) fits.set(key, (byAlg = new Map()));
  let problem = byAlg.get(alg);
  if (problem === undefined) {
    const params = PARAMS[alg];
    const details = key.asymmetricKeyDetails;
    if (key.type !== "public") problem = `a ${key.type} key cannot verify`;
    else if (params.curve) problem = key.asymmetricKeyType === "ec" && details?.namedCurve === params.curve ? null : `${alg} needs an EC key on ${params.curve}`;
    else if (key.asymmetricKeyType !== "rsa" && key.asymmetricKeyType !== "rsa-pss") problem = `${alg} needs an RSA key`;
    else problem = (details?.modulusLength ?? 0) >= MIN_RSA_BITS ? null : `RSA keys need at least ${MIN_RSA_BITS} bits`;
    byAlg.set(alg, problem);
  }
  return problem;
}

/**
 * Whether `signature` is `alg`'s signature of `signingInput` (the JWS's `header.payload`) by
 * `key`. Rejects with a TypeError naming the problem when the key cannot verify `alg` at all.
 */
export function verifyJwsSignature(signingInput: string, signature: Buffer, key: KeyObject, alg: AllowedAlgorithm): Promise<boolean> {
  const problem = keyProblem(key, alg);
  if (problem) return Promise.reject(new TypeError(problem));
  const params = PARAMS[alg];
  const input = Buffer.from(signingInput, "latin1"); // base64url and a dot: ASCII
  const options = params.curve
    ? { key, dsaEncoding: "ieee-p1363" as const }
    : params.pss
      ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: SALT_BYTES[params.hash] }
      : { key, padding: constants.RSA_PKCS1_PADDING };
  return new Promise((resolve, reject) => verify(params.hash, input, options, signature, (err, valid) => (err ? reject(err) : resolve(valid))));
}

/** The key as a node:crypto KeyObject (WebCrypto keys converted); undefined for a secret (HMAC) key, which no allowed algorithm uses. */
export function toKeyObject(key: CryptoKey | KeyObject | Uint8Array): KeyObject | undefined {
  if (key instanceof KeyObject) return key;
  if (key instanceof Uint8Array) return undefined;
  return KeyObject.from(key);
}
