/**
 * Signing in and first-run setup. One answer for an unknown address, a disabled user and a
 * wrong password, each taking one password hash's time.
 *
 * Every attempt is counted before any hashing, with one atomic increment per limit
 * (lib/services/rate-limit.ts), so a burst cannot have more attempts checked than the
 * limits allow. Three limits, per window:
 * - per client address (`perClient`): one address guessing across many emails;
 * - per email and client (`perEmailAndClient`): one client guessing one email;
 * - per email (`perEmail`): all clients guessing one email. Past it the email is locked —
 *   but only for clients that have already tried it in this window: a client with no
 *   attempt on record for this email still gets its attempt checked, so an attacker cannot
 *   lock the owner out by failing on purpose. A distributed guesser gains one attempt per
 *   fresh address, each also counted against its per-client limit.
 * A successful sign-in gives back its own attempt (and clears its email-and-client count),
 * never anyone else's. The client is who lib/services/forwarded.ts says it is.
 */
import "server-only";
import { createHash } from "node:crypto";
import type { Kysely } from "kysely";
import type { RateLimiterAbstract } from "rate-limiter-flexible";
import { recordAudit } from "../services/audit";
import { ApiError, conflict, forbidden, invalidRequest, rateLimited, unauthenticated } from "../core/errors";
import { newId } from "../core/ids";
import { currentRequest } from "../observability/log";
import { rateLimitKey } from "../services/forwarded";
import { parseInput } from "../services/parse";
import { getSignInPolicy } from "../services/sso-providers";
import { setupInput, signInInput } from "../schemas/users";
import type { Store } from "../store/db";
import { isUniqueViolation } from "../store/paginate";
import type { Database } from "../store/schema";
import { burnPasswordCheck, hashPassword, needsRehash, verifyPassword } from "./password";
import { countAttempt, createAttemptLimiter, limitersPerStore, tooManyAttemptsMessage, type Counted } from "../services/rate-limit";
import { createSession, pruneExpiredSessions, type SessionUser } from "./session";
import { consumeSetupCode, hasUsers } from "./setup-code";

export const SIGN_IN_FAILED = "Email or password is incorrect";

export const SIGN_IN_LIMITS = { perClient: 30, perEmail: 10, perEmailAndClient: 10, setupPerClient: 10, windowSeconds: 15 * 60 } as const;

interface Limiters {
  client: RateLimiterAbstract;
  email: RateLimiterAbstract;
  emailAndClient: RateLimiterAbstract;
  setup: RateLimiterAbstract;
}

const limiters = limitersPerStore("wif-console.sign-in-limiters", (store): Limiters => {
  const limit = (name: string, points: number) => createAttemptLimiter(store, { name, points, windowSeconds: SIGN_IN_LIMITS.windowSeconds });
  return {
    client: limit("sign-in-client", SIGN_IN_LIMITS.perClient),
    email: limit("sign-in-email", SIGN_IN_LIMITS.perEmail),
    emailAndClient: limit("sign-in-email-client", SIGN_IN_LIMITS.perEmailAndClient),
    setup: limit("setup-client", SIGN_IN_LIMITS.setupPerClient),
  };
});

const refuse = (counted: Counted) => rateLimited(tooManyAttemptsMessage(counted.retryAfterMs));

/** Limiter keys carry a digest of the email, not the email: bounded length, and no addresses in the limits table. */
const emailKey = (email: string) => createHash("sha256").update(email).digest("base64url");

/** Who is signing in: the client address from lib/services/forwarded.ts (`requestClient(…).ip`). */
export interface SignInClient {
  ip: string;
}

export interface SignedIn {
  user: SessionUser;
  sessionId: string;
  expiresAt: Date;
}

/**
 * Count this attempt against every limit that applies, before any hashing; throws 429 when
 * one refuses. Returns what to give back if the password turns out right.
 */
async function admitAttempt(db: Kysely<Database>, organizationId: string, set: Limiters, email: string, client: SignInClient): Promise<() => Promise<void>> {
  const clientKey = rateLimitKey(client.ip);
  const pairKey = `${emailKey(email)}:${clientKey}`;
  const byClient = await countAttempt(set.client, clientKey);
  if (!byClient.allowed) throw refuse(byClient);
  const byPair = await countAttempt(set.emailAndClient, pairKey);
  if (!byPair.allowed) throw refuse(byPair);
  const byEmail = await countAttempt(set.email, emailKey(email));
  if (byEmail.count === SIGN_IN_LIMITS.perEmail + 1) {
    // The attempt that locked the email: recorded once per window, so the owner can see it happen.
    await recordAudit(db, null, organizationId, currentRequest()?.id ?? null, { action: "user.sign_in_locked", outcome: "failure", statusCode: 429, detail: { email, client_ip: client.ip } });
  }
  // A client whose first attempt on this email this is gets it checked even when the email is locked.
  if (!byEmail.allowed && byPair.count > 1) throw refuse(byEmail);
  return async () => {
    await Promise.all([set.emailAndClient.delete(pairKey), set.email.reward(emailKey(email), 1), set.client.reward(clientKey, 1)]);
  };
}

/** A right password: the user, and whether they must still give a second factor before a session. */
export interface PasswordChecked {
  user: SessionUser;
  secondFactor: boolean;
}

export const SSO_REQUIRED = "This organization signs in with single sign-on: use the button for your identity provider. Only owners may sign in with a password.";

/**
 * The password step of a sign-in: counts the attempt, checks the password, applies the
 * organization's policy (single sign-on required for everyone but owners). Creates no session.
 */
export async function checkPasswordSignIn(store: Store, organizationId: string, input: unknown, client: SignInClient): Promise<PasswordChecked> {
  const { db } = store;
  const body = parseInput(signInInput, input);
  const email = body.email.toLowerCase();
  const giveBack = await admitAttempt(db, organizationId, limiters(store), email, client);

  const row = await db.selectFrom("users").selectAll().where("email", "=", email).where("organization_id", "=", organizationId).executeTakeFirst();
  let ok = false;
  if (row && !row.disabled_at) ok = await verifyPassword(body.password, row.password_hash);
  else await burnPasswordCheck(body.password);

  if (!row || !ok) {
    await recordAudit(db, null, organizationId, currentRequest()?.id ?? null, { action: "user.sign_in_failed", outcome: "failure", statusCode: 401, detail: { method: "password", email, client_ip: client.ip } });
    throw unauthenticated(SIGN_IN_FAILED);
  }

  await giveBack();
  const user: SessionUser = { id: row.id, organizationId: row.organization_id, email: row.email, name: row.name, role: row.role };
  if (row.role !== "owner" && (await getSignInPolicy(db)).requireSso) {
    await recordAudit(db, null, organizationId, currentRequest()?.id ?? null, { action: "user.sign_in_failed", outcome: "failure", statusCode: 403, detail: { method: "password", email, reason: "sso_required", client_ip: client.ip } });
    throw forbidden(SSO_REQUIRED);
  }
  if (needsRehash(row.password_hash)) {
    // A legacy scrypt hash (or weaker argon2id parameters) becomes today's argon2id.
    await db.updateTable("users").set({ password_hash: await hashPassword(body.password), updated_at: new Date().toISOString() }).where("id", "=", row.id).execute();
  }
  return { user, secondFactor: !!row.totp_enabled_at };
}

/** Start the session of a user whose password (and second factor, if they have one) checked out. */
export async function startPasswordSession(db: Kysely<Database>, user: SessionUser, client: SignInClient): Promise<SignedIn> {
  await pruneExpiredSessions(db);
  const session = await createSession(db, user.id);
  await recordAudit(db, { kind: "user", id: user.id, organizationId: user.organizationId, role: user.role, label: user.email }, user.organizationId, currentRequest()?.id ?? null, {
    action: "user.signed_in",
    targetType: "user",
    targetId: user.id,
    detail: { method: "password", client_ip: client.ip },
  });
  return { user, sessionId: session.id, expiresAt: session.expiresAt };
}

/** Password sign-in for users without a second factor (those with one go through lib/console/second-factor.ts). */
export async function signIn(store: Store, organizationId: string, input: unknown, client: SignInClient): Promise<SignedIn> {
  const checked = await checkPasswordSignIn(store, organizationId, input, client);
  if (checked.secondFactor) throw unauthenticated("This account needs its second factor; sign in through the console");
  return startPasswordSession(store.db, checked.user, client);
}

export const SETUP_DONE = "Setup is already complete; sign in instead";

/** Create the first owner with the setup code, consuming it, and sign them in. */
export async function completeSetup(store: Store, organizationId: string, input: unknown, client: SignInClient): Promise<SignedIn> {
  const { db } = store;
  if (await hasUsers(db)) throw new ApiError(409, SETUP_DONE);
  const body = parseInput(setupInput, input);
  // Counted before hashing, like sign-in attempts: a flood of wrong codes costs no hashes past the limit.
  const attempt = await countAttempt(limiters(store).setup, rateLimitKey(client.ip));
  if (!attempt.allowed) throw refuse(attempt);
  // Hash before the transaction: hashing takes tens of milliseconds and SQLite serialises writers.
  const passwordHash = await hashPassword(body.password);
  const now = new Date().toISOString();
  const user: SessionUser = { id: newId("user"), organizationId, email: body.email, name: body.name, role: "owner" };
  try {
    await db.transaction().execute(async (trx) => {
      if (await trx.selectFrom("users").select("id").limit(1).executeTakeFirst()) throw new ApiError(409, SETUP_DONE);
      if (!(await consumeSetupCode(trx, body.code))) {
        throw invalidRequest("code", "this is not the current setup code; copy it from the server's output (a new one is printed at every start)");
      }
      await trx
        .insertInto("users")
        .values({ id: user.id, organization_id: organizationId, email: user.email, name: user.name, password_hash: passwordHash, role: "owner", created_at: now, updated_at: now, disabled_at: null })
        .execute();
      await recordAudit(trx, { kind: "user", id: user.id, organizationId, role: "owner", label: user.email }, organizationId, currentRequest()?.id ?? null, {
        action: "user.created",
        targetType: "user",
        targetId: user.id,
        detail: { email: user.email, role: "owner", via: "first-run setup" },
      });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict("email", "a user with this email already exists");
    throw err;
  }
  const session = await createSession(db, user.id);
  return { user, sessionId: session.id, expiresAt: session.expiresAt };
}
