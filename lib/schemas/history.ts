/**
 * Filters for the authentication history and the audit log. The same schemas validate the
 * console's filter form, its URL, the console's data routes and the Admin API's query.
 */
import { z } from "zod";
import { DENY_REASONS } from "../core/deny-reasons";
import { listQuery, taggedId } from "./common";
import { AUTH_EVENT_FILTER_KEYS } from "./vocabulary";

/** An instant as ISO-8601 (`2026-11-24T10:00:00Z`); normalised to UTC with milliseconds. */
export const isoTime = z
  .string({ error: "must be a string" })
  .max(64, "is too long")
  .refine((v) => !Number.isNaN(Date.parse(v)), "must be an ISO-8601 time such as 2026-11-24T10:00:00Z")
  .transform((v) => new Date(v).toISOString());

/** `since` is inclusive and `until` exclusive, so consecutive ranges never count an event twice. */
function checkRange(f: { since?: string | undefined; until?: string | undefined }, ctx: z.RefinementCtx) {
  if (f.since && f.until && f.until <= f.since) ctx.addIssue({ code: "custom", path: ["until"], message: "must be later than since" });
}

const authEventFilterFields = z.object({
  outcome: z.enum(["granted", "denied"], { error: "must be granted or denied" }).optional(),
  reason: z.enum(DENY_REASONS, { error: "must be a deny reason code such as match_subject_prefix" }).optional(),
  issuer_id: taggedId("fdis_").optional(),
  federation_rule_id: taggedId("fdrl_").optional(),
  service_account_id: taggedId("svac_").optional(),
  workspace_id: taggedId("wrkspc_").optional(),
  request_id: taggedId("req_").optional(),
  since: isoTime.optional(),
  until: isoTime.optional(),
  /** Free text on the subject (substring, case-insensitive). */
  q: z.string({ error: "must be a string" }).max(256, "must be at most 256 characters").optional(),
  // The filter form and the URL name exactly these.
} satisfies Record<(typeof AUTH_EVENT_FILTER_KEYS)[number], z.ZodType>);


/** Which exchanges to show or export. Unknown keys are ignored (a URL may carry others, such as `tab`). */
export const authEventFilters = authEventFilterFields.superRefine(checkRange);
export type AuthEventFilters = z.output<typeof authEventFilters>;

/** One page of the history: the filters plus cursor pagination. */
export const authEventListQuery = listQuery.extend(authEventFilterFields.shape).superRefine(checkRange);

const auditFilterFields = z.object({
  action: z.string({ error: "must be a string" }).max(128, "is too long").optional(),
  actor_id: z.string({ error: "must be a string" }).max(128, "is too long").optional(),
  target_id: z.string({ error: "must be a string" }).max(128, "is too long").optional(),
  outcome: z.enum(["success", "failure"], { error: "must be success or failure" }).optional(),
  since: isoTime.optional(),
  until: isoTime.optional(),
  /** Configuration changes only (hide the per-request entries). */
  changes_only: z.enum(["true", "false"], { error: "must be true or false" }).transform((v) => v === "true").optional(),
});

export const auditListQuery = listQuery.extend(auditFilterFields.shape).superRefine(checkRange);

/** Export formats of the history, for the Admin API's `format` and the console's download. */
export const exportFormat = z.enum(["ndjson", "csv"], { error: "must be ndjson or csv" });
export type ExportFormat = z.output<typeof exportFormat>;
