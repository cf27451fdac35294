/**
 * Pieces shared by every resource schema. Schema files import nothing server-only: the
 * same schema validates the console form (through checkFormAction), the server action and
 * the API.
 */
import { z } from "zod";

/** `^[a-z0-9-]+$`, 1–255: the platform's slug names for issuers, rules and service accounts. */
export const slug = z
  .string({ error: "must be a string" })
  .min(1, "must not be empty")
  .max(255, "must be at most 255 characters")
  .regex(/^[a-z0-9-]+$/, "must contain only lowercase letters, digits and hyphens");

export const description = z.string({ error: "must be a string" }).max(1024, "must be at most 1024 characters");

/** A tagged ID such as `svac_01J…`; existence is checked by the service, not here. */
export const taggedId = (prefix: string) =>
  z
    .string({ error: "must be a string" })
    .max(128, "is too long")
    .regex(new RegExp(`^${prefix}[0-9A-Za-z]+$`), `must be an ID starting with ${prefix}`);

/** Query-string boolean: `true`/`false`/`1`/`0`. */
export const queryBoolean = z
  .enum(["true", "false", "1", "0"], { error: "must be true or false" })
  .transform((v) => v === "true" || v === "1");

/** A duration in whole seconds from `min` to `max`, as a JSON number (a string is refused, not coerced). */
export const seconds = (min: number, max: number) =>
  z
    .number({ error: "must be a number" })
    .int("must be a whole number of seconds")
    .min(min, `must be between ${min} and ${max} seconds`)
    .max(max, `must be between ${min} and ${max} seconds`);

/** Cursor pagination as the SDK sends it (both `Page` and `PageCursor` styles). */
export const listQuery = z.object({
  limit: z.coerce
    .number({ error: "must be a number" })
    .int("must be a whole number")
    .min(1, "must be at least 1")
    .max(1000, "must be at most 1000")
    .default(20),
  after_id: z.string().max(128).optional(),
  before_id: z.string().max(128).optional(),
  page: z.string().max(256).optional(),
  include_archived: queryBoolean.optional(),
});

/**
 * `field: message` for the first problem, so the field name comes first as the platform does.
 * An unknown field is named itself (`match.issuer: unknown field`), not its parent object.
 */
export function formatZodError(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "invalid request";
  const path = issue.code === "unrecognized_keys" ? [...issue.path, issue.keys[0]!] : issue.path;
  const field = path.map(String).join(".");
  const message =
    issue.code === "unrecognized_keys" ? `unknown field${issue.keys.length > 1 ? ` (also ${issue.keys.slice(1).join(", ")})` : ""}` : issue.message;
  return field ? `${field}: ${message}` : message;
}

/** Every problem, keyed by field path, for showing errors next to form fields. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join(".") || "_form";
    out[key] ??= issue.message;
  }
  return out;
}
