/**
 * The verifier against every bad-token attack in docs/security.md, one row each. Tokens are
 * signed with real keys (jose and node:crypto, with hand-built headers and segments where
 * jose would refuse to produce the attack), verified against the issuer's inline key set
 * through the production key source, at a fixed clock. Each row asserts the specific deny
 * reason, and where several checks would refuse the same token, the detail of the one under
 * test: removing that check changes the outcome.
 */
import { constants, createHmac, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { CompactSign, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IssuerKeySource } from "../jwks/key-resolver";
import { ExchangeDenied } from "./deny-reasons";
import type { IssuerPolicy } from "./types";
import { decodeAssertionUnverified, parseStrictJson, verifyAssertion } from "./verify-assertion";

const ISSUER = "https://idp.example.com/tenant";
const SUB = "repo:acme/app:ref:refs/heads/main";
const AUD = "https://api.anthropic.com";
/** The injected clock: seconds since the epoch. */
const NOW = 1_800_000_000;

const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
const attacker = generateKeyPairSync("rsa", { modulusLength: 2048 });
const attackerEc = generateKeyPairSync("ec", { namedCurve: "P-256" });
const small = generateKeyPairSync("rsa", { modulusLength: 1024 });

const jwkOf = (key: KeyObject, extra: Record<string, unknown>) => ({ ...(key.export({ format: "jwk" }) as Record<string, unknown>), ...extra });

/** The issuer's published keys. `rs-only` is the RSA key again, pinned to RS256. */
const issuer: IssuerPolicy = {
  id: "fdis_01TEST",
  issuer_url: ISSUER,
  jwks: {
    type: "inline",
    keys: [
      jwkOf(rsa.publicKey, { kid: "rsa", use: "sig" }),
      jwkOf(ec.publicKey, { kid: "ec" }),
      jwkOf(rsa.publicKey, { kid: "rs-only", alg: "RS256" }),
      // Never accepted by the schema; here to prove the verifier refuses it too.
      jwkOf(small.publicKey, { kid: "small" }),
    ],
  },
  check_jti: true,
  max_jwt_lifetime_seconds: 3600,
  archived_at: null,
};
const keys = new IssuerKeySource(issuer, { allowInsecureLocal: false });

const b64u = (bytes: Buffer | string) => Buffer.from(bytes).toString("base64url");
const json = (value: unknown) => b64u(JSON.stringify(value));

const HASH: Record<string, string> = { "256": "sha256", "384": "sha384", "512": "sha512" };

/** Sign `header.payload` segments exactly as given (no re-encoding), for hand-built attacks. */
function signSegments(headerSegment: string, payloadSegment: string, alg: string, key: KeyObject | Buffer | string = rsa.privateKey): string {
  const input = Buffer.from(`${headerSegment}.${payloadSegment}`);
  const hash = HASH[alg.slice(2)]!;
  let signature: Buffer;
  if (alg.startsWith("HS")) signature = createHmac(hash, key as Buffer | string).update(input).digest();
  else if (alg.startsWith("PS")) signature = sign(hash, input, { key: key as KeyObject, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(alg.slice(2)) / 8 });
  else if (alg.startsWith("ES")) signature = sign(hash, input, { key: key as KeyObject, dsaEncoding: "ieee-p1363" });
  else signature = sign(hash, input, key as KeyObject);
  return `${headerSegment}.${payloadSegment}.${b64u(signature)}`;
}

const claims = (extra: Record<string, unknown> = {}) => {
  const c: Record<string, unknown> = { iss: ISSUER, sub: SUB, aud: AUD, iat: NOW, exp: NOW + 300, jti: "j-1", ...extra };
  for (const k of Object.keys(c)) if (c[k] === undefined) delete c[k];
  return c;
};

/** A token over `claims(extra)` with header `{alg, kid, ...}`, signed with `key`. */
function token(extra: Record<string, unknown> = {}, header: Record<string, unknown> = {}, key?: KeyObject | Buffer | string): string {
  const h: Record<string, unknown> = { alg: "RS256", kid: "rsa", typ: "JWT", ...header };
  for (const k of Object.keys(h)) if (h[k] === undefined) delete h[k];
  const alg = typeof h.alg === "string" && /^(RS|PS|ES|HS)(256|384|512)$/.test(h.alg) ? h.alg : "RS256";
  const signer = key ?? (alg.startsWith("ES") ? ec.privateKey : rsa.privateKey);
  return signSegments(json(h), json(claims(extra)), alg, signer);
}

/** The first base64url character whose low bits are unused for a segment of this length, made non-zero. */
function nonCanonical(segment: string): string {
  const bytes = Buffer.from(segment, "base64url");
  const spareBits = (segment.length * 6) % 8; // 2 or 4 unused bits in the last character
  if (spareBits === 0) throw new Error("segment has no spare bits; pick another length");
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const last = alphabet.indexOf(segment.at(-1)!);
  const tampered = segment.slice(0, -1) + alphabet[last | 1]!;
  if (!Buffer.from(tampered, "base64url").equals(bytes) || tampered === segment) throw new Error("not a non-canonical twin");
  return tampered;
}

/** A payload segment whose length leaves spare bits, so a non-canonical twin exists. */
function payloadWithSpareBits(): string {
  for (let pad = 0; ; pad++) {
    const segment = json(claims({ pad: "x".repeat(pad) }));
    if ((segment.length * 6) % 8 !== 0) return segment;
  }
}

async function outcome(jwt: string): Promise<{ reason: string; detail: string }> {
  try {
    await verifyAssertion(jwt, issuer, keys, { now: NOW });
    return { reason: "ok", detail: "" };
  } catch (err) {
    if (err instanceof ExchangeDenied) return { reason: err.reason, detail: err.detail };
    // A plain throw here would be a 500 at the token endpoint: make it a failing row.
    return { reason: `threw ${(err as Error).name}: ${(err as Error).message}`, detail: "" };
  }
}

type Row = { name: string; make: () => string | Promise<string>; reason: string; detail?: string };

/** Server that would serve keys named by jku/x5u headers; the verifier must never call it. */
let keyServer: http.Server;
let keyServerUrl = "";
let keyServerHits = 0;

beforeAll(async () => {
  keyServer = http.createServer((_req, res) => {
    keyServerHits++;
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ keys: [jwkOf(attacker.publicKey, { kid: "attacker" })] }));
  });
  await new Promise<void>((resolve) => keyServer.listen(0, "127.0.0.1", resolve));
  keyServerUrl = `http://127.0.0.1:${(keyServer.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => keyServer.close(resolve));
});

describe("verifyAssertion accepts", () => {
  it.each<Row>([
    { name: "an RS256 token", make: () => token(), reason: "ok" },
    { name: "an ES256 token", make: () => token({}, { alg: "ES256", kid: "ec" }), reason: "ok" },
    { name: "a PS256 token on an unpinned RSA key", make: () => token({}, { alg: "PS256" }), reason: "ok" },
    { name: "a token signed by jose", make: () => new SignJWT(claims()).setProtectedHeader({ alg: "RS256", kid: "rsa" }).sign(rsa.privateKey), reason: "ok" },
    { name: "exp exactly 30 s ago (the leeway)", make: () => token({ iat: NOW - 300, exp: NOW - 30 }), reason: "ok" },
    { name: "nbf exactly 30 s ahead", make: () => token({ nbf: NOW + 30 }), reason: "ok" },
    { name: "iat exactly 30 s ahead", make: () => token({ iat: NOW + 30, exp: NOW + 330 }), reason: "ok" },
    { name: "exp − iat exactly the issuer maximum", make: () => token({ iat: NOW, exp: NOW + 3600 }), reason: "ok" },
    { name: "nesting within the limit", make: () => token({ nested: JSON.parse(`${"[".repeat(20)}${"]".repeat(20)}`) }), reason: "ok" },
    { name: "an embedded jwk header, when the issuer's key signed", make: () => token({}, { jwk: jwkOf(attacker.publicKey, {}) }), reason: "ok" },
  ])("$name", async ({ make, reason }) => {
    expect((await outcome(await make())).reason).toBe(reason);
  });

  it("returns the signed header and claims", async () => {
    const result = await verifyAssertion(token({ repository_owner: "acme" }), issuer, keys, { now: NOW });
    expect(result.claims).toEqual(claims({ repository_owner: "acme" }));
    expect(result.header).toMatchObject({ alg: "RS256", kid: "rsa" });
  });
});

describe("verifyAssertion refuses", () => {
  const rows: Row[] = [
    // 1. alg none
    { name: "alg none, unsigned", make: () => `${json({ alg: "none", kid: "rsa" })}.${json(claims())}.`, reason: "algorithm_not_allowed" },
    { name: "alg None (case variant)", make: () => `${json({ alg: "None", kid: "rsa" })}.${json(claims())}.`, reason: "algorithm_not_allowed" },
    { name: "alg none carrying a valid RS256 signature", make: () => { const t = token(); const [, p, s] = t.split("."); return `${json({ alg: "none", kid: "rsa" })}.${p}.${s}`; }, reason: "algorithm_not_allowed" },
    { name: "no alg", make: () => token({}, { alg: undefined }), reason: "algorithm_not_allowed" },
    { name: "alg as an array", make: () => token({}, { alg: ["RS256"] }), reason: "algorithm_not_allowed" },
    // 2. HS* key confusion and algorithms outside RS/PS/ES
    { name: "HS256 with the RSA public key (PEM) as the secret", make: () => token({}, { alg: "HS256" }, rsa.publicKey.export({ type: "spki", format: "pem" })), reason: "algorithm_not_allowed" },
    { name: "HS256 with the RSA public key (DER) as the secret", make: () => token({}, { alg: "HS256" }, rsa.publicKey.export({ type: "spki", format: "der" })), reason: "algorithm_not_allowed" },
    { name: "HS384", make: () => token({}, { alg: "HS384" }, "secret"), reason: "algorithm_not_allowed" },
    { name: "HS512", make: () => token({}, { alg: "HS512" }, "secret"), reason: "algorithm_not_allowed" },
    { name: "EdDSA", make: () => token({}, { alg: "EdDSA" }), reason: "algorithm_not_allowed" },
    { name: "lower-case rs256", make: () => token({}, { alg: "rs256" }), reason: "algorithm_not_allowed" },
    { name: "a JWE algorithm", make: () => token({}, { alg: "RSA-OAEP" }), reason: "algorithm_not_allowed" },
    // alg / kty mismatch: the header's algorithm must fit the key it names
    { name: "ES256 naming an RSA key", make: () => token({}, { alg: "ES256", kid: "rsa" }, attackerEc.privateKey), reason: "signature_invalid", detail: "which cannot verify ES256" },
    { name: "RS256 naming an EC key", make: () => token({}, { alg: "RS256", kid: "ec" }, attacker.privateKey), reason: "signature_invalid", detail: "which cannot verify RS256" },
    { name: "PS256 naming a key pinned to RS256", make: () => token({}, { alg: "PS256", kid: "rs-only" }), reason: "signature_invalid", detail: "is for RS256, the token says PS256" },
    { name: "ES384 naming a P-256 key", make: () => token({}, { alg: "ES384", kid: "ec" }), reason: "signature_invalid", detail: "cannot be imported for ES384" },
    { name: "a key under 2048 bits", make: () => token({}, { kid: "small" }, small.privateKey), reason: "signature_invalid", detail: "RSA key of 1024 bits" },
    // 3. embedded keys and key URLs: never used, never fetched
    { name: "an embedded jwk of the signer's own key", make: () => token({}, { jwk: jwkOf(attacker.publicKey, {}) }, attacker.privateKey), reason: "signature_invalid" },
    { name: "an embedded jwk under a kid the issuer lacks", make: () => token({}, { kid: "attacker", jwk: jwkOf(attacker.publicKey, { kid: "attacker" }) }, attacker.privateKey), reason: "unknown_kid" },
    { name: "a jku naming the attacker's key set", make: () => token({}, { kid: "attacker", jku: `${keyServerUrl}/jwks` }, attacker.privateKey), reason: "unknown_kid" },
    { name: "a jku under the issuer's own kid", make: () => token({}, { jku: `${keyServerUrl}/jwks` }, attacker.privateKey), reason: "signature_invalid" },
    { name: "an x5u naming the attacker's certificate", make: () => token({}, { kid: "attacker", x5u: `${keyServerUrl}/cert.pem` }, attacker.privateKey), reason: "unknown_kid" },
    { name: "an x5c chain", make: () => token({}, { x5c: [b64u("not a real certificate")] }, attacker.privateKey), reason: "signature_invalid" },
    // 4. kid missing, unknown, huge or hostile: only ever compared for equality
    { name: "no kid", make: () => token({}, { kid: undefined }), reason: "kid_missing" },
    { name: "a null kid", make: () => token({}, { kid: null }), reason: "malformed_jwt" },
    { name: "an empty kid", make: () => token({}, { kid: "" }), reason: "malformed_jwt" },
    { name: "a numeric kid", make: () => token({}, { kid: 1 }), reason: "malformed_jwt" },
    { name: "a kid over 256 characters", make: () => token({}, { kid: "k".repeat(257) }), reason: "malformed_jwt" },
    { name: "an unknown kid", make: () => token({}, { kid: "rotated-away" }), reason: "unknown_kid" },
    { name: "a kid differing by case", make: () => token({}, { kid: "RSA" }), reason: "unknown_kid" },
    { name: "a path-traversal kid", make: () => token({}, { kid: "../../../etc/passwd" }), reason: "unknown_kid" },
    { name: "an SQL kid", make: () => token({}, { kid: "' OR '1'='1" }), reason: "unknown_kid" },
    { name: "a kid with a NUL", make: () => token({}, { kid: "rsa\u0000" }), reason: "unknown_kid" },
    { name: "a __proto__ kid", make: () => token({}, { kid: "__proto__" }), reason: "unknown_kid" },
    // 5. crit and b64
    { name: "an unknown crit extension", make: () => token({}, { crit: ["x-custom"], "x-custom": 1 }), reason: "unsupported_header" },
    { name: "crit naming a registered claim", make: () => token({}, { crit: ["exp"] }), reason: "unsupported_header" },
    { name: "an empty crit", make: () => token({}, { crit: [] }), reason: "unsupported_header" },
    { name: "b64:false with crit", make: () => token({}, { b64: false, crit: ["b64"] }), reason: "unsupported_header" },
    { name: "b64:false without crit", make: () => token({}, { b64: false }), reason: "unsupported_header" },
    // 6. registered claims and the clock
    { name: "missing sub", make: () => token({ sub: undefined }), reason: "missing_claim", detail: "sub" },
    { name: "empty sub", make: () => token({ sub: "" }), reason: "missing_claim", detail: "sub" },
    { name: "numeric sub", make: () => token({ sub: 42 }), reason: "missing_claim", detail: "sub" },
    { name: "sub as an array", make: () => token({ sub: [SUB] }), reason: "missing_claim", detail: "sub" },
    { name: "missing iat", make: () => token({ iat: undefined }), reason: "missing_claim", detail: "iat" },
    { name: "iat as a string", make: () => token({ iat: String(NOW) }), reason: "missing_claim", detail: "iat" },
    { name: "missing exp", make: () => token({ exp: undefined }), reason: "missing_claim", detail: "exp" },
    { name: "exp as a string", make: () => token({ exp: String(NOW + 300) }), reason: "missing_claim", detail: "exp" },
    { name: "exp of 1e400 (Infinity once parsed)", make: () => signSegments(json({ alg: "RS256", kid: "rsa" }), b64u(JSON.stringify(claims({ exp: 0 })).replace('"exp":0', '"exp":1e400')), "RS256"), reason: "missing_claim", detail: "exp" },
    { name: "nbf as a string", make: () => token({ nbf: String(NOW) }), reason: "missing_claim", detail: "nbf" },
    { name: "a numeric jti (it would escape the single-use check)", make: () => token({ jti: 12345 }), reason: "missing_claim", detail: "jti is not a string" },
    { name: "an object jti", make: () => token({ jti: { id: "x" } }), reason: "missing_claim", detail: "jti is not a string" },
    { name: "exp 31 s in the past", make: () => token({ iat: NOW - 300, exp: NOW - 31 }), reason: "token_expired" },
    { name: "exp long past", make: () => token({ iat: NOW - 86400, exp: NOW - 86100 }), reason: "token_expired" },
    { name: "nbf 31 s in the future", make: () => token({ nbf: NOW + 31 }), reason: "token_not_yet_valid" },
    { name: "iat 31 s in the future", make: () => token({ iat: NOW + 31, exp: NOW + 331 }), reason: "iat_in_future" },
    { name: "exp − iat one second over the issuer maximum", make: () => token({ iat: NOW, exp: NOW + 3601 }), reason: "lifetime_exceeded" },
    { name: "exp far in the future", make: () => token({ iat: NOW, exp: 1e15 }), reason: "lifetime_exceeded" },
    // 7. iss: byte for byte
    { name: "iss with a trailing slash", make: () => token({ iss: `${ISSUER}/` }), reason: "issuer_mismatch" },
    { name: "iss in another case", make: () => token({ iss: ISSUER.replace("idp", "IDP") }), reason: "issuer_mismatch" },
    { name: "iss with an upper-case scheme", make: () => token({ iss: ISSUER.replace("https", "HTTPS") }), reason: "issuer_mismatch" },
    { name: "iss with the default port", make: () => token({ iss: ISSUER.replace(".com", ".com:443") }), reason: "issuer_mismatch" },
    { name: "iss with another path", make: () => token({ iss: `${ISSUER}-evil` }), reason: "issuer_mismatch" },
    { name: "iss of the bare host", make: () => token({ iss: "https://idp.example.com" }), reason: "issuer_mismatch" },
    { name: "iss as an array", make: () => token({ iss: [ISSUER] }), reason: "issuer_mismatch" },
    { name: "missing iss", make: () => token({ iss: undefined }), reason: "issuer_mismatch" },
    // 9. signatures
    { name: "a signature from another key", make: () => token({}, {}, attacker.privateKey), reason: "signature_invalid" },
    { name: "a truncated signature", make: () => { const [h, p, s] = token().split("."); return `${h}.${p}.${b64u(Buffer.from(s!, "base64url").subarray(0, 200))}`; }, reason: "signature_invalid" },
    { name: "a bit-flipped signature", make: () => { const t = token(); const [h, p, s] = t.split("."); const sig = Buffer.from(s!, "base64url"); sig[10]! ^= 1; return `${h}.${p}.${b64u(sig)}`; }, reason: "signature_invalid" },
    { name: "an empty signature", make: () => `${token().split(".").slice(0, 2).join(".")}.`, reason: "signature_invalid" },
    { name: "an ES256 all-zero signature (psychic signature)", make: () => `${json({ alg: "ES256", kid: "ec" })}.${json(claims())}.${b64u(Buffer.alloc(64))}`, reason: "signature_invalid" },
    { name: "an ES256 signature in DER form", make: () => { const [h, p] = token({}, { alg: "ES256", kid: "ec" }).split("."); return `${h}.${p}.${b64u(sign("sha256", Buffer.from(`${h}.${p}`), ec.privateKey))}`; }, reason: "signature_invalid" },
    { name: "a payload swapped after signing", make: () => { const [h, , s] = token().split("."); return `${h}.${json(claims({ sub: "repo:evil/app" }))}.${s}`; }, reason: "signature_invalid" },
    { name: "a header swapped after signing", make: () => { const [, p, s] = token().split("."); return `${json({ alg: "PS256", kid: "rsa" })}.${p}.${s}`; }, reason: "signature_invalid" },
    // 10. structure
    { name: "a non-canonical header", make: () => { for (let n = 0; ; n++) { const h = json({ alg: "RS256", kid: "rsa", x: "y".repeat(n) }); if ((h.length * 6) % 8) return signSegments(nonCanonical(h), json(claims()), "RS256"); } }, reason: "malformed_jwt", detail: "header is not canonical base64url" },
    { name: "a non-canonical payload", make: () => signSegments(json({ alg: "RS256", kid: "rsa" }), nonCanonical(payloadWithSpareBits()), "RS256"), reason: "malformed_jwt", detail: "payload is not canonical base64url" },
    { name: "a non-canonical signature", make: () => { const [h, p, s] = token().split("."); return `${h}.${p}.${nonCanonical(s!)}`; }, reason: "malformed_jwt", detail: "signature is not canonical base64url" },
    { name: "a signature of 4n+1 characters (a dangling character decoders drop)", make: () => { const [h, p, s] = token().split("."); return `${h}.${p}.${s}${"A".repeat((1 - (s!.length % 4) + 4) % 4 || 4)}`; }, reason: "malformed_jwt", detail: "signature is not canonical base64url" },
    { name: "a padded payload", make: () => { for (let n = 0; ; n++) { const p = json(claims({ pad: "x".repeat(n) })); if (p.length % 4) return signSegments(json({ alg: "RS256", kid: "rsa" }), `${p}${"=".repeat(4 - (p.length % 4))}`, "RS256"); } }, reason: "malformed_jwt", detail: "payload is not base64url" },
    { name: "standard base64 (+ and /) in the payload", make: () => { for (let n = 0; ; n++) { const p = json(claims({ pad: "?".repeat(n) + "~>" })); if (/[-_]/.test(p)) return signSegments(json({ alg: "RS256", kid: "rsa" }), p.replace(/-/g, "+").replace(/_/g, "/"), "RS256"); } }, reason: "malformed_jwt", detail: "payload is not base64url" },
    { name: "a leading space", make: () => ` ${token()}`, reason: "malformed_jwt" },
    { name: "a trailing newline", make: () => `${token()}\n`, reason: "malformed_jwt" },
    { name: "a space inside the payload", make: () => { const [h, p] = token().split("."); return signSegments(h!, `${p!.slice(0, 8)} ${p!.slice(8)}`, "RS256"); }, reason: "malformed_jwt" },
    { name: "two segments", make: () => token().split(".").slice(0, 2).join("."), reason: "malformed_jwt" },
    { name: "four segments", make: () => `${token()}.${json({})}`, reason: "malformed_jwt" },
    { name: "five segments (a JWE)", make: () => `${json({ alg: "RSA-OAEP", enc: "A256GCM", kid: "rsa" })}.${b64u("k")}.${b64u("iv")}.${b64u("ct")}.${b64u("tag")}`, reason: "malformed_jwt" },
    { name: "an empty string", make: () => "", reason: "malformed_jwt" },
    { name: "a header that is not JSON", make: () => signSegments(b64u("alg=RS256"), json(claims()), "RS256"), reason: "malformed_jwt" },
    { name: "a header that is a JSON array", make: () => signSegments(json([{ alg: "RS256", kid: "rsa" }]), json(claims()), "RS256"), reason: "malformed_jwt" },
    { name: "a payload that is a JSON string", make: () => signSegments(json({ alg: "RS256", kid: "rsa" }), json(JSON.stringify(claims())), "RS256"), reason: "malformed_jwt" },
    { name: "a payload that is null", make: () => signSegments(json({ alg: "RS256", kid: "rsa" }), b64u("null"), "RS256"), reason: "malformed_jwt" },
    { name: "a payload that is not UTF-8", make: () => signSegments(json({ alg: "RS256", kid: "rsa" }), b64u(Buffer.concat([Buffer.from('{"sub":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')])), "RS256"), reason: "malformed_jwt" },
    { name: "duplicate sub in the payload", make: () => signSegments(json({ alg: "RS256", kid: "rsa" }), b64u(JSON.stringify(claims()).replace("{", '{"sub":"repo:evil/app",')), "RS256"), reason: "malformed_jwt", detail: "duplicate JSON key" },
    { name: "duplicate alg in the header", make: () => signSegments(b64u('{"alg":"none","alg":"RS256","kid":"rsa"}'), json(claims()), "RS256"), reason: "malformed_jwt", detail: "duplicate JSON key" },
    { name: "a duplicate key spelled with an escape", make: () => signSegments(json({ alg: "RS256", kid: "rsa" }), b64u(JSON.stringify(claims()).replace("{", '{"s\\u0075b":"repo:evil/app",')), "RS256"), reason: "malformed_jwt", detail: "duplicate JSON key" },
    { name: "a duplicate key in a nested claim", make: () => signSegments(json({ alg: "RS256", kid: "rsa" }), b64u(JSON.stringify(claims({ ctx: {} })).replace('"ctx":{}', '"ctx":{"a":1,"a":2}')), "RS256"), reason: "malformed_jwt", detail: "duplicate JSON key" },
    { name: "deep nesting", make: () => token({ nested: JSON.parse(`${"[".repeat(100)}${"]".repeat(100)}`) }), reason: "malformed_jwt", detail: "nested deeper" },
    { name: "deeply nested objects", make: () => token({ nested: JSON.parse(`${'{"a":'.repeat(40)}1${"}".repeat(40)}`) }), reason: "malformed_jwt", detail: "nested deeper" },
    { name: "a 16 KiB+ assertion", make: () => token({ pad: "x".repeat(16 * 1024) }), reason: "malformed_jwt", detail: "16 KiB" },
  ];

  it.each(rows)("$name → $reason", async ({ make, reason, detail }) => {
    const result = await outcome(await make());
    expect(result.reason).toBe(reason);
    if (detail) expect(result.detail).toContain(detail);
  });

  it("never fetched the key URLs that jku and x5u headers named", () => {
    expect(keyServerHits).toBe(0);
  });

  it("refuses a token jose signs with a crit extension it was told it understands", async () => {
    const jwt = await new CompactSign(new TextEncoder().encode(JSON.stringify(claims())))
      .setProtectedHeader({ alg: "RS256", kid: "rsa", crit: ["x-ours"], "x-ours": true })
      .sign(rsa.privateKey, { crit: { "x-ours": true } });
    expect((await outcome(jwt)).reason).toBe("unsupported_header");
  });
});

/** RFC 7515 appendix A: the JSON in these vectors has CRLF and spaces, as issuers may emit. */
describe("RFC 7515 vectors", () => {
  const payload = "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ";
  const a1 = `eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.${payload}.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk`;
  const a1Key = Buffer.from("AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow", "base64url");
  const a5 = `eyJhbGciOiJub25lIn0.${payload}.`;

  it("A.1 is the genuine HS256 example (its HMAC verifies), and is refused for its algorithm", async () => {
    const [h, p, sig] = a1.split(".");
    expect(b64u(createHmac("sha256", a1Key).update(`${h}.${p}`).digest())).toBe(sig);
    expect((await outcome(a1)).reason).toBe("algorithm_not_allowed");
  });

  it("A.5, the unsecured JWS, is refused for its algorithm", async () => {
    expect((await outcome(a5)).reason).toBe("algorithm_not_allowed");
  });

  it("decodes the vectors' CRLF-formatted JSON for display", () => {
    const decoded = decodeAssertionUnverified(a1);
    expect(decoded).toMatchObject({ header: { typ: "JWT", alg: "HS256" }, claims: { iss: "joe", exp: 1300819380, "http://example.com/is_root": true } });
  });
});

describe("parseStrictJson", () => {
  it.each([
    ['{"a":1,"a":1}', "duplicate"],
    ['{"a":{"b":1,"b":2}}', "duplicate"],
    ['[{"a":1,"a":2}]', "duplicate"],
    ['{"a\\"":1,"a\\"":2}', "duplicate"],
    ['{"a\\\\":1,"a\\\\":2}', "duplicate"],
    ['{"a":"},{\\"a\\":","a":1}', "duplicate"],
    ['{"x":[1,{"y":"]"}],"x":2}', "duplicate"],
    ['{"k":{},"k":{}}', "duplicate"],
    [`${"[".repeat(33)}${"]".repeat(33)}`, "nested deeper"],
  ])("refuses %s", (text, detail) => {
    expect(() => parseStrictJson(text)).toThrow(detail);
  });

  it.each(['{"a":1,"b":{"a":2},"c":[{"a":3},{"a":4}]}', '{"a\\"b":1,"a\\\\":2, "s": "}{\\",:"}', "[]", '{ "a" : [ 1 , 2 ] , "b" : { } }', `${"[".repeat(32)}${"]".repeat(32)}`, '{"a":"\\\\","b":"\\\\\\"","a\\\\b":1,"a\\u005cb2":2}', '{"a":{"b":1},"b":{"a":1}}'])("accepts %s", (text) => {
    expect(parseStrictJson(text)).toEqual(JSON.parse(text));
  });
});

describe("decodeAssertionUnverified", () => {
  it("decodes the claims of a token it could not verify, for the history", () => {
    const decoded = decodeAssertionUnverified(token({}, {}, attacker.privateKey));
    expect(decoded).not.toBeInstanceOf(ExchangeDenied);
    expect(!(decoded instanceof ExchangeDenied) && decoded.claims.sub).toBe(SUB);
  });

  it("returns (never throws) a malformed_jwt for garbage", () => {
    const decoded = decodeAssertionUnverified("%%%.%%%.%%%");
    expect(decoded).toBeInstanceOf(ExchangeDenied);
    expect((decoded as ExchangeDenied).reason).toBe("malformed_jwt");
  });
});
