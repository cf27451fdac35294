/**
 * Verify a workload's JWT: structure, header, signature, registered claims — each failure an
 * `ExchangeDenied` with its own reason. The key only ever comes from the issuer's key
 * resolver: embedded `jwk`, `jku`, `x5u`, `x5c` headers are ignored, never fetched.
 * @see RFC 7515, RFC 7519, docs/behaviour.md#token-exchange, docs/security.md#bad-tokens
 */
import { ensure, ExchangeDenied, type DenyReason } from "./deny-reasons";
import { MAX_ASSERTION_BYTES } from "./exchange-checks";
import { ALLOWED_ALGORITHMS, isAllowedAlgorithm, type AllowedAlgorithm } from "./signing-algorithms";
import type { Claims, IssuerPolicy, KeyResolver } from "./types";
import { toKeyObject, verifyJwsSignature } from "./verify-signature";

const MAX_DEPTH = 32;
// Built once: `ensure` takes its detail eagerly, and these are checked on every exchange.
const NOT_AN_ASSERTION = `assertion is not a string of at most ${MAX_ASSERTION_BYTES / 1024} KiB`;
const ALLOWED_LIST = ALLOWED_ALGORITHMS.join(", ");
const DEFAULT_LEEWAY = 30;

export interface DecodedAssertion {
  header: Record<string, unknown>;
  claims: Claims;
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * Whether base64url text is canonical: its bytes would re-encode to exactly the same text.
 * Decoders ignore a last character's unused low bits, so two spellings of one signature could
 * otherwise both verify. Checked arithmetically (no re-encoding): a length of 4n+1 is never
 * valid, and at 4n+2 / 4n+3 the last character's low 4 / 2 bits must be zero.
 */
function isCanonical(segment: string): boolean {
  const tail = segment.length % 4;
  if (tail === 0) return true;
  if (tail === 1) return false;
  const unusedBits = tail === 2 ? 0x0f : 0x03;
  return (sextet(segment.charCodeAt(segment.length - 1)) & unusedBits) === 0;
}

/** The 6-bit value of a base64url character (already known to be one). */
function sextet(c: number): number {
  if (c >= 0x61) return c - 0x61 + 26; // a–z
  if (c >= 0x41) return c === 0x5f ? 63 : c - 0x41; // A–Z, _
  return c === 0x2d ? 62 : c - 0x30 + 52; // -, 0–9
}

function checkSegment(segment: string, what: string): void {
  ensure(BASE64URL.test(segment), "malformed_jwt", `${what} is not base64url`);
  ensure(isCanonical(segment), "malformed_jwt", `${what} is not canonical base64url`);
}

function decodeSegment(segment: string, what: string): Buffer {
  checkSegment(segment, what);
  return Buffer.from(segment, "base64url");
}

/**
 * `JSON.parse` that also refuses duplicate keys (parsers resolve them differently — a classic
 * confusion vector) and more than `MAX_DEPTH` nested objects/arrays.
 *
 * JSON.parse proves the text well-formed, so the scan after it only needs to find strings,
 * brackets and commas. It runs on every exchange (header and payload), hence char codes and
 * `indexOf` rather than a recursive descent: ~1 µs for a typical payload.
 */
export function parseStrictJson(text: string): unknown {
  const value: unknown = JSON.parse(text);
  // One entry per open container: the keys seen so far for an object, null for an array.
  const open: Array<Set<string> | null> = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      let end = text.indexOf('"', i + 1);
      while (isEscaped(text, end)) end = text.indexOf('"', end + 1);
      if (expectKey) {
        const raw = text.slice(i + 1, end);
        // An escape can spell an existing key differently ("s\u0075b" is "sub"): compare decoded keys.
        const key = raw.includes("\\") ? (JSON.parse(text.slice(i, end + 1)) as string) : raw;
        const keys = open[open.length - 1]!;
        ensure(!keys.has(key), "malformed_jwt", `duplicate JSON key ${JSON.stringify(key.slice(0, 40))}`);
        keys.add(key);
        expectKey = false;
      }
      i = end;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      ensure(open.length < MAX_DEPTH, "malformed_jwt", `JSON nested deeper than ${MAX_DEPTH} levels`);
      open.push(c === OPEN_BRACE ? new Set() : null);
      expectKey = c === OPEN_BRACE;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      open.pop();
    } else if (c === COMMA) {
      expectKey = open[open.length - 1] !== null;
    }
  }
  return value;
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** Whether the quote at `at` is escaped: preceded by an odd number of backslashes. */
function isEscaped(text: string, at: number): boolean {
  let backslashes = 0;
  while (text.charCodeAt(at - 1 - backslashes) === 0x5c) backslashes++;
  return backslashes % 2 === 1;
}

/** Payloads must be valid UTF-8; one decoder serves every call (decode() with no stream option keeps no state). */
const utf8 = new TextDecoder("utf-8", { fatal: true });

function decodeJsonSegment(segment: string, what: string): Record<string, unknown> {
  const bytes = decodeSegment(segment, what);
  let value: unknown;
  try {
    value = parseStrictJson(utf8.decode(bytes));
  } catch (err) {
    if (err instanceof ExchangeDenied) throw err;
    throw new ExchangeDenied("malformed_jwt", `${what} is not JSON`);
  }
  ensure(value !== null && typeof value === "object" && !Array.isArray(value), "malformed_jwt", `${what} is not a JSON object`);
  return value as Record<string, unknown>;
}

/** Decode without verifying (structure checks only). Throws `ExchangeDenied("malformed_jwt")`. */
export function decodeAssertion(jwt: string): DecodedAssertion {
  ensure(typeof jwt === "string" && jwt.length <= MAX_ASSERTION_BYTES, "malformed_jwt", NOT_AN_ASSERTION);
  const parts = jwt.split(".");
  ensure(parts.length === 3, "malformed_jwt", `assertion has ${parts.length} segments; a signed JWT has 3`);
  const header = decodeJsonSegment(parts[0]!, "header");
  const claims = decodeJsonSegment(parts[1]!, "payload");
  checkSegment(parts[2]!, "signature"); // jose decodes and verifies it
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
export function checkHeader(header: Record<string, unknown>): { kid: string; alg: AllowedAlgorithm } {
  const alg = header.alg;
  ensure(isAllowedAlgorithm(alg), "algorithm_not_allowed", `alg ${JSON.stringify(alg)} is not one of ${ALLOWED_LIST}`);
  ensure(header.kid !== undefined, "kid_missing", "the header has no kid");
  ensure(typeof header.kid === "string" && header.kid.length > 0 && header.kid.length <= 256, "malformed_jwt", "kid must be a non-empty string of at most 256 characters");
  ensure(header.crit === undefined, "unsupported_header", `crit ${JSON.stringify(header.crit)} names extensions this server does not support`);
  ensure(header.b64 === undefined || header.b64 === true, "unsupported_header", "b64:false (unencoded payload) is not supported");
  return { kid: header.kid, alg };
}

const isNumericDate = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

/** One registered-claim check of a verified (or merely decoded) token. */
export interface RegisteredClaimCheck {
  check: "iss" | "sub" | "iat" | "exp" | "nbf" | "jti" | "expiry" | "not_before" | "issued_at" | "lifetime";
  /** The claim(s) compared, e.g. `exp`, `exp − iat`. */
  name: string;
  /** `null` when it cannot be evaluated because a claim it needs failed its own check. */
  passed: boolean | null;
  found: unknown;
  expected: unknown;
  /** The deny reason this check yields when it fails. */
  reason: DenyReason;
  message: string;
}

// Fields copied one by one into one object shape: a spread of `c` cost ~1 µs per check
// (measured; ~10 µs per exchange), as the `found` values give `c` many shapes.
const check = (c: Omit<RegisteredClaimCheck, "passed" | "message">, passed: boolean | null, failure: string, success: string): RegisteredClaimCheck => ({
  check: c.check,
  name: c.name,
  passed,
  found: c.found,
  expected: c.expected,
  reason: c.reason,
  message: passed === false ? failure : passed ? success : "not evaluated: a claim it compares is missing or not a number",
});

/**
 * Every registered-claim check, in the order the exchange applies them: one implementation
 * for `verifyAssertion` (the first failure decides) and the console's tester (all shown).
 * @see docs/behaviour.md#checks-in-order: `iss` exact; `sub`, `iat`, `exp` present; 30 s leeway; `exp − iat` ≤ max.
 */
export function explainRegisteredClaims(
  claims: Claims,
  issuer: Pick<IssuerPolicy, "issuer_url" | "max_jwt_lifetime_seconds">,
  options: { now: number; leewaySeconds?: number },
): RegisteredClaimCheck[] {
  const leeway = options.leewaySeconds ?? DEFAULT_LEEWAY;
  const now = options.now;
  const { iss, sub, iat, exp, nbf, jti } = claims;
  const iatOk = isNumericDate(iat);
  const expOk = isNumericDate(exp);
  const nbfOk = nbf === undefined || isNumericDate(nbf);
  return [
    check({ check: "iss", name: "iss", found: iss, expected: issuer.issuer_url, reason: "issuer_mismatch" }, iss === issuer.issuer_url, `iss ${JSON.stringify(iss)} is not ${JSON.stringify(issuer.issuer_url)}`, "iss equals the issuer URL"),
    check({ check: "sub", name: "sub", found: sub, expected: "a non-empty string", reason: "missing_claim" }, typeof sub === "string" && sub.length > 0, "sub is missing or not a non-empty string", "sub is present"),
    check({ check: "iat", name: "iat", found: iat, expected: "a NumericDate", reason: "missing_claim" }, iatOk, "iat is missing or not a number", "iat is present"),
    check({ check: "exp", name: "exp", found: exp, expected: "a NumericDate", reason: "missing_claim" }, expOk, "exp is missing or not a number", "exp is present"),
    check({ check: "nbf", name: "nbf", found: nbf, expected: "absent or a NumericDate", reason: "missing_claim" }, nbfOk, "nbf is not a number", nbf === undefined ? "nbf is absent" : "nbf is a number"),
    // RFC 7519 §4.1.7: a string. Refused otherwise, as single use is tracked by that string: a
    // numeric or object jti would otherwise go unchecked and could be exchanged again and again.
    check(
      { check: "jti", name: "jti", found: jti, expected: "absent or a string", reason: "missing_claim" },
      jti === undefined || typeof jti === "string",
      "jti is not a string",
      jti === undefined ? "jti is absent" : "jti is a string",
    ),
    check(
      { check: "expiry", name: "exp", found: exp, expected: `≥ ${now - leeway} (now − ${leeway} s leeway)`, reason: "token_expired" },
      expOk ? exp + leeway >= now : null,
      `exp ${String(exp)} is ${now - (exp as number)} s in the past`,
      "exp is in the future (or within the leeway)",
    ),
    check(
      { check: "not_before", name: "nbf", found: nbf, expected: `≤ ${now + leeway} (now + ${leeway} s leeway)`, reason: "token_not_yet_valid" },
      nbf === undefined ? true : nbfOk ? (nbf as number) - leeway <= now : null,
      `nbf is ${(nbf as number) - now} s in the future`,
      nbf === undefined ? "no nbf to check" : "nbf is in the past (or within the leeway)",
    ),
    check(
      { check: "issued_at", name: "iat", found: iat, expected: `≤ ${now + leeway} (now + ${leeway} s leeway)`, reason: "iat_in_future" },
      iatOk ? iat - leeway <= now : null,
      `iat is ${(iat as number) - now} s in the future`,
      "iat is in the past (or within the leeway)",
    ),
    check(
      { check: "lifetime", name: "exp − iat", found: iatOk && expOk ? exp - iat : undefined, expected: `≤ ${issuer.max_jwt_lifetime_seconds}`, reason: "lifetime_exceeded" },
      iatOk && expOk ? exp - iat <= issuer.max_jwt_lifetime_seconds : null,
      `exp − iat is ${(exp as number) - (iat as number)} s; the issuer allows at most ${issuer.max_jwt_lifetime_seconds} s`,
      `exp − iat is within the issuer's maximum of ${issuer.max_jwt_lifetime_seconds} s`,
    ),
  ];
}

/** Verify `jwt` as an assertion from `issuer`. @see docs/behaviour.md#checks-in-order */
export async function verifyAssertion(
  jwt: string,
  issuer: IssuerPolicy,
  keys: KeyResolver,
  options: { now: number; leewaySeconds?: number; decoded?: DecodedAssertion | ExchangeDenied },
): Promise<DecodedAssertion> {
  // Decoded strictly once (by the caller, if it passes `decoded`): the signature is checked over
  // these same segments, so the claims read here are the signed ones.
  const decoded = options.decoded ?? decodeAssertionUnverified(jwt);
  if (decoded instanceof ExchangeDenied) throw decoded;
  const { header, claims } = decoded;
  const { kid, alg } = checkHeader(header);
  const key = toKeyObject(await keys.getKey(kid, alg));
  ensure(key, "signature_invalid", `key ${JSON.stringify(kid)} is a secret key, which cannot verify ${alg}`);

  const lastDot = jwt.lastIndexOf(".");
  let valid: boolean;
  try {
    // The segments were checked as canonical base64url by decodeAssertion.
    valid = await verifyJwsSignature(jwt.slice(0, lastDot), Buffer.from(jwt.slice(lastDot + 1), "base64url"), key, alg);
  } catch (err) {
    // A key that cannot verify this algorithm, or a signature node:crypto cannot even parse: still a bad signature for us.
    throw new ExchangeDenied("signature_invalid", `signature could not be verified with key ${JSON.stringify(kid)}: ${(err as Error).message}`);
  }
  ensure(valid, "signature_invalid", `signature does not verify with key ${JSON.stringify(kid)}`);

  const failed = explainRegisteredClaims(claims, issuer, options).find((c) => c.passed === false);
  if (failed) throw new ExchangeDenied(failed.reason, failed.message);
  return { header, claims };
}
