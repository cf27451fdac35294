/**
 * Console passwords, hashed with scrypt (memory-hard: N=2^15, r=8, p=1 needs 32 MiB per
 * hash). The stored form carries its parameters so they can be raised later without
 * invalidating existing hashes: `scrypt$<log2 N>$<r>$<p>$<salt>$<hash>` (base64url).
 */
import "server-only";
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from "node:crypto";

export const SCRYPT_PARAMS = { log2N: 15, r: 8, p: 1, saltBytes: 16, keyBytes: 32 } as const;

/** Upper bounds for parameters read back from the database, so a tampered row cannot exhaust memory. */
const MAX_LOG2N = 20;
const MAX_R = 16;
const MAX_P = 4;

function scrypt(password: string, salt: Buffer, keyBytes: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // maxmem must exceed 128·N·r (32 MiB at the defaults) with room to spare.
    scryptCallback(password.normalize("NFC"), salt, keyBytes, { ...options, maxmem: 256 * (options.N ?? 0) * (options.r ?? 0) + 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

export async function hashPassword(password: string): Promise<string> {
  const { log2N, r, p, saltBytes, keyBytes } = SCRYPT_PARAMS;
  const salt = randomBytes(saltBytes);
  const key = await scrypt(password, salt, keyBytes, { N: 2 ** log2N, r, p });
  return ["scrypt", log2N, r, p, salt.toString("base64url"), key.toString("base64url")].join("$");
}

interface ParsedHash {
  log2N: number;
  r: number;
  p: number;
  salt: Buffer;
  key: Buffer;
}

function parseHash(stored: string): ParsedHash | undefined {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return undefined;
  const [log2N, r, p] = parts.slice(1, 4).map((n) => (/^\d{1,2}$/.test(n!) ? Number(n) : NaN)) as [number, number, number];
  if (!(log2N >= 10 && log2N <= MAX_LOG2N && r >= 1 && r <= MAX_R && p >= 1 && p <= MAX_P)) return undefined;
  const salt = Buffer.from(parts[4]!, "base64url");
  const key = Buffer.from(parts[5]!, "base64url");
  if (salt.length < 16 || key.length < 16 || key.length > 64) return undefined;
  return { log2N, r, p, salt, key };
}

/** Whether `password` matches `stored`. A malformed stored hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed) {
    // Same cost as a real check, so a broken row is not visible in timing either.
    await burnPasswordCheck(password);
    return false;
  }
  const key = await scrypt(password, parsed.salt, parsed.key.length, { N: 2 ** parsed.log2N, r: parsed.r, p: parsed.p });
  return timingSafeEqual(key, parsed.key);
}

const DUMMY_SALT = Buffer.alloc(SCRYPT_PARAMS.saltBytes, 0x5a);

/**
 * Spend the time a real verification takes, for sign-ins naming an unknown or disabled
 * user: without it, "no such user" answers measurably faster than "wrong password".
 */
export async function burnPasswordCheck(password: string): Promise<void> {
  const { log2N, r, p, keyBytes } = SCRYPT_PARAMS;
  const key = await scrypt(password, DUMMY_SALT, keyBytes, { N: 2 ** log2N, r, p });
  timingSafeEqual(key, Buffer.alloc(keyBytes));
}

/** Whether a stored hash uses weaker parameters than today's (for re-hashing on sign-in). */
export function needsRehash(stored: string): boolean {
  const parsed = parseHash(stored);
  return !parsed || parsed.log2N < SCRYPT_PARAMS.log2N || parsed.r < SCRYPT_PARAMS.r;
}

/** A random initial password for a new user: 20 characters from an unambiguous alphabet. */
export function generatePassword(): string {
  const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  // 256 is not a multiple of the alphabet size; reject bytes past the last full cycle to avoid bias.
  const limit = 256 - (256 % alphabet.length);
  let out = "";
  while (out.length < 20) {
    for (const b of randomBytes(32)) {
      if (b < limit && out.length < 20) out += alphabet[b % alphabet.length];
    }
  }
  return out;
}
