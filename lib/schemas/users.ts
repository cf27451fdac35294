/** Console users: sign-in, first-run setup and user management input. */
import { z } from "zod";
import { PASSWORD_MIN, USER_ROLES } from "./vocabulary";

export const userRole = z.enum(USER_ROLES, { error: "must be owner, admin, developer or viewer" });

export const email = z
  .string({ error: "must be a string" })
  .trim()
  .toLowerCase()
  .min(1, "is required")
  .max(254, "must be at most 254 characters")
  .pipe(z.email({ error: "must be an email address such as ada@example.com" }));

export const newPassword = z
  .string({ error: "must be a string" })
  .min(PASSWORD_MIN, `must be at least ${PASSWORD_MIN} characters`)
  .max(1024, "must be at most 1024 characters");

const displayName = z.string({ error: "must be a string" }).trim().min(1, "is required").max(100, "must be at most 100 characters");

/** Sign-in checks shape only: a format error must not tell an unknown address from a wrong password. */
export const signInInput = z.strictObject({
  email: z.string({ error: "must be a string" }).trim().min(1, "is required").max(254, "must be at most 254 characters"),
  password: z.string({ error: "must be a string" }).min(1, "is required").max(1024, "must be at most 1024 characters"),
});
export type SignInInput = z.input<typeof signInInput>;

export const setupInput = z.strictObject({
  code: z.string({ error: "must be a string" }).trim().min(1, "is required").max(64, "is too long"),
  email,
  name: displayName,
  password: newPassword,
});
export type SetupInput = z.input<typeof setupInput>;

export const userCreate = z.strictObject({
  email,
  name: displayName,
  role: userRole,
  /** Empty: the server generates one and shows it once. */
  password: z.union([z.literal(""), newPassword]).optional(),
});

export const userUpdate = z.strictObject({ role: userRole });
