/**
 * The one-time setup code that guards `/setup` until the first owner exists. Generated at
 * server start while no user exists and printed to the server's output (whoever can read
 * the server's logs owns the installation); only its SHA-256 is stored, in `settings`.
 * The last start's code wins: a restart replaces the previous one.
 */
import "server-only";
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../store/schema";

export const SETUP_CODE_SETTING = "console_setup_code_sha256";

/** Crockford base32: no I, L, O, U, so a code read off a terminal is hard to mistype. */
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** 16 random base32 characters (80 bits) in four groups: `7KQ2-M9XD-…`. */
export function generateSetupCode(): string {
  const chars = Array.from(randomBytes(16), (b) => ALPHABET[b % 32]).join("");
  return chars.match(/.{4}/g)!.join("-");
}

/** Upper-case, drop separators and spaces, read O as 0 and I/L as 1 (as Crockford does). */
export function normalizeSetupCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, "").replace(/O/g, "0").replace(/[IL]/g, "1");
}

const hashCode = (code: string) => createHash("sha256").update(normalizeSetupCode(code)).digest("hex");

export async function hasUsers(db: Kysely<Database>): Promise<boolean> {
  return (await db.selectFrom("users").select("id").limit(1).executeTakeFirst()) !== undefined;
}

/** Create and store a fresh setup code when no user exists; undefined once setup is done. */
export async function issueSetupCode(db: Kysely<Database>, now = new Date()): Promise<string | undefined> {
  if (await hasUsers(db)) return undefined;
  const code = generateSetupCode();
  const value = hashCode(code);
  const updated_at = now.toISOString();
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom("settings").where("key", "=", SETUP_CODE_SETTING).execute();
    await trx.insertInto("settings").values({ key: SETUP_CODE_SETTING, value, updated_at }).execute();
  });
  return code;
}

/**
 * Consume the setup code inside the caller's transaction: true when `input` matches the
 * stored code, which is then deleted, so of two concurrent setups only one succeeds.
 */
export async function consumeSetupCode(trx: Transaction<Database>, input: string): Promise<boolean> {
  const row = await trx.selectFrom("settings").select("value").where("key", "=", SETUP_CODE_SETTING).executeTakeFirst();
  if (!row) return false;
  const expected = Buffer.from(row.value, "hex");
  const given = Buffer.from(hashCode(input), "hex");
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return false;
  const deleted = await trx.deleteFrom("settings").where("key", "=", SETUP_CODE_SETTING).where("value", "=", row.value).executeTakeFirst();
  return Number(deleted.numDeletedRows) === 1;
}
