/**
 * Gateway settings input: upstream, limits, request-log filters. The same schemas validate
 * the console's forms, its server actions and the Admin API.
 * @see docs/gateway.md
 */
import { z } from "zod";
import { upstreamUrlProblem } from "../core/upstream-url";
import { isoTime } from "./history";
import { listQuery, taggedId } from "./common";

const baseUrl = z
  .string({ error: "must be a string" })
  .trim()
  .max(2048, "must be at most 2048 characters")
  .superRefine((v, ctx) => {
    const problem = upstreamUrlProblem(v);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

/** Change the organization's default upstream (no `workspace_id`) or a workspace's override. */
export const upstreamUpdate = z.strictObject({
  /** A workspace's override; absent for the organization's default. */
  workspace_id: z.string({ error: "must be a string" }).max(128, "is too long").optional(),
  /** Null: inherit (the organization's default, then the configured one). */
  base_url: baseUrl.nullable().optional(),
  /** Write-only. Null removes the key (inherit). */
  api_key: z
    .string({ error: "must be a string" })
    .trim()
    .min(8, "must be at least 8 characters")
    .max(512, "must be at most 512 characters")
    .regex(/^[\x21-\x7e]+$/, "must be printable ASCII without spaces")
    .nullable()
    .optional(),
  /** Organization only: forward real upstream keys sent by clients not yet migrated (audited). */
  allow_passthrough: z.boolean({ error: "must be true or false" }).optional(),
});

/** Which upstream to test: the organization's default or a workspace's. */
export const upstreamTest = z.strictObject({
  workspace_id: z.string({ error: "must be a string" }).max(128, "is too long").optional(),
});

const limit = (max: number) =>
  z.number({ error: "must be a number or null" }).int("must be a whole number").min(1, "must be at least 1 (null removes the limit)").max(max, `must be at most ${max}`).nullable().optional();

/** Per service account or API key; null removes a limit, an absent field keeps it. */
export const limitsUpdate = z.strictObject({
  requests_per_minute: limit(1_000_000),
  tokens_per_minute: limit(1_000_000_000),
  concurrent_streams: limit(100_000),
});

const gatewayRequestFilterFields = z.object({
  service_account_id: taggedId("svac_").optional(),
  api_key_id: taggedId("apikey_").optional(),
  workspace_id: taggedId("wrkspc_").optional(),
  federation_rule_id: taggedId("fdrl_").optional(),
  outcome: z.enum(["completed", "denied", "incomplete", "client_closed", "upstream_unreachable", "upstream_timeout"]).optional(),
  status: z.coerce.number({ error: "must be a status code" }).int().min(100).max(599).optional(),
  path_family: z.string().max(64).regex(/^[a-z0-9_.]+$/, "must be a path family such as messages").optional(),
  model: z.string().max(256).optional(),
  request_id: z.string().max(128).optional(),
  since: isoTime.optional(),
  until: isoTime.optional(),
});

export const gatewayRequestFilters = gatewayRequestFilterFields;
export const gatewayRequestListQuery = listQuery.extend(gatewayRequestFilterFields.shape);

export const USAGE_GROUPS = ["service_account", "api_key", "workspace", "model", "path_family", "day"] as const;
export const gatewayUsageQuery = gatewayRequestFilterFields.extend({
  group_by: z.enum(USAGE_GROUPS, { error: `must be one of ${USAGE_GROUPS.join(", ")}` }).default("service_account"),
});

export const USAGE_SERIES_BY = ["service_account", "model"] as const;
export const USAGE_BUCKETS = ["minute", "ten_minutes", "hour", "day"] as const;
export type UsageBucket = (typeof USAGE_BUCKETS)[number];

/** Requests and tokens over time, one series per service account or model; the bucket is chosen from the range when absent. */
export const gatewayUsageSeriesQuery = gatewayRequestFilterFields.extend({
  series_by: z.enum(USAGE_SERIES_BY, { error: `must be one of ${USAGE_SERIES_BY.join(", ")}` }).default("service_account"),
  bucket: z.enum(USAGE_BUCKETS, { error: `must be one of ${USAGE_BUCKETS.join(", ")}` }).optional(),
});
