/**
 * Console users: owners list, create, re-role, disable and re-enable them. Parses and
 * authorises inside itself, like the lib/services operations. The organization always keeps at
 * least one enabled owner.
 */
import "server-only";
import type { Transaction } from "kysely";
import type { AdminContext } from "../services/context";
import { recordAudit, type AuditEntry } from "../services/audit";
import { parseInput } from "../services/parse";
import { conflict, forbidden, invalidRequest, notFound } from "../core/errors";
import { newId } from "../core/ids";
import { userCreate, userUpdate } from "../schemas/users";
import { isUniqueViolation } from "../store/paginate";
import type { Db } from "../store/db";
import type { Database } from "../store/schema";
import { generatePassword, hashPassword } from "./password";
import { removeSecondFactor } from "./second-factor";
import { deleteUserSessions } from "./session";

type UserRow = Database["users"];

/** What crosses to the console's client components: never the password hash. */
export interface UserDto {
  id: string;
  email: string;
  name: string;
  role: UserRow["role"];
  created_at: string;
  updated_at: string;
  disabled_at: string | null;
  /** How they sign in: a password, or single sign-on (created by it). */
  sign_in: "password" | "sso";
  second_factor: boolean;
}

const userDto = (r: UserRow): UserDto => ({
  id: r.id,
  email: r.email,
  name: r.name,
  role: r.role,
  created_at: r.created_at,
  updated_at: r.updated_at,
  disabled_at: r.disabled_at,
  sign_in: r.sso_provider_id ? "sso" : "password",
  second_factor: !!r.totp_enabled_at,
});

function assertOwner(ctx: AdminContext): asserts ctx is AdminContext & { principal: { kind: "user"; role: "owner" } } {
  if (ctx.principal.kind !== "user" || ctx.principal.role !== "owner") throw forbidden("Only owners can manage console users");
}

const audit = (db: Db, ctx: AdminContext, entry: AuditEntry) => recordAudit(db, ctx.principal, ctx.principal.organizationId, ctx.requestId, entry);

async function getRow(db: Db, ctx: AdminContext, id: string): Promise<UserRow> {
  const row = await db.selectFrom("users").selectAll().where("organization_id", "=", ctx.principal.organizationId).where("id", "=", id).executeTakeFirst();
  if (!row) throw notFound("user", id);
  return row;
}

async function assertAnotherOwner(db: Db, ctx: AdminContext, exceptId: string, field: string) {
  const other = await db
    .selectFrom("users")
    .select("id")
    .where("organization_id", "=", ctx.principal.organizationId)
    .where("role", "=", "owner")
    .where("disabled_at", "is", null)
    .where("id", "!=", exceptId)
    .executeTakeFirst();
  if (!other) throw invalidRequest(field, "the organization needs at least one enabled owner; make someone else an owner first");
}

export async function listUsers(ctx: AdminContext): Promise<UserDto[]> {
  assertOwner(ctx);
  const rows = await ctx.db.selectFrom("users").selectAll().where("organization_id", "=", ctx.principal.organizationId).orderBy("created_at").execute();
  return rows.map(userDto);
}

export interface CreatedUser {
  user: UserDto;
  /** Set when the server chose the password: shown once, then only its hash exists. */
  generatedPassword: string | null;
}

export async function createUser(ctx: AdminContext, input: unknown): Promise<CreatedUser> {
  assertOwner(ctx);
  const body = parseInput(userCreate, input);
  const generatedPassword = body.password ? null : generatePassword();
  const passwordHash = await hashPassword(body.password || generatedPassword!);
  const now = new Date().toISOString();
  const row: UserRow = {
    id: newId("user"),
    organization_id: ctx.principal.organizationId,
    email: body.email,
    name: body.name,
    password_hash: passwordHash,
    role: body.role,
    created_at: now,
    updated_at: now,
    disabled_at: null,
    sso_provider_id: null,
    sso_subject: null,
    totp_secret_sealed: null,
    totp_enabled_at: null,
    totp_last_step: null,
  };
  try {
    await ctx.db.transaction().execute(async (trx) => {
      const clash = await trx.selectFrom("users").select("id").where("email", "=", body.email).executeTakeFirst();
      if (clash) throw conflict("email", "a user with this email already exists");
      await trx.insertInto("users").values(row).execute();
      await audit(trx, ctx, { action: "user.created", targetType: "user", targetId: row.id, detail: { email: row.email, role: row.role } });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict("email", "a user with this email already exists");
    throw err;
  }
  return { user: userDto(row), generatedPassword };
}

export async function changeUserRole(ctx: AdminContext, id: string, input: unknown): Promise<UserDto> {
  assertOwner(ctx);
  const body = parseInput(userUpdate, input);
  return ctx.db.transaction().execute(async (trx) => {
    const row = await getRow(trx, ctx, id);
    if (row.role === body.role) return userDto(row);
    if (row.role === "owner" && !row.disabled_at) await assertAnotherOwner(trx, ctx, id, "role");
    const next = { ...row, role: body.role, updated_at: new Date().toISOString() };
    await trx.updateTable("users").set({ role: next.role, updated_at: next.updated_at }).where("id", "=", id).execute();
    await audit(trx, ctx, { action: "user.role_changed", targetType: "user", targetId: id, detail: { from: row.role, to: next.role } });
    return userDto(next);
  });
}

export async function disableUser(ctx: AdminContext, id: string): Promise<UserDto> {
  assertOwner(ctx);
  if (id === ctx.principal.id) throw invalidRequest(null, "you cannot disable your own account; ask another owner");
  return ctx.db.transaction().execute(async (trx) => {
    const row = await getRow(trx, ctx, id);
    if (row.disabled_at) return userDto(row);
    if (row.role === "owner") await assertAnotherOwner(trx, ctx, id, "role");
    const now = new Date().toISOString();
    const next = { ...row, disabled_at: now, updated_at: now };
    await trx.updateTable("users").set({ disabled_at: now, updated_at: now }).where("id", "=", id).execute();
    await deleteUserSessions(trx, id);
    await audit(trx, ctx, { action: "user.disabled", targetType: "user", targetId: id });
    return userDto(next);
  });
}

/** Remove another user's second factor (they lost their phone and recovery codes); they set up a new one. */
export async function resetUserSecondFactor(ctx: AdminContext, id: string): Promise<void> {
  assertOwner(ctx);
  const row = await getRow(ctx.db, ctx, id);
  await removeSecondFactor(ctx.db, ctx.principal, ctx.principal.organizationId, row.id);
}

export async function enableUser(ctx: AdminContext, id: string): Promise<UserDto> {
  assertOwner(ctx);
  return ctx.db.transaction().execute(async (trx) => {
    const row = await getRow(trx, ctx, id);
    if (!row.disabled_at) return userDto(row);
    const now = new Date().toISOString();
    await trx.updateTable("users").set({ disabled_at: null, updated_at: now }).where("id", "=", id).execute();
    await audit(trx, ctx, { action: "user.enabled", targetType: "user", targetId: id });
    return userDto({ ...row, disabled_at: null, updated_at: now });
  });
}

/** Whether the user signs in with single sign-on (no password; their provider owns the second factor). */
export async function isSsoUser(db: Db, userId: string): Promise<boolean> {
  const row = await db.selectFrom("users").select("sso_provider_id").where("id", "=", userId).executeTakeFirst();
  return !!row?.sso_provider_id;
}
