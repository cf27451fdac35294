/**
 * Token tester input: testing a pasted token, minting a sample token from the demo issuer,
 * and running a live exchange. One schema for the form, the server action and the service.
 */
import { z } from "zod";
import { MAX_ASSERTION_BYTES } from "../core/exchange-checks";

/** A pasted JWT. Surrounding whitespace (a paste artefact) is dropped; nothing else is changed. */
export const pastedAssertion = z
  .string({ error: "must be a string" })
  .trim()
  .min(1, "paste a token (eyJ…)")
  .refine((v) => new TextEncoder().encode(v).length <= MAX_ASSERTION_BYTES, `must be at most ${MAX_ASSERTION_BYTES / 1024} KiB, the token endpoint's limit`);

/** An optional ID from a form: empty means "not given". */
const optionalId = (prefix: string, what: string, extra: readonly string[] = []) =>
  z
    .string({ error: "must be a string" })
    .trim()
    .max(128, "is too long")
    .refine((v) => v === "" || extra.includes(v) || new RegExp(`^${prefix}[0-9A-Za-z]+$`).test(v), `must be ${what} (${prefix}…)${extra.length ? ` or ${extra.join(", ")}` : ""}`)
    .transform((v) => (v === "" ? undefined : v))
    .optional();

export const tokenTest = z.strictObject({
  assertion: pastedAssertion,
  /** Empty: every live rule of the token's issuer. */
  rule_id: optionalId("fdrl_", "a rule ID"),
  workspace_id: optionalId("wrkspc_", "a workspace ID", ["default"]),
  service_account_id: optionalId("svac_", "a service account ID"),
});

/** `?event=` on the tester: claims recorded in the history, checked against a rule. */
export const recordedTest = z.strictObject({
  event_id: z.string().trim().min(1, "is required").max(128).regex(/^[A-Za-z0-9_-]+$/, "must be a history entry ID"),
  rule_id: optionalId("fdrl_", "a rule ID"),
});

const MAX_SAMPLE_CLAIMS_BYTES = 8 * 1024;

/** A sample token from the demo issuer: registered claims are set by the minter and win. */
export const sampleTokenRequest = z.strictObject({
  subject: z.string({ error: "must be a string" }).trim().min(1, "is required").max(1024, "must be at most 1024 characters"),
  audience: z.string({ error: "must be a string" }).trim().min(1, "is required").max(1024, "must be at most 1024 characters"),
  claims: z
    .record(z.string().min(1, "claim names must not be empty").max(256, "claim names must be at most 256 characters"), z.json(), { error: "must be an object of claims" })
    .refine((c) => JSON.stringify(c).length <= MAX_SAMPLE_CLAIMS_BYTES, `must be at most ${MAX_SAMPLE_CLAIMS_BYTES / 1024} KiB of JSON`),
  lifetime_seconds: z.number({ error: "must be a number" }).int("must be a whole number of seconds").min(30, "must be between 30 and 3600 seconds").max(3600, "must be between 30 and 3600 seconds"),
});

export const liveExchangeRequest = z
  .strictObject({
    assertion: pastedAssertion,
    /** `this_server`: this server's own token endpoint; `other`: another platform's, at `base_url`. */
    target: z.enum(["this_server", "other"], { error: "must be this_server or other" }),
    base_url: z.string({ error: "must be a string" }).trim().max(2048, "is too long").default(""),
    federation_rule_id: z.string({ error: "must be a string" }).trim().min(1, "is required").max(128, "is too long").regex(/^[A-Za-z0-9_-]+$/, "must be a rule ID (fdrl_…)"),
    /** Another platform's organization; this server's own is used for `this_server`. */
    organization_id: z.string({ error: "must be a string" }).trim().max(128, "is too long").default(""),
    workspace_id: optionalId("wrkspc_", "a workspace ID", ["default"]),
    service_account_id: optionalId("svac_", "a service account ID"),
    /** On success, call the Admin API once with the access token (kept server-side). */
    try_call: z.boolean({ error: "must be true or false" }).default(false),
  })
  .superRefine((v, ctx) => {
    if (v.target !== "other") return;
    if (v.base_url === "") ctx.addIssue({ code: "custom", path: ["base_url"], message: "is required for another platform" });
    else {
      let url: URL | undefined;
      try {
        url = new URL(v.base_url);
      } catch {
        ctx.addIssue({ code: "custom", path: ["base_url"], message: "must be a URL such as https://api.example.com" });
      }
      if (url && url.protocol !== "https:" && url.protocol !== "http:") ctx.addIssue({ code: "custom", path: ["base_url"], message: "url must use https scheme" });
      if (url && (url.username || url.password || url.search || url.hash)) ctx.addIssue({ code: "custom", path: ["base_url"], message: "must be a base URL without credentials, query or fragment" });
    }
    if (v.organization_id === "") ctx.addIssue({ code: "custom", path: ["organization_id"], message: "is required for another platform" });
  });
