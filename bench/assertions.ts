/**
 * The benches' issuer, key and assertions: ES256 signed with node:crypto directly (far faster
 * than jose's async signer), each with a fresh jti. Shared by the token endpoint and retention
 * benches so both load the server with the same tokens.
 */
import { generateKeyPairSync, randomUUID, sign } from "node:crypto";

export const ISSUER = "https://bench.wif.test";
export const AUDIENCE = "https://api.anthropic.com";
export const SUBJECT = "repo:acme/app:ref:refs/heads/main";

export const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
export const jwk = { ...publicKey.export({ format: "jwk" }), kid: "bench", alg: "ES256" };
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const header = b64({ alg: "ES256", kid: "bench", typ: "JWT" });

/** `count` assertions from ISSUER for SUBJECT and AUDIENCE, valid 15 minutes, with `claims` added. */
export function signAssertions(count: number, claims: Record<string, unknown> = {}): string[] {
  const now = Math.floor(Date.now() / 1000);
  const out: string[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const input = `${header}.${b64({ iss: ISSUER, sub: SUBJECT, aud: AUDIENCE, iat: now, exp: now + 900, jti: randomUUID(), ...claims })}`;
    out[i] = `${input}.${sign("sha256", Buffer.from(input), { key: privateKey, dsaEncoding: "ieee-p1363" }).toString("base64url")}`;
  }
  return out;
}
