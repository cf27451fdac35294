/** Federation rule input: create, update, match and workspaces. @see docs/behaviour.md#federation-rules */
import { z } from "zod";
import { compileCondition, MAX_CONDITION_LENGTH } from "../core/cel";
import { OAUTH_SCOPES } from "../core/scopes";
import { description, seconds, slug, taggedId } from "./common";

export const ruleMatch = z
  .strictObject({
    subject_prefix: z
      .string({ error: "must be a string" })
      .min(1, "must not be empty; omit it instead")
      .max(1024, "must be at most 1024 characters")
      .refine((v) => !/^\*+$/.test(v), "a bare * is not a valid matcher; name the subject or its prefix, e.g. repo:acme/api:ref:refs/heads/main")
      .nullish(),
    audience: z.string({ error: "must be a string" }).min(1, "must not be empty; omit it to use the default audience").max(1024).nullish(),
    claims: z
      .record(
        z.string(),
        z.string({ error: "claim values must be strings; use condition for non-string claims" }).max(1024, "claim values must be at most 1024 characters"),
        { error: "must be an object of claim name to string value" },
      )
      // Claim names are checked here rather than by the key schema, whose failures zod reports
      // under the record's own type error and a path ending in the (possibly empty) name.
      .superRefine((v, ctx) => {
        const names = Object.keys(v);
        if (names.length > 50) ctx.addIssue({ code: "custom", message: "must have at most 50 entries" });
        else if (names.some((n) => n === "")) ctx.addIssue({ code: "custom", message: "claim names must not be empty" });
        else if (names.some((n) => n.length > 256)) ctx.addIssue({ code: "custom", message: "claim names must be at most 256 characters" });
      })
      .nullish(),
    condition: z
      .string({ error: "must be a string" })
      .min(1, "must not be empty; omit it instead")
      .superRefine((expr, ctx) => {
        const compiled = compileCondition(expr);
        if (!compiled.ok) ctx.addIssue({ code: "custom", message: compiled.message.replace(/^condition:\s*/, "") });
      })
      .nullish(),
  }, { error: "must be an object" })
  .superRefine((m, ctx) => {
    const hasClaims = m.claims != null && Object.keys(m.claims).length > 0;
    if (!m.subject_prefix && !hasClaims && !m.condition) {
      ctx.addIssue({
        code: "custom",
        message: m.audience
          ? "audience alone is not sufficient; add subject_prefix, claims or condition to say which identities may use this rule"
          : "at least one of subject_prefix, claims or condition is required",
      });
    }
  });

/** Space-separated scopes from the known set, each once. */
export const oauthScope = z
  .string({ error: "must be a string" })
  .max(512)
  .superRefine((value, ctx) => {
    const scopes = value.split(" ");
    if (value.trim() === "" || scopes.some((s) => s === "")) {
      ctx.addIssue({ code: "custom", message: `must be space-separated scopes from: ${OAUTH_SCOPES.join(", ")}` });
      return;
    }
    const unknown = scopes.filter((s) => !(OAUTH_SCOPES as readonly string[]).includes(s));
    if (unknown.length) ctx.addIssue({ code: "custom", message: `unknown scope ${unknown.join(", ")}; allowed: ${OAUTH_SCOPES.join(", ")}` });
    else if (new Set(scopes).size !== scopes.length) ctx.addIssue({ code: "custom", message: "lists a scope more than once" });
  });

const tokenLifetime = seconds(60, 86400);

export const serviceAccountTarget = z.strictObject({
  type: z.literal("service_account", { error: "must be service_account" }),
  service_account_id: taggedId("svac_"),
  /** Display only; ignored on writes. */
  service_account_name: z.string().nullish(),
}, { error: "must be an object with type and service_account_id" });

/** `wrkspc_…` or the literal `default`. */
export const workspaceRef = z
  .string({ error: "must be a workspace ID (wrkspc_…) or default" })
  .max(128, "is too long")
  .regex(/^(default|wrkspc_[0-9A-Za-z]+)$/, "must be a workspace ID (wrkspc_…) or default");

const attributes = z
  .record(z.string(), z.string())
  .nullish()
  .refine((v) => v == null || Object.keys(v).length === 0, "attributes are not supported yet; omit the field or send null");

/** The rule's own fields, before the cross-field checks (the guided setup omits the references). */
export const ruleFields = z.strictObject({
    name: slug,
    description: description.nullish(),
    issuer_id: taggedId("fdis_"),
    match: ruleMatch,
    target: serviceAccountTarget,
    oauth_scope: oauthScope,
    token_lifetime_seconds: tokenLifetime.default(3600),
    workspace_id: workspaceRef.nullish(),
    applies_to_all_workspaces: z.boolean({ error: "must be true or false" }).default(false),
    attributes,
  });

/** A rule needs a workspace unless it applies to all of them. */
export function requireWorkspace(r: { applies_to_all_workspaces: boolean; workspace_id?: string | null }, ctx: z.RefinementCtx) {
  if (!r.applies_to_all_workspaces && !r.workspace_id) {
    ctx.addIssue({ code: "custom", path: ["workspace_id"], message: "is required unless applies_to_all_workspaces is true" });
  }
}

export const ruleCreate = ruleFields.superRefine(requireWorkspace);

export const ruleUpdate = z.strictObject({
  name: slug.nullish(),
  description: description.nullish(),
  match: ruleMatch.nullish(),
  target: serviceAccountTarget.nullish(),
  oauth_scope: oauthScope.nullish(),
  token_lifetime_seconds: tokenLifetime.nullish(),
  workspace_id: workspaceRef.nullish(),
  applies_to_all_workspaces: z.boolean({ error: "must be true or false" }).nullish(),
  attributes,
  /** The issuer of a rule cannot change; accepted only when it names the current one. */
  issuer_id: taggedId("fdis_").optional(),
});

export const ruleWorkspaceAdd = z.strictObject({ workspace_id: workspaceRef });

/**
 * A rule as it is being written, for the advisor (lib/insight/advisor.ts): any text within a
 * request's limits, since advice on a half-written rule is the point; nothing is stored.
 */
export const ruleAdviceRequest = z.strictObject({
  issuerUrl: z.string().max(2048),
  match: z.strictObject({
    subject_prefix: z.string().max(1024).nullish(),
    audience: z.string().max(1024).nullish(),
    claims: z.record(z.string().max(256), z.string().max(1024)).nullish(),
    condition: z.string().max(MAX_CONDITION_LENGTH).nullish(),
  }),
  oauthScope: z.string().max(512),
  tokenLifetimeSeconds: z.number(),
  serviceAccountRole: z.enum(["admin", "developer"]).nullish(),
});
