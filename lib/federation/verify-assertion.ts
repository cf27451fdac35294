/**
 * Verify a workload's JWT: structure, header, signature, registered claims — each failure an
 * `ExchangeDenied` with its own reason. The key only ever comes from the issuer's key
 * resolver: embedded `jwk`, `jku`, `x5u`, `x5c` headers are ignored, never fetched.
 * @see RFC 7515, RFC 7519, platform.md "Token exchange", security.md "Bad tokens".
 */
import { compactVerify, errors as joseErrors } from "jose";
import { ensure, ExchangeDenied } from "./deny-reasons";
import type { Claims, IssuerPolicy, KeyResolver } from "./types";

export const ALLOWED_ALGS: ReadonlySet<string> = new Set(["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"]);
const MAX_JWT_BYTES = 16 * 1024;
const MAX_DEPTH = 32;
const DEFAULT_LEEWAY = 30;

export interface DecodedAssertion {
  header: Record<string, unknown>;
  claims: Claims;
}

/** base64url, canonical: the decoded bytes re-encode to exactly the same text. */
function decodeSegment(segment: string, what: string): Buffer {
  ensure(/^[A-Za-z0-9_-]*$/.test(segment), "malformed_jwt", `${what} is not base64url`);
  const bytes = Buffer.from(segment, "base64url");
  ensure(bytes.toString("base64url") === segment, "malformed_jwt", `${what} is not canonical base64url`);
  return bytes;
}

/**
 * `JSON.parse` that also refuses duplicate keys (parsers resolve them differently — a classic
 * confusion vector) and nesting deeper than `MAX_DEPTH`.
 */
export function parseStrictJson(text: string): unknown {
  const value: unknown = JSON.parse(text); // proves the text well-formed; the walk below trusts that
  let i = 0;
  const skipWhitespace = () => {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
  };
  const readString = (): string => {
    const start = i++;
    while (text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const walk = (depth: number): void => {
    ensure(depth < MAX_DEPTH, "malformed_jwt", `JSON nested deeper than ${MAX_DEPTH} levels`); // the root is level 1
    skipWhitespace();
    const open = text[i];
    if (open === "{" || open === "[") {
      const keys = open === "{" ? new Set<string>() : undefined;
      i++;
      skipWhitespace();
      if (text[i] === "}" || text[i] === "]") {
        i++;
        return;
      }
      for (;;) {
        if (keys) {
          skipWhitespace();
          const key = readString();
          ensure(!keys.has(key), "malformed_jwt", `duplicate JSON key ${JSON.stringify(key.slice(0, 40))}`);
          keys.add(key);
          skipWhitespace();
          i++; // ':'
        }
        walk(depth + 1);
        skipWhitespace();
        if (text[i++] !== ",") return; // '}' or ']'
      }
    }
    if (open === '"') {
      readString();
      return;
    }
    while (i < text.length && !",}] \t\n\r".includes(text[i]!)) i++; // number, true, false, null
  };
  walk(0);
  return value;
}

function decodeJsonSegment(segment: string, what: string): Record<string, unknown> {
  const bytes = decodeSegment(segment, what);
  let value: unknown;
  try {
    value = parseStrictJson(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (err) {
    if (err instanceof ExchangeDenied) throw err;
    throw new ExchangeDenied("malformed_jwt", `${what} is not JSON`);
  }
  ensure(value !== null && typeof value === "object" && !Array.isArray(value), "malformed_jwt", `${what} is not a JSON object`);
  return value as Record<string, unknown>;
}

/** Decode without verifying (structure checks only). Throws `ExchangeDenied("malformed_jwt")`. */
export function decodeAssertion(jwt: string): DecodedAssertion {
  ensure(typeof jwt === "string" && jwt.length <= MAX_JWT_BYTES, "malformed_jwt", "assertion is not a string of at most 16 KiB");
  const parts = jwt.split(".");
  ensure(parts.length === 3, "malformed_jwt", `assertion has ${parts.length} segments; a signed JWT has 3`);
  const header = decodeJsonSegment(parts[0]!, "header");
  const claims = decodeJsonSegment(parts[1]!, "payload");
  decodeSegment(parts[2]!, "signature");
  return { header, claims };
}

/** Decode for display (the console's tester, the history of a refused token); never throws. */
export function decodeAssertionUnverified(jwt: string): DecodedAssertion | ExchangeDenied {
  try {
    return decodeAssertion(jwt);
  } catch (err) {
    return err instanceof ExchangeDenied ? err : new ExchangeDenied("malformed_jwt", "assertion could not be decoded");
  }
}

/** Check the protected header; returns the `kid` and `alg` to look the key up with. */
export function checkHeader(header: Record<string, unknown>): { kid: string; alg: string } {
  const alg = header.alg;
  ensure(typeof alg === "string" && ALLOWED_ALGS.has(alg), "algorithm_not_allowed", `alg ${JSON.stringify(alg)} is not one of ${[...ALLOWED_ALGS].join(", ")}`);
  ensure(header.kid !== undefined, "kid_missing", "the header has no kid");
  ensure(typeof header.kid === "string" && header.kid.length > 0 && header.kid.length <= 256, "malformed_jwt", "kid must be a non-empty string of at most 256 characters");
  ensure(header.crit === undefined, "unsupported_header", `crit ${JSON.stringify(header.crit)} names extensions this server does not support`);
  ensure(header.b64 === undefined || header.b64 === true, "unsupported_header", "b64:false (unencoded payload) is not supported");
  return { kid: header.kid, alg };
}

const isNumericDate = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

/** Verify `jwt` as an assertion from `issuer`. @see platform.md "Checks, in order". */
export async function verifyAssertion(
  jwt: string,
  issuer: IssuerPolicy,
  keys: KeyResolver,
  options: { now: number; leewaySeconds?: number },
): Promise<DecodedAssertion> {
  const { header } = decodeAssertion(jwt);
  const { kid, alg } = checkHeader(header);
  const key = await keys.getKey(kid, alg);

  let payload: Uint8Array;
  try {
    ({ payload } = await compactVerify(jwt, key, { algorithms: [alg] }));
  } catch (err) {
    if (err instanceof joseErrors.JWSSignatureVerificationFailed) throw new ExchangeDenied("signature_invalid", `signature does not verify with key ${JSON.stringify(kid)}`);
    // Anything else jose refuses (key/alg mismatch, plain TypeErrors on odd keys) is still a bad signature for us.
    throw new ExchangeDenied("signature_invalid", `signature could not be verified with key ${JSON.stringify(kid)}: ${(err as Error).message}`);
  }
  const claims = parseStrictJson(new TextDecoder().decode(payload)) as Claims;

  ensure(claims.iss === issuer.issuer_url, "issuer_mismatch", `iss ${JSON.stringify(claims.iss)} is not ${JSON.stringify(issuer.issuer_url)}`);
  ensure(typeof claims.sub === "string" && claims.sub.length > 0, "missing_claim", "sub is missing or not a non-empty string");
  ensure(isNumericDate(claims.iat), "missing_claim", "iat is missing or not a number");
  ensure(isNumericDate(claims.exp), "missing_claim", "exp is missing or not a number");
  ensure(claims.nbf === undefined || isNumericDate(claims.nbf), "missing_claim", "nbf is not a number");

  const leeway = options.leewaySeconds ?? DEFAULT_LEEWAY;
  const now = options.now;
  ensure(claims.exp + leeway >= now, "token_expired", `exp ${claims.exp} is ${now - claims.exp} s in the past`);
  ensure(claims.nbf === undefined || (claims.nbf as number) - leeway <= now, "token_not_yet_valid", `nbf is ${(claims.nbf as number) - now} s in the future`);
  ensure(claims.iat - leeway <= now, "iat_in_future", `iat is ${claims.iat - now} s in the future`);
  ensure(
    claims.exp - claims.iat <= issuer.max_jwt_lifetime_seconds,
    "lifetime_exceeded",
    `exp − iat is ${claims.exp - claims.iat} s; the issuer allows at most ${issuer.max_jwt_lifetime_seconds} s`,
  );
  return { header, claims };
}
