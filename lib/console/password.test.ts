import { randomBytes, scryptSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ARGON2_PARAMS, burnPasswordCheck, generatePassword, hashPassword, MAX_CONCURRENT_HASHES, needsRehash, passwordHashStats, verifyPassword } from "./password";

/** A hash as the previous version stored it: scrypt N=2^15, r=8, p=1, made here with node:crypto, not our code. */
function legacyScryptHash(password: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(password.normalize("NFC"), salt, 32, { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
  return ["scrypt", 15, 8, 1, salt.toString("base64url"), key.toString("base64url")].join("$");
}

describe("password hashing", () => {
  it("stores argon2id with OWASP's parameters (m=19 MiB, t=2, p=1), a salt and the key, never the password", async () => {
    const stored = await hashPassword("correct horse battery staple");
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(ARGON2_PARAMS).toMatchObject({ memoryCost: 19 * 1024, timeCost: 2, parallelism: 1 });
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

  it("matches composed and decomposed accents alike (NFC)", async () => {
    const stored = await hashPassword("caf\u00e9 au lait, please");
    await expect(verifyPassword("cafe\u0301 au lait, please", stored)).resolves.toBe(true);
  });

  it("still verifies legacy scrypt hashes, and flags them for re-hashing", async () => {
    const legacy = legacyScryptHash("correct horse battery staple");
    await expect(verifyPassword("correct horse battery staple", legacy)).resolves.toBe(true);
    await expect(verifyPassword("correct horse battery stapler", legacy)).resolves.toBe(false);
    expect(needsRehash(legacy)).toBe(true);
    expect(needsRehash(await hashPassword("correct horse battery staple"))).toBe(false);
  });

  it("flags argon2id hashes with weaker parameters for re-hashing", () => {
    const weaker = "$argon2id$v=19$m=4096,t=3,p=1$WlpaWlpaWlpaWlpaWlpaWg$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    expect(needsRehash(weaker)).toBe(true);
    expect(needsRehash("$argon2i$v=19$m=19456,t=2,p=1$WlpaWlpaWlpaWlpaWlpaWg$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")).toBe(true);
  });

  it("refuses a tampered or malformed stored hash instead of throwing or running it", async () => {
    const stored = await hashPassword("correct horse battery staple");
    const parts = stored.split("$");
    await expect(verifyPassword("correct horse battery staple", [...parts.slice(0, 5), Buffer.alloc(32).toString("base64").replace(/=+$/, "")].join("$"))).resolves.toBe(false);
    await expect(verifyPassword("x", "plaintext")).resolves.toBe(false);
    await expect(verifyPassword("x", "$argon2id$garbage")).resolves.toBe(false);
    // Absurd cost parameters are refused rather than run (4 GiB; 2^30 for scrypt).
    await expect(verifyPassword("x", stored.replace("m=19456", "m=4194304"))).resolves.toBe(false);
    const legacy = legacyScryptHash("x").split("$");
    await expect(verifyPassword("x", ["scrypt", 30, 8, 1, legacy[4], legacy[5]].join("$"))).resolves.toBe(false);
  });

  it("computes at most MAX_CONCURRENT_HASHES at once; the rest wait their turn", async () => {
    const before = passwordHashStats().computed;
    let mostRunning = 0;
    let mostWaiting = 0;
    const watch = setInterval(() => {
      const { running, waiting } = passwordHashStats();
      mostRunning = Math.max(mostRunning, running);
      mostWaiting = Math.max(mostWaiting, waiting);
    }, 1);
    const work = Array.from({ length: 6 }, (_, i) => (i % 2 ? burnPasswordCheck(`password ${i}`) : hashPassword(`password ${i}`)));
    // Queued synchronously: all but the first are waiting before any finishes.
    expect(passwordHashStats()).toMatchObject({ running: MAX_CONCURRENT_HASHES, waiting: 6 - MAX_CONCURRENT_HASHES });
    await Promise.all(work);
    clearInterval(watch);
    expect(mostRunning).toBe(MAX_CONCURRENT_HASHES);
    expect(passwordHashStats()).toMatchObject({ computed: before + 6, running: 0, waiting: 0 });
  });

  it("generates 20-character initial passwords", () => {
    const a = generatePassword();
    expect(a).toMatch(/^[a-zA-Z2-9]{20}$/);
    expect(generatePassword()).not.toBe(a);
  });
});
