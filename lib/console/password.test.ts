import { describe, expect, it } from "vitest";
import { generatePassword, hashPassword, needsRehash, SCRYPT_PARAMS, verifyPassword } from "./password";

describe("password hashing", () => {
  it("stores scrypt parameters, a 16-byte salt and the key, never the password", async () => {
    const stored = await hashPassword("correct horse battery staple");
    const [scheme, log2N, r, p, salt, key] = stored.split("$");
    expect(scheme).toBe("scrypt");
    expect([Number(log2N), Number(r), Number(p)]).toEqual([15, 8, 1]);
    expect(Buffer.from(salt!, "base64url")).toHaveLength(16);
    expect(Buffer.from(key!, "base64url")).toHaveLength(SCRYPT_PARAMS.keyBytes);
    expect(stored).not.toContain("horse");
  });

  it("salts every hash", async () => {
    const [a, b] = await Promise.all([hashPassword("same password here"), hashPassword("same password here")]);
    expect(a).not.toBe(b);
  });

  it("verifies the right password and refuses others", async () => {
    const stored = await hashPassword("correct horse battery staple");
    await expect(verifyPassword("correct horse battery staple", stored)).resolves.toBe(true);
    await expect(verifyPassword("correct horse battery stapler", stored)).resolves.toBe(false);
    await expect(verifyPassword("", stored)).resolves.toBe(false);
  });

  it("refuses a tampered or malformed stored hash instead of throwing", async () => {
    const stored = await hashPassword("correct horse battery staple");
    const parts = stored.split("$");
    await expect(verifyPassword("correct horse battery staple", [...parts.slice(0, 5), Buffer.alloc(32).toString("base64url")].join("$"))).resolves.toBe(false);
    await expect(verifyPassword("x", "plaintext")).resolves.toBe(false);
    // Absurd cost parameters are refused rather than run.
    await expect(verifyPassword("x", ["scrypt", 30, 8, 1, parts[4], parts[5]].join("$"))).resolves.toBe(false);
  });

  it("flags weaker parameters for re-hashing", async () => {
    expect(needsRehash(await hashPassword("correct horse battery staple"))).toBe(false);
    expect(needsRehash("scrypt$14$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")).toBe(true);
  });

  it("generates 20-character initial passwords", () => {
    const a = generatePassword();
    expect(a).toMatch(/^[a-zA-Z2-9]{20}$/);
    expect(generatePassword()).not.toBe(a);
  });
});
