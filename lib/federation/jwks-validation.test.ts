import { exportJWK, generateKeyPair } from "jose";
import { afterEach, describe, expect, it } from "vitest";
import { rsaModulusBits, validateJwkSet } from "./jwks-validation";

describe("rsaModulusBits", () => {
  const realBuffer = globalThis.Buffer;
  afterEach(() => {
    globalThis.Buffer = realBuffer;
  });

  it.each([2048, 3072])("counts the bits of a %i-bit modulus", async (bits) => {
    const { publicKey } = await generateKeyPair("RS256", { modulusLength: bits, extractable: true });
    expect(rsaModulusBits((await exportJWK(publicKey)).n!)).toBe(bits);
  });

  it("works where Buffer is missing (the console validates pasted keys in the browser)", async () => {
    const { publicKey } = await generateKeyPair("RS256", { extractable: true });
    const jwk = { ...(await exportJWK(publicKey)), kid: "k1" };
    // @ts-expect-error -- simulate the browser
    globalThis.Buffer = undefined;
    expect(validateJwkSet([jwk])).toBeNull();
    expect(validateJwkSet([{ ...jwk, n: jwk.n!.slice(0, 100) }])).toMatch(/RSA key of \d+ bits; at least 2048/);
  });

  it("treats malformed base64url as no modulus", () => {
    expect(rsaModulusBits("A")).toBe(0);
  });
});
