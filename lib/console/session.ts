/**
 * Console sessions: a random 32-byte ID in an HttpOnly, SameSite=Strict cookie (Secure when
 * the browser came over https, as lib/console/request.ts's `requestClient` decides); the
 * database keeps only its SHA-256, so a leaked backup holds no usable session. Sessions
 * last 12 hours from sign-in (not sliding) and end at sign-out.
 */
import "server-only";
import { createHash, randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "../store/schema";

export const SESSION_COOKIE = "wif_session";
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

/** Attributes for the session cookie, as Next's `cookies().set` takes them. */
export interface SessionCookieOptions {
  httpOnly: true;
  sameSite: "strict";
  path: "/";
  secure: boolean;
  expires: Date;
}

export function sessionCookieOptions(opts: { secure: boolean; expiresAt: Date }): SessionCookieOptions {
  return { httpOnly: true, sameSite: "strict", path: "/", secure: opts.secure, expires: opts.expiresAt };
}

export const newSessionId = () => randomBytes(32).toString("base64url");
export const hashSessionId = (id: string) => createHash("sha256").update(id).digest("hex");

/** A cookie value that could be one of our session IDs (43 base64url characters). */
export const isSessionIdShape = (value: string | undefined): value is string => !!value && /^[A-Za-z0-9_-]{43}$/.test(value);

export async function createSession(db: Kysely<Database>, userId: string, now = new Date()): Promise<{ id: string; expiresAt: Date }> {
  const id = newSessionId();
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  await db
    .insertInto("sessions")
    .values({ id_hash: hashSessionId(id), user_id: userId, created_at: now.toISOString(), expires_at: expiresAt.toISOString() })
    .execute();
  return { id, expiresAt };
}

export interface SessionUser {
  id: string;
  organizationId: string;
  email: string;
  name: string;
  role: Database["users"]["role"];
}

/** The enabled user a live session belongs to, or undefined. */
export async function findSessionUser(db: Kysely<Database>, sessionId: string | undefined, now = new Date()): Promise<SessionUser | undefined> {
  if (!isSessionIdShape(sessionId)) return undefined;
  const row = await db
    .selectFrom("sessions as s")
    .innerJoin("users as u", "u.id", "s.user_id")
    .select(["u.id", "u.organization_id", "u.email", "u.name", "u.role"])
    .where("s.id_hash", "=", hashSessionId(sessionId))
    .where("s.expires_at", ">", now.toISOString())
    .where("u.disabled_at", "is", null)
    .executeTakeFirst();
  return row && { id: row.id, organizationId: row.organization_id, email: row.email, name: row.name, role: row.role };
}

export async function deleteSession(db: Kysely<Database>, sessionId: string | undefined): Promise<void> {
  if (!isSessionIdShape(sessionId)) return;
  await db.deleteFrom("sessions").where("id_hash", "=", hashSessionId(sessionId)).execute();
}

/** End every session of a user (disabled, or role changed). */
export async function deleteUserSessions(db: Kysely<Database>, userId: string): Promise<void> {
  await db.deleteFrom("sessions").where("user_id", "=", userId).execute();
}

/** Drop expired rows; called on sign-in so the table does not grow without bound. */
export async function pruneExpiredSessions(db: Kysely<Database>, now = new Date()): Promise<void> {
  await db.deleteFrom("sessions").where("expires_at", "<=", now.toISOString()).execute();
}
