/**
 * A second factor for local accounts: TOTP (RFC 6238, otplib) and ten single-use recovery
 * codes. After a right password, a user with a confirmed factor gets no session — only a
 * short-lived sealed cookie naming them — until a code is checked here; codes are counted
 * per user and per client before checking, like passwords.
 *
 * Recovery codes are 80 random bits each and stored as SHA-256: with that much entropy no
 * dictionary or brute force applies to a leaked hash (2^80 guesses), so a slow hash such as
 * argon2 — needed for passwords people choose — would add cost and nothing else.
 * @see docs/security.md#second-factor
 */
import "server-only";
import { createHash, randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import { generateSecret, generateURI, verify } from "otplib";
import QRCode from "qrcode";
import { ApiError, conflict, invalidRequest, rateLimited, unauthenticated } from "../core/errors";
import { openSecret, sealSecret, type SecretKeyring } from "../core/secret-box";
import { secondFactorInput, totpConfirmInput } from "../schemas/sso";
import { recordAudit } from "../services/audit";
import type { Principal } from "../services/context";
import { rateLimitKey } from "../services/forwarded";
import { parseInput } from "../services/parse";
import { getSignInPolicy } from "../services/sso-providers";
import { countAttempt, createAttemptLimiter, limitersPerStore, tooManyAttemptsMessage } from "../services/rate-limit";
import type { Store } from "../store/db";
import type { Database } from "../store/schema";
import { createSession, pruneExpiredSessions, type SessionUser } from "./session";
import type { SignedIn, SignInClient } from "./sign-in";

export const SECOND_FACTOR_COOKIE = "wif_second_factor";
export const SECOND_FACTOR_TTL_MS = 5 * 60 * 1000;
export const SECOND_FACTOR_LIMITS = { perUser: 5, perClient: 30, windowSeconds: 15 * 60 } as const;
export const RECOVERY_CODE_COUNT = 10;
export const SECOND_FACTOR_FAILED = "That code is not right. Enter the current code from your authenticator app, or one of your recovery codes.";
const PENDING_AAD = "wif-second-factor-pending";
const ISSUER = "WIF Console";
/** One 30-second step either side of now: phone clocks drift. */
const TOLERANCE_SECONDS = 30;

const totpAad = (userId: string) => `users.totp:${userId}`;
const hashCode = (code: string) => createHash("sha256").update(code.toLowerCase().replace(/[^0-9a-z]/g, "")).digest("hex");

/** `xxxx-xxxx-xxxx-xxxx` in Crockford-style base32 (no i, l, o, u): 80 random bits. */
function newRecoveryCode(): string {
  const alphabet = "0123456789abcdefghjkmnpqrstvwxyz";
  const bytes = randomBytes(10);
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  let out = "";
  for (let i = 0; i < 16; i++) out += alphabet[Number((bits >> BigInt(5 * (15 - i))) & 31n)];
  return out.match(/.{4}/g)!.join("-");
}

const userActor = (u: Pick<SessionUser, "id" | "organizationId" | "role" | "email">): Principal => ({ kind: "user", id: u.id, organizationId: u.organizationId, role: u.role, label: u.email });

export interface TotpEnrolment {
  /** Base32, for typing into an app that cannot scan. */
  secret: string;
  otpauthUri: string;
  /** The otpauth URI as a PNG data URL. */
  qrDataUrl: string;
}

async function localUserRow(db: Kysely<Database>, userId: string) {
  const row = await db.selectFrom("users").selectAll().where("id", "=", userId).executeTakeFirst();
  if (!row) throw unauthenticated("Your session has ended. Sign in again to continue.");
  if (row.sso_provider_id) throw invalidRequest(null, "you sign in with single sign-on; your identity provider asks for your second factor");
  return row;
}

/** Start (or restart) enrolment: a new secret, stored sealed and not yet asked for. */
export async function beginTotpEnrolment(db: Kysely<Database>, secrets: SecretKeyring, user: SessionUser): Promise<TotpEnrolment> {
  const row = await localUserRow(db, user.id);
  if (row.totp_enabled_at) throw conflict("code", "a second factor is already set up; remove it first to set up another");
  const secret = generateSecret();
  await db.updateTable("users").set({ totp_secret_sealed: sealSecret(secrets, secret, totpAad(user.id)), totp_last_step: null }).where("id", "=", user.id).execute();
  const otpauthUri = generateURI({ issuer: ISSUER, label: user.email, secret });
  return { secret, otpauthUri, qrDataUrl: await QRCode.toDataURL(otpauthUri, { margin: 1, width: 200 }) };
}

/** The step a code matched, or undefined; `after` refuses a step already used (a replayed code). */
async function checkTotp(secret: string, code: string, after: number | null): Promise<number | undefined> {
  const result = await verify({ secret, token: code, epochTolerance: TOLERANCE_SECONDS, ...(after !== null ? { afterTimeStep: after } : {}) });
  return result.valid && "timeStep" in result ? result.timeStep : undefined;
}

/** Confirm enrolment with a first code: the factor is on from now, and the recovery codes are shown this once. */
export async function confirmTotpEnrolment(db: Kysely<Database>, secrets: SecretKeyring, user: SessionUser, input: unknown): Promise<{ recoveryCodes: string[] }> {
  const { code } = parseInput(totpConfirmInput, input);
  const row = await localUserRow(db, user.id);
  if (row.totp_enabled_at) throw conflict("code", "a second factor is already set up");
  if (!row.totp_secret_sealed) throw invalidRequest("code", "start the setup first: scan the QR code, then enter the code your app shows");
  const step = await checkTotp(openSecret(secrets, row.totp_secret_sealed, totpAad(user.id)), code, null);
  if (step === undefined) throw invalidRequest("code", "this is not the code your app shows now; check the phone's clock and try the next code");
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  const now = new Date().toISOString();
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("users").set({ totp_enabled_at: now, totp_last_step: step, updated_at: now }).where("id", "=", user.id).execute();
    await trx.deleteFrom("user_recovery_codes").where("user_id", "=", user.id).execute();
    await trx.insertInto("user_recovery_codes").values(codes.map((c) => ({ code_hash: hashCode(c), user_id: user.id, created_at: now, used_at: null }))).execute();
    await recordAudit(trx, userActor(user), user.organizationId, null, { action: "user.second_factor_enrolled", targetType: "user", targetId: user.id, detail: { method: "totp", recovery_codes: codes.length } });
  });
  return { recoveryCodes: codes };
}

/** Turn the factor off (the user themself, or an owner for someone locked out). */
export async function removeSecondFactor(db: Kysely<Database>, actor: Principal, organizationId: string, userId: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("users").set({ totp_secret_sealed: null, totp_enabled_at: null, totp_last_step: null, updated_at: new Date().toISOString() }).where("id", "=", userId).where("organization_id", "=", organizationId).execute();
    await trx.deleteFrom("user_recovery_codes").where("user_id", "=", userId).execute();
    await recordAudit(trx, actor, organizationId, null, { action: "user.second_factor_removed", targetType: "user", targetId: userId });
  });
}

/** Whether an owner requires a second factor and this local user has none yet (they are sent to set one up). */
export async function mustEnrolSecondFactor(db: Kysely<Database>, userId: string): Promise<boolean> {
  if (!(await getSignInPolicy(db)).requireSecondFactor) return false;
  const row = await db.selectFrom("users").select(["sso_provider_id", "totp_enabled_at"]).where("id", "=", userId).executeTakeFirst();
  return !!row && !row.sso_provider_id && !row.totp_enabled_at;
}

export interface SecondFactorStatus {
  enabled: boolean;
  recoveryCodesLeft: number;
}

export async function secondFactorStatus(db: Kysely<Database>, userId: string): Promise<SecondFactorStatus> {
  const row = await db.selectFrom("users").select("totp_enabled_at").where("id", "=", userId).executeTakeFirst();
  const left = await db.selectFrom("user_recovery_codes").select((eb) => eb.fn.countAll().as("n")).where("user_id", "=", userId).where("used_at", "is", null).executeTakeFirstOrThrow();
  return { enabled: !!row?.totp_enabled_at, recoveryCodesLeft: Number(left.n) };
}

interface Pending {
  u: string;
  r: string;
  e: number;
}

/** The cookie that stands between a right password and a session, for `userId`. */
export function sealPendingSignIn(secrets: SecretKeyring, userId: string, returnTo: string, now = Date.now()): { value: string; expiresAt: Date } {
  const pending: Pending = { u: userId, r: returnTo, e: now + SECOND_FACTOR_TTL_MS };
  return { value: sealSecret(secrets, JSON.stringify(pending), PENDING_AAD), expiresAt: new Date(pending.e) };
}

const PENDING_ENDED = "The sign-in waited too long for its code. Enter your email and password again.";

function openPending(secrets: SecretKeyring, cookie: string | undefined, now: number): Pending {
  if (!cookie) throw unauthenticated(PENDING_ENDED);
  try {
    const pending = JSON.parse(openSecret(secrets, cookie, PENDING_AAD)) as Pending;
    if (typeof pending.e === "number" && pending.e > now && typeof pending.u === "string") return pending;
  } catch {
    // a forged or damaged cookie reads as no pending sign-in
  }
  throw unauthenticated(PENDING_ENDED);
}

const limiters = limitersPerStore("wif-console.second-factor-limiters", (store) => {
  const limit = (name: string, points: number) => createAttemptLimiter(store, { name, points, windowSeconds: SECOND_FACTOR_LIMITS.windowSeconds });
  return { user: limit("second-factor-user", SECOND_FACTOR_LIMITS.perUser), client: limit("second-factor-client", SECOND_FACTOR_LIMITS.perClient) };
});

/** Six digits: a code from the app; anything else is read as a recovery code. */
const isTotpCode = (code: string) => /^\d{6}$/.test(code);

/**
 * Spend `code` for the user of `row`: a TOTP code (each time step once, even when two requests
 * race: the update is conditional) or an unused recovery code. False when it is neither.
 */
async function spendCode(db: Kysely<Database>, secrets: SecretKeyring, row: { id: string; totp_secret_sealed: string | null; totp_last_step: number | null }, code: string): Promise<boolean> {
  if (!row.totp_secret_sealed) return false;
  if (isTotpCode(code)) {
    const step = await checkTotp(openSecret(secrets, row.totp_secret_sealed, totpAad(row.id)), code, row.totp_last_step);
    if (step === undefined) return false;
    const spent = await db
      .updateTable("users")
      .set({ totp_last_step: step })
      .where("id", "=", row.id)
      .where((eb) => eb.or([eb("totp_last_step", "is", null), eb("totp_last_step", "<", step)]))
      .executeTakeFirst();
    return Number(spent.numUpdatedRows) === 1;
  }
  const spent = await db
    .updateTable("user_recovery_codes")
    .set({ used_at: new Date().toISOString() })
    .where("code_hash", "=", hashCode(code))
    .where("user_id", "=", row.id)
    .where("used_at", "is", null)
    .executeTakeFirst();
  return Number(spent.numUpdatedRows) === 1;
}

/**
 * The signed-in user turns their own factor off, proving it with a current code or a recovery
 * code: a session alone (left open, or stolen) must not be enough to strip the account of its
 * second factor. Wrong codes count against the same per-user limit as the sign-in step.
 */
export async function removeOwnSecondFactor(store: Store, secrets: SecretKeyring, user: SessionUser, input: unknown): Promise<void> {
  const { code } = parseInput(secondFactorInput, input);
  const row = await localUserRow(store.db, user.id);
  if (!row.totp_enabled_at) throw conflict("code", "no second factor is set up");
  const { user: perUser } = limiters(store);
  const counted = await countAttempt(perUser, user.id);
  if (!counted.allowed) throw rateLimited(tooManyAttemptsMessage(counted.retryAfterMs));
  if (!(await spendCode(store.db, secrets, row, code))) throw invalidRequest("code", "that code is not right: enter the current code from your authenticator app, or one of your recovery codes");
  await perUser.delete(user.id);
  await removeSecondFactor(store.db, userActor(user), user.organizationId, user.id);
}

/**
 * The second step of a password sign-in: a TOTP code (each time step once) or an unused
 * recovery code (spent here). Only now is the session created.
 */
export async function completeSecondFactor(store: Store, secrets: SecretKeyring, organizationId: string, pendingCookie: string | undefined, input: unknown, client: SignInClient): Promise<SignedIn & { returnTo: string }> {
  const { db } = store;
  const pending = openPending(secrets, pendingCookie, Date.now());
  const { code } = parseInput(secondFactorInput, input);
  const set = limiters(store);
  for (const [limiter, key] of [
    [set.client, rateLimitKey(client.ip)],
    [set.user, pending.u],
  ] as const) {
    const counted = await countAttempt(limiter, key);
    if (!counted.allowed) throw rateLimited(tooManyAttemptsMessage(counted.retryAfterMs));
  }
  const row = await db.selectFrom("users").selectAll().where("id", "=", pending.u).where("organization_id", "=", organizationId).executeTakeFirst();
  if (!row || row.disabled_at || !row.totp_enabled_at || !row.totp_secret_sealed) throw unauthenticated(PENDING_ENDED);
  const user: SessionUser = { id: row.id, organizationId: row.organization_id, email: row.email, name: row.name, role: row.role };

  const method = isTotpCode(code) ? "totp" : "recovery_code";
  if (!(await spendCode(db, secrets, row, code))) return refuse(db, user, client, method);
  if (method === "recovery_code") {
    const left = await secondFactorStatus(db, row.id);
    await recordAudit(db, userActor(user), organizationId, null, { action: "user.recovery_code_used", targetType: "user", targetId: row.id, detail: { codes_left: left.recoveryCodesLeft, client_ip: client.ip } });
  }
  await set.user.delete(pending.u);
  await pruneExpiredSessions(db);
  const session = await createSession(db, row.id);
  await recordAudit(db, userActor(user), organizationId, null, { action: "user.signed_in", targetType: "user", targetId: row.id, detail: { method: "password", second_factor: method, client_ip: client.ip } });
  return { user, sessionId: session.id, expiresAt: session.expiresAt, returnTo: pending.r };
}

async function refuse(db: Kysely<Database>, user: SessionUser, client: SignInClient, method: string): Promise<never> {
  await recordAudit(db, null, user.organizationId, null, {
    action: "user.sign_in_failed",
    outcome: "failure",
    statusCode: 401,
    detail: { method: "password", reason: "second_factor_wrong", second_factor: method, email: user.email, client_ip: client.ip },
  });
  throw new ApiError(401, SECOND_FACTOR_FAILED, "code");
}
