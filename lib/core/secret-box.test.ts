import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { keyringFrom, openSecret, sealedWithOldKey, sealSecret, SecretUnreadable } from "./secret-box";

describe("secret box", () => {
  const a = randomBytes(32);
  const b = randomBytes(32);

  it("seals and opens; the ciphertext does not contain the secret and differs each time", () => {
    const ring = keyringFrom(a);
    const s1 = sealSecret(ring, "sk-ant-api03-secret", "row:1");
    const s2 = sealSecret(ring, "sk-ant-api03-secret", "row:1");
    expect(s1).not.toContain("secret");
    expect(s1).not.toBe(s2);
    expect(openSecret(ring, s1, "row:1")).toBe("sk-ant-api03-secret");
  });

  it.each([
    ["another row's additional data", (s: string) => s, "row:2"],
    ["a flipped ciphertext byte", (s: string) => s.replace(/\.([A-Za-z0-9_-])([^.]*)\.([^.]+)$/, (_m, c: string, rest: string, tag: string) => `.${c === "A" ? "B" : "A"}${rest}.${tag}`), "row:1"],
    ["a truncated tag", (s: string) => s.slice(0, -2), "row:1"],
    ["no version", (s: string) => s.replace(/^v1\./, "v0."), "row:1"],
  ])("refuses %s", (_name, tamper, aad) => {
    const ring = keyringFrom(a);
    expect(() => openSecret(ring, tamper(sealSecret(ring, "secret-value", "row:1")), aad)).toThrow(SecretUnreadable);
  });

  it("rotates: a value sealed with the previous key opens while that key is listed, and is flagged for re-sealing", () => {
    const old = sealSecret(keyringFrom(a), "k", "row");
    const rotated = keyringFrom(b, [a]);
    expect(openSecret(rotated, old, "row")).toBe("k");
    expect(sealedWithOldKey(rotated, old)).toBe(true);
    expect(sealedWithOldKey(rotated, sealSecret(rotated, "k", "row"))).toBe(false);
    expect(() => openSecret(keyringFrom(b), old, "row")).toThrow(/neither WIF_SECRET_KEY/);
  });
});
