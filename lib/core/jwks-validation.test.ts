/**
 * Pasted JWK sets: every unusable key is named with its index and why, so a private key,
 * a symmetric secret or a weak RSA key never becomes a verification key.
 */
import { generateKeyPairSync } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { rsaModulusBits, validateJwkSet } from "./jwks-validation";

const jwkOf = (kind: "rsa" | "ec", opts: { modulusLength?: number; namedCurve?: string } = {}) => {
  const pair = kind === "rsa" ? generateKeyPairSync("rsa", { modulusLength: opts.modulusLength ?? 2048 }) : generateKeyPairSync("ec", { namedCurve: opts.namedCurve ?? "P-256" });
  return { public: pair.publicKey.export({ format: "jwk" }) as Record<string, unknown>, private: pair.privateKey.export({ format: "jwk" }) as Record<string, unknown> };
};

const rsa = jwkOf("rsa");
const ec256 = jwkOf("ec");
const rsaPub: Record<string, unknown> = { ...rsa.public, kid: "r1" };
const ecPub: Record<string, unknown> = { ...ec256.public, kid: "e1" };

describe("validateJwkSet", () => {
  it.each<[string, unknown]>([
    ["an RSA 2048 key", [rsaPub]],
    ["RSA, P-256, P-384 and P-521 keys", [rsaPub, ecPub, { ...jwkOf("ec", { namedCurve: "P-384" }).public, kid: "e3" }, { ...jwkOf("ec", { namedCurve: "P-521" }).public, kid: "e5" }]],
    ["a key with use sig and a fitting alg", [{ ...rsaPub, use: "sig", alg: "RS512" }, { ...ecPub, alg: "ES256" }]],
    ["a 4096-bit RSA key", [{ ...jwkOf("rsa", { modulusLength: 4096 }).public, kid: "big" }]],
    ["100 keys", Array.from({ length: 100 }, (_, i) => ({ ...ecPub, kid: `k${i}` }))],
  ])("accepts %s", (_label, keys) => {
    expect(validateJwkSet(keys)).toBeNull();
  });

  it.each<[string, unknown, string]>([
    ["a set that is not an array", { keys: [rsaPub] }, "jwks.keys: must be an array of JWK objects"],
    ["an empty set", [], "jwks.keys: must contain at least one key"],
    ["101 keys", Array.from({ length: 101 }, (_, i) => ({ ...ecPub, kid: `k${i}` })), "jwks.keys: must contain at most 100 keys"],
    ["a key that is not an object", ["r1"], "jwks.keys[0]: must be a JWK object"],
    ["a null key", [null], "jwks.keys[0]: must be a JWK object"],
    ["a nested array", [[rsaPub]], "jwks.keys[0]: must be a JWK object"],
    ["a full RSA private key", [{ ...rsa.private, kid: "r1" }], 'jwks.keys[0]: contains the private member "d"'],
    ["an EC private key", [{ ...ec256.private, kid: "e1" }], 'jwks.keys[0]: contains the private member "d"'],
    ...(["p", "q", "dp", "dq", "qi", "oth"] as const).map((m): [string, unknown, string] => [`an RSA key carrying ${m}`, [{ ...rsaPub, [m]: "AQAB" }], `jwks.keys[0]: contains the private member "${m}"`]),
    ["an HMAC secret", [{ kty: "oct", kid: "h", k: "c2VjcmV0" }], 'jwks.keys[0]: contains the private member "k"'],
    ["an oct key without its secret", [{ kty: "oct", kid: "h" }], "jwks.keys[0]: is a symmetric key (kty oct)"],
    ["an OKP key", [{ kty: "OKP", crv: "Ed25519", kid: "o", x: "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo" }], "jwks.keys[0]: is an OKP (EdDSA) key"],
    ["an unknown kty", [{ kty: "DSA", kid: "d" }], 'jwks.keys[0]: has kty "DSA"; expected RSA or EC'],
    ["a lower-case kty", [{ ...rsaPub, kty: "rsa" }], 'jwks.keys[0]: has kty "rsa"'],
    ["a missing kty", [{ kid: "x", n: rsaPub.n, e: rsaPub.e }], "jwks.keys[0]: has kty undefined"],
    ["a missing kid", [{ ...rsaPub, kid: undefined }], "jwks.keys[0]: has no kid"],
    ["an empty kid", [{ ...rsaPub, kid: "" }], "jwks.keys[0]: has no kid"],
    ["a numeric kid", [{ ...rsaPub, kid: 1 }], "jwks.keys[0]: has no kid"],
    ["a kid over 256", [{ ...rsaPub, kid: "k".repeat(257) }], "jwks.keys[0]: has a kid longer than 256 characters"],
    ["an encryption key", [{ ...rsaPub, use: "enc" }], 'jwks.keys[0]: has use "enc"'],
    ["alg none", [{ ...rsaPub, alg: "none" }], 'jwks.keys[0]: has alg "none"'],
    ["alg HS256", [{ ...rsaPub, alg: "HS256" }], 'jwks.keys[0]: has alg "HS256"'],
    ["alg RSA-OAEP (encryption)", [{ ...rsaPub, alg: "RSA-OAEP" }], 'jwks.keys[0]: has alg "RSA-OAEP"'],
    ["an RSA key without n", [{ ...rsaPub, n: undefined }], "jwks.keys[0]: is an RSA key without base64url n and e"],
    ["an RSA key with standard base64", [{ ...rsaPub, n: `${String(rsaPub.n).slice(0, -2)}+/` }], "jwks.keys[0]: is an RSA key without base64url n and e"],
    ["an RSA key of 1024 bits", [{ ...jwkOf("rsa", { modulusLength: 1024 }).public, kid: "small" }], "jwks.keys[0]: is an RSA key of 1024 bits; at least 2048 are required"],
    ["an RSA key of 2047 bits", [{ ...jwkOf("rsa", { modulusLength: 2047 }).public, kid: "odd" }], "jwks.keys[0]: is an RSA key of 2047 bits"],
    ["a 1024-bit key padded with zero bytes", [{ ...rsaPub, n: Buffer.concat([Buffer.alloc(200), Buffer.from(String(jwkOf("rsa", { modulusLength: 1024 }).public.n), "base64url")]).toString("base64url") }], "jwks.keys[0]: is an RSA key of 1024 bits"],
    ["an RSA key for ES256", [{ ...rsaPub, alg: "ES256" }], "jwks.keys[0]: is an RSA key but alg is ES256"],
    ["an EC key on secp256k1", [{ ...ecPub, crv: "secp256k1" }], 'jwks.keys[0]: has crv "secp256k1"'],
    ["an EC key without y", [{ ...ecPub, y: undefined }], "jwks.keys[0]: is an EC key without base64url x and y"],
    ["a P-256 key for ES512", [{ ...ecPub, alg: "ES512" }], "jwks.keys[0]: is a P-256 key but alg is ES512 (expected ES256)"],
    ["an EC key for RS256", [{ ...ecPub, alg: "RS256" }], "jwks.keys[0]: is a P-256 key but alg is RS256"],
    ["a duplicate kid", [rsaPub, ecPub, { ...ecPub }], 'jwks.keys[2]: kid "e1" is also used by jwks.keys[1]; key IDs must be unique'],
    ["a later bad key after good ones", [rsaPub, ecPub, { ...rsaPub, kid: "r2", d: "x" }], 'jwks.keys[2]: contains the private member "d"'],
  ])("refuses %s", (_label, keys, message) => {
    const problem = validateJwkSet(keys);
    expect(problem?.startsWith(message), String(problem)).toBe(true);
  });
});

describe("rsaModulusBits", () => {
  it.each<[string, string, number]>([
    ["a 2048-bit modulus", String(rsaPub.n), 2048],
    ["leading zero bytes", Buffer.from([0, 0, 0x80, 0]).toString("base64url"), 16],
    ["a single bit", Buffer.from([1]).toString("base64url"), 1],
    ["all zeros", Buffer.alloc(8).toString("base64url"), 0],
    ["nothing", "", 0],
  ])("counts %s", (_label, n, bits) => {
    expect(rsaModulusBits(n)).toBe(bits);
  });
});

describe("without Node's Buffer", () => {
  const realBuffer = globalThis.Buffer;
  afterEach(() => {
    globalThis.Buffer = realBuffer;
  });

  it("validates pasted keys where Buffer is missing (a browser, another runtime)", () => {
    const jwk: Record<string, unknown> = { ...jwkOf("rsa").public, kid: "k1" };
    // @ts-expect-error -- simulate the browser
    globalThis.Buffer = undefined;
    expect(validateJwkSet([jwk])).toBeNull();
    expect(validateJwkSet([{ ...jwk, n: (jwk.n as string).slice(0, 100) }])).toMatch(/RSA key of \d+ bits; at least 2048/);
  });

  it("treats malformed base64url as no modulus", () => {
    expect(rsaModulusBits("A")).toBe(0);
  });
});
