/**
 * Console passwords, hashed with argon2id at OWASP's current minimum (m = 19 MiB, t = 2,
 * p = 1), stored in the PHC form that carries its parameters (`$argon2id$v=19$m=…`), so
 * they can be raised later without invalidating existing hashes. Hashes from before
 * (`scrypt$15$8$1$salt$key`) still verify and are replaced on the next successful sign-in
 * (`needsRehash`).
 *
 * Hashing is memory- and CPU-hard on purpose, and @node-rs/argon2 (like node:crypto's
 * scrypt) runs it on libuv's thread pool — the four threads the token endpoint's
 * signature checks also use. So at most `MAX_CONCURRENT_HASHES` run at once, process-wide;
 * others wait in a bounded queue, and a flood of sign-ins queues behind itself instead of
 * occupying the pool.
 */
import "server-only";
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from "node:crypto";
import { hash as argon2Hash, parseOptions, verify as argon2Verify, type Algorithm, type Options } from "@node-rs/argon2";
import { rateLimited } from "../core/errors";

/** @see https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html#argon2id */
export const ARGON2_PARAMS = { memoryCost: 19_456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

const ARGON2ID = 2 as Algorithm; // Algorithm.Argon2id; a const enum, which isolated modules cannot read
const OPTIONS: Options = { ...ARGON2_PARAMS, algorithm: ARGON2ID };

/** Upper bounds for parameters read back from the database, so a tampered row cannot exhaust memory or time. */
const MAX_ARGON2 = { memoryCost: 256 * 1024, timeCost: 10, parallelism: 4 };

/** Hashes computed at once; one leaves three of libuv's four threads to everything else. */
export const MAX_CONCURRENT_HASHES = 1;
/** Hashes waiting beyond which a sign-in is refused at once (a few seconds of work at ~20–40 ms each). */
const MAX_WAITING_HASHES = 64;

interface HashQueue {
  running: number;
  waiting: Array<() => void>;
  computed: number;
}

// One queue per process, shared by every bundle of this module Next may create.
const QUEUE_KEY = Symbol.for("wif-console.password-hash-queue");
function queue(): HashQueue {
  const holder = globalThis as { [QUEUE_KEY]?: HashQueue };
  holder[QUEUE_KEY] ??= { running: 0, waiting: [], computed: 0 };
  return holder[QUEUE_KEY];
}

/** For observability and tests: hashes computed by this process so far, running now and waiting. */
export function passwordHashStats(): { computed: number; running: number; waiting: number } {
  const q = queue();
  return { computed: q.computed, running: q.running, waiting: q.waiting.length };
}

/** Run one hash computation when a slot is free; refuse at once when the queue is full. */
async function inHashSlot<T>(compute: () => Promise<T>): Promise<T> {
  const q = queue();
  if (q.running >= MAX_CONCURRENT_HASHES) {
    if (q.waiting.length >= MAX_WAITING_HASHES) throw rateLimited("The server is busy signing people in; try again in a moment");
    // The finishing hash hands its slot over directly, so `running` never drops in between.
    await new Promise<void>((resolve) => q.waiting.push(resolve));
  } else {
    q.running++;
  }
  try {
    q.computed++;
    return await compute();
  } finally {
    const next = q.waiting.shift();
    if (next) next();
    else q.running--;
  }
}

/** NFC, so the same password typed on two systems that compose accents differently matches. */
const normalize = (password: string) => password.normalize("NFC");

export async function hashPassword(password: string): Promise<string> {
  return inHashSlot(() => argon2Hash(normalize(password), OPTIONS));
}

/** An argon2id hash's parameters, when it is one within bounds. */
function argon2Params(stored: string): ReturnType<typeof parseOptions> | undefined {
  if (!stored.startsWith("$argon2id$")) return undefined;
  try {
    const p = parseOptions(stored);
    const inBounds = p.memoryCost <= MAX_ARGON2.memoryCost && p.timeCost <= MAX_ARGON2.timeCost && p.parallelism <= MAX_ARGON2.parallelism;
    return inBounds && p.saltLen >= 16 && p.outputLen >= 16 ? p : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `password` matches `stored` (argon2id, or a legacy scrypt hash). A malformed stored hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  if (argon2Params(stored)) return inHashSlot(() => argon2Verify(stored, normalize(password)));
  const legacy = parseScryptHash(stored);
  if (legacy) {
    return inHashSlot(async () => {
      const key = await scrypt(normalize(password), legacy.salt, legacy.key.length, { N: 2 ** legacy.log2N, r: legacy.r, p: legacy.p });
      return timingSafeEqual(key, legacy.key);
    });
  }
  // Same cost as a real check, so a broken row is not visible in timing either.
  await burnPasswordCheck(password);
  return false;
}

/** A well-formed hash with today's parameters and a fixed salt; no password matches its all-zero output. */
const DUMMY_HASH = `$argon2id$v=19$m=${ARGON2_PARAMS.memoryCost},t=${ARGON2_PARAMS.timeCost},p=${ARGON2_PARAMS.parallelism}$${Buffer.alloc(16, 0x5a).toString("base64").replace(/=+$/, "")}$${Buffer.alloc(ARGON2_PARAMS.outputLen).toString("base64").replace(/=+$/, "")}`;

/**
 * Spend the time a real verification takes, for sign-ins naming an unknown or disabled
 * user: without it, "no such user" answers measurably faster than "wrong password".
 */
export async function burnPasswordCheck(password: string): Promise<void> {
  await inHashSlot(() => argon2Verify(DUMMY_HASH, normalize(password)));
}

/** Whether a stored hash is legacy scrypt or argon2id with weaker parameters than today's (re-hash on sign-in). */
export function needsRehash(stored: string): boolean {
  const p = argon2Params(stored);
  return !p || p.memoryCost < ARGON2_PARAMS.memoryCost || p.timeCost < ARGON2_PARAMS.timeCost || p.outputLen < ARGON2_PARAMS.outputLen;
}

// Legacy scrypt hashes, verified until their owners next sign in: `scrypt$<log2 N>$<r>$<p>$<salt>$<key>` (base64url).

/** Upper bounds for legacy parameters read back from the database. */
const MAX_LOG2N = 20;
const MAX_R = 16;
const MAX_P = 4;

interface ScryptHash {
  log2N: number;
  r: number;
  p: number;
  salt: Buffer;
  key: Buffer;
}

function parseScryptHash(stored: string): ScryptHash | undefined {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return undefined;
  const [log2N, r, p] = parts.slice(1, 4).map((n) => (/^\d{1,2}$/.test(n!) ? Number(n) : NaN)) as [number, number, number];
  if (!(log2N >= 10 && log2N <= MAX_LOG2N && r >= 1 && r <= MAX_R && p >= 1 && p <= MAX_P)) return undefined;
  const salt = Buffer.from(parts[4]!, "base64url");
  const key = Buffer.from(parts[5]!, "base64url");
  if (salt.length < 16 || key.length < 16 || key.length > 64) return undefined;
  return { log2N, r, p, salt, key };
}

function scrypt(password: string, salt: Buffer, keyBytes: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // maxmem must exceed 128·N·r with room to spare.
    scryptCallback(password, salt, keyBytes, { ...options, maxmem: 256 * (options.N ?? 0) * (options.r ?? 0) + 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
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
