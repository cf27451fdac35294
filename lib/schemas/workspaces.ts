/** Workspace and API key input. */
import { z } from "zod";

// Keys are checked on the record: zod reports a failing key schema only as "Invalid key in record".
function checkTagKeys(tags: Record<string, unknown>, ctx: z.RefinementCtx) {
  for (const key of Object.keys(tags)) {
    if (key.length > 64) ctx.addIssue({ code: "custom", path: [key], message: "tag keys must be at most 64 characters" });
    else if (key.startsWith("anthropic")) ctx.addIssue({ code: "custom", path: [key], message: "tag keys may not begin with anthropic" });
  }
}

const tagValue = z.string({ error: "tag values must be strings" }).max(256, "tag values must be at most 256 characters");
const tagsValue = z.record(z.string(), tagValue).superRefine(checkTagKeys);

const displayColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, "must be a hex colour such as #6C5BB9");

const geos = z.union([z.literal("unrestricted"), z.array(z.enum(["global", "us"]))]);

export const workspaceCreate = z.strictObject({
  name: z.string({ error: "must be a string" }).trim().min(1, "must not be empty").max(40, "must be at most 40 characters"),
  display_color: displayColor.nullish(),
  tags: tagsValue.nullish(),
  data_residency: z
    .strictObject({
      allowed_inference_geos: geos.nullish(),
      default_inference_geo: z.enum(["global", "us"]).nullish(),
      workspace_geo: z.literal("us").nullish(),
    })
    .nullish(),
  external_key_id: z.null({ error: "customer-managed keys are not available on a self-hosted server" }).optional(),
  user_profile_id: z.null({ error: "user profiles are not available on a self-hosted server" }).optional(),
});

export const workspaceUpdate = z.strictObject({
  name: z.string({ error: "must be a string" }).trim().min(1, "must not be empty").max(40, "must be at most 40 characters").optional(),
  display_color: displayColor.optional(),
  /** A null value removes the tag. */
  tags: z.record(z.string(), tagValue.nullable()).superRefine(checkTagKeys).nullish(),
  data_residency: z
    .strictObject({ allowed_inference_geos: geos.nullish(), default_inference_geo: z.enum(["global", "us"]).nullish() })
    .nullish(),
});

/**
 * When a key stops working: an ISO 8601 date-time, or a date (the console's date input), which
 * keeps the key working through that day (UTC) — it expires at the next midnight UTC. Stored
 * and returned as a UTC date-time; that it lies in the future is checked on creation.
 * @see docs/behaviour.md#api-key-expiry
 */
const keyExpiry = z
  .union([z.iso.datetime({ offset: true }), z.iso.date(), z.literal("")], { error: "must be an ISO 8601 date-time such as 2027-01-31T00:00:00Z, or a date such as 2027-01-31" })
  .nullish()
  .transform((v) => {
    if (!v) return null;
    if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return new Date(Date.parse(`${v}T00:00:00Z`) + 86_400_000).toISOString();
    return new Date(v).toISOString();
  });

export const apiKeyCreate = z.strictObject({
  name: z.string({ error: "must be a string" }).trim().min(1, "must not be empty").max(255, "must be at most 255 characters"),
  workspace_id: z.string().max(128).nullish(),
  service_account_id: z.string().max(128).nullish(),
  /** Self-hosted addition (the platform's keys are created in its console): null or absent, never expires. */
  expires_at: keyExpiry,
});

/** An admin key has a name and nothing else (owner powers, organization-wide, no expiry). */
export const adminKeyCreate = z.object({ name: apiKeyCreate.shape.name });

export const apiKeyUpdate = z.strictObject({
  name: z.string().trim().min(1, "must not be empty").max(255).nullish(),
  status: z.enum(["active", "inactive", "archived"], { error: "must be active, inactive or archived" }).nullish(),
});
