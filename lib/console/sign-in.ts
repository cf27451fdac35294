/**
 * Signing in and first-run setup. One answer for an unknown address, a disabled user and a
 * wrong password, each taking one scrypt's time; failed attempts are limited per email
 * and per client address.
 */
import "server-only";
import type { Kysely } from "kysely";
import { recordAudit } from "../services/audit";
import { ApiError, conflict, invalidRequest, rateLimited, unauthenticated } from "../core/errors";
import { newId } from "../core/ids";
import { parseInput } from "../services/parse";
import { setupInput, signInInput } from "../schemas/users";
import { isUniqueViolation } from "../store/paginate";
import type { Database } from "../store/schema";
import { burnPasswordCheck, hashPassword, needsRehash, verifyPassword } from "./password";
import { SlidingWindowLimiter, tooManyAttemptsMessage } from "../services/rate-limit";
import { createSession, pruneExpiredSessions, type SessionUser } from "./session";
import { consumeSetupCode, hasUsers } from "./setup-code";

export const SIGN_IN_FAILED = "Email or password is incorrect";

const WINDOW_MS = 15 * 60 * 1000;
export const SIGN_IN_LIMITS = { perEmail: 10, perIp: 30, setupPerIp: 10, windowMs: WINDOW_MS } as const;

interface Limiters {
  email: SlidingWindowLimiter;
  ip: SlidingWindowLimiter;
  setup: SlidingWindowLimiter;
}

// One set per process, shared by every bundle of this module Next may create.
const KEY = Symbol.for("wif-console.sign-in-limiters");
function limiters(): Limiters {
  const holder = globalThis as { [KEY]?: Limiters };
  holder[KEY] ??= {
    email: new SlidingWindowLimiter({ limit: SIGN_IN_LIMITS.perEmail, windowMs: WINDOW_MS }),
    ip: new SlidingWindowLimiter({ limit: SIGN_IN_LIMITS.perIp, windowMs: WINDOW_MS }),
    setup: new SlidingWindowLimiter({ limit: SIGN_IN_LIMITS.setupPerIp, windowMs: WINDOW_MS }),
  };
  return holder[KEY];
}

function assertAllowed(...checks: Array<[SlidingWindowLimiter, string]>) {
  for (const [limiter, key] of checks) {
    const status = limiter.check(key);
    if (!status.allowed) throw rateLimited(tooManyAttemptsMessage(status.retryAfterMs));
  }
}

export interface SignedIn {
  user: SessionUser;
  sessionId: string;
  expiresAt: Date;
}

export async function signIn(db: Kysely<Database>, organizationId: string, input: unknown, meta: { ip: string }): Promise<SignedIn> {
  const body = parseInput(signInInput, input);
  const email = body.email.toLowerCase();
  const { email: byEmail, ip: byIp } = limiters();
  assertAllowed([byEmail, email], [byIp, meta.ip]);

  const row = await db.selectFrom("users").selectAll().where("email", "=", email).where("organization_id", "=", organizationId).executeTakeFirst();
  let ok = false;
  if (row && !row.disabled_at) ok = await verifyPassword(body.password, row.password_hash);
  else await burnPasswordCheck(body.password);

  if (!row || !ok) {
    byEmail.record(email);
    byIp.record(meta.ip);
    await recordAudit(db, null, organizationId, null, { action: "user.sign_in_failed", outcome: "failure", statusCode: 401, detail: { email } });
    throw unauthenticated(SIGN_IN_FAILED);
  }

  byEmail.reset(email);
  if (needsRehash(row.password_hash)) {
    await db.updateTable("users").set({ password_hash: await hashPassword(body.password), updated_at: new Date().toISOString() }).where("id", "=", row.id).execute();
  }
  await pruneExpiredSessions(db);
  const session = await createSession(db, row.id);
  const user: SessionUser = { id: row.id, organizationId: row.organization_id, email: row.email, name: row.name, role: row.role };
  await recordAudit(db, { kind: "user", id: user.id, organizationId, role: user.role, label: user.email }, organizationId, null, {
    action: "user.signed_in",
    targetType: "user",
    targetId: user.id,
  });
  return { user, sessionId: session.id, expiresAt: session.expiresAt };
}

export const SETUP_DONE = "Setup is already complete; sign in instead";

/** Create the first owner with the setup code, consuming it, and sign them in. */
export async function completeSetup(db: Kysely<Database>, organizationId: string, input: unknown, meta: { ip: string }): Promise<SignedIn> {
  if (await hasUsers(db)) throw new ApiError(409, SETUP_DONE);
  const body = parseInput(setupInput, input);
  const { setup } = limiters();
  assertAllowed([setup, meta.ip]);
  // Hash before the transaction: scrypt takes ~100 ms and SQLite serialises writers.
  const passwordHash = await hashPassword(body.password);
  const now = new Date().toISOString();
  const user: SessionUser = { id: newId("user"), organizationId, email: body.email, name: body.name, role: "owner" };
  try {
    await db.transaction().execute(async (trx) => {
      if (await trx.selectFrom("users").select("id").limit(1).executeTakeFirst()) throw new ApiError(409, SETUP_DONE);
      if (!(await consumeSetupCode(trx, body.code))) {
        setup.record(meta.ip);
        throw invalidRequest("code", "this is not the current setup code; copy it from the server's output (a new one is printed at every start)");
      }
      await trx
        .insertInto("users")
        .values({ id: user.id, organization_id: organizationId, email: user.email, name: user.name, password_hash: passwordHash, role: "owner", created_at: now, updated_at: now, disabled_at: null })
        .execute();
      await recordAudit(trx, { kind: "user", id: user.id, organizationId, role: "owner", label: user.email }, organizationId, null, {
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
