/**
 * The signature check refuses every key that does not fit the algorithm, on its
 * own (not only because key-resolver.ts imported the key for that algorithm), and verifies
 * exactly the signatures RFC 7518 defines — one case per attack.
 */
import { constants, createSecretKey, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { AllowedAlgorithm } from "./signing-algorithms";
import { toKeyObject, verifyJwsSignature } from "./verify-signature";

const p256 = generateKeyPairSync("ec", { namedCurve: "P-256" });
const p384 = generateKeyPairSync("ec", { namedCurve: "P-384" });
const p521 = generateKeyPairSync("ec", { namedCurve: "P-521" });
const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
const smallRsa = generateKeyPairSync("rsa", { modulusLength: 1024 });
const INPUT = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJyZXBvOmFjbWUvYXBwIn0";

const ecSign = (hash: string, key: KeyObject) => sign(hash, Buffer.from(INPUT), { key, dsaEncoding: "ieee-p1363" });
const rsSign = (hash: string, key: KeyObject) => sign(hash, Buffer.from(INPUT), { key, padding: constants.RSA_PKCS1_PADDING });
const psSign = (hash: string, key: KeyObject, saltLength: number) => sign(hash, Buffer.from(INPUT), { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength });

describe("verifyJwsSignature", () => {
  it.each<[AllowedAlgorithm, KeyObject, Buffer]>([
    ["ES256", p256.publicKey, ecSign("sha256", p256.privateKey)],
    ["ES384", p384.publicKey, ecSign("sha384", p384.privateKey)],
    ["ES512", p521.publicKey, ecSign("sha512", p521.privateKey)],
    ["RS256", rsa.publicKey, rsSign("sha256", rsa.privateKey)],
    ["RS512", rsa.publicKey, rsSign("sha512", rsa.privateKey)],
    ["PS256", rsa.publicKey, psSign("sha256", rsa.privateKey, 32)],
    ["PS384", rsa.publicKey, psSign("sha384", rsa.privateKey, 48)],
  ])("verifies %s", async (alg, key, signature) => {
    expect(await verifyJwsSignature(INPUT, signature, key, alg)).toBe(true);
    expect(await verifyJwsSignature(`${INPUT}x`, signature, key, alg)).toBe(false);
  });

  it.each<[string, AllowedAlgorithm, KeyObject, Buffer, RegExp | false]>([
    ["ES256 with a P-384 key", "ES256", p384.publicKey, ecSign("sha256", p384.privateKey), /P-256|prime256v1/],
    ["ES384 with a P-256 key", "ES384", p256.publicKey, ecSign("sha384", p256.privateKey), /secp384r1/],
    ["ES256 with an RSA key", "ES256", rsa.publicKey, rsSign("sha256", rsa.privateKey), /EC key/],
    ["RS256 with an EC key", "RS256", p256.publicKey, ecSign("sha256", p256.privateKey), /RSA key/],
    ["RS256 with a 1024-bit key", "RS256", smallRsa.publicKey, rsSign("sha256", smallRsa.privateKey), /2048 bits/],
    ["a private key given as the verifier", "ES256", p256.privateKey, ecSign("sha256", p256.privateKey), /private key cannot verify/],
    ["PS256 with a PKCS#1 v1.5 signature", "PS256", rsa.publicKey, rsSign("sha256", rsa.privateKey), false],
    ["RS256 with a PSS signature", "RS256", rsa.publicKey, psSign("sha256", rsa.privateKey, 32), false],
    ["PS256 with a salt shorter than the hash", "PS256", rsa.publicKey, psSign("sha256", rsa.privateKey, 0), false],
    ["ES256 with a DER-encoded signature", "ES256", p256.publicKey, sign("sha256", Buffer.from(INPUT), p256.privateKey), false],
    ["ES256 with a truncated signature", "ES256", p256.publicKey, ecSign("sha256", p256.privateKey).subarray(0, 63), false],
    ["ES256 with an empty signature", "ES256", p256.publicKey, Buffer.alloc(0), false],
    ["ES256 with all-zero r and s", "ES256", p256.publicKey, Buffer.alloc(64), false],
  ])("refuses %s", async (_name, alg, key, signature, thrown) => {
    if (thrown) await expect(verifyJwsSignature(INPUT, signature, key, alg)).rejects.toThrow(thrown);
    else expect(await verifyJwsSignature(INPUT, signature, key, alg)).toBe(false);
  });

  it("has no key to give for a secret (HMAC) key", async () => {
    expect(toKeyObject(new Uint8Array(32))).toBeUndefined();
    await expect(verifyJwsSignature(INPUT, Buffer.alloc(32), createSecretKey(Buffer.alloc(32)), "RS256")).rejects.toThrow(/secret key cannot verify/);
  });
});
