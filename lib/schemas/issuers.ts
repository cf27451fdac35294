/** Federation issuer input: create, update, and the JWKS shapes. @see docs/behaviour.md#federation-issuers */
import { z } from "zod";
import { validateJwkSet } from "../core/jwks-validation";
import { seconds, slug } from "./common";

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * An issuer or JWKS URL as typed. Stored byte for byte (the JWT `iss` must equal it exactly),
 * so this only checks; it never normalises. Plain http is accepted here for loopback hosts
 * only; the service refuses even those unless the development setting is on.
 */
export const httpsUrl = z.string({ error: "must be a string" }).max(2048, "must be at most 2048 characters").superRefine((value, ctx) => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    ctx.addIssue({ code: "custom", message: "must be an absolute URL such as https://token.actions.githubusercontent.com" });
    return;
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname))) {
    ctx.addIssue({ code: "custom", message: "url must use https scheme" });
  } else if (url.username || url.password) {
    ctx.addIssue({ code: "custom", message: "must not contain a user name or password" });
  } else if (url.hash || value.includes("#")) {
    ctx.addIssue({ code: "custom", message: "must not contain a fragment (#…)" });
  } else if (url.search) {
    ctx.addIssue({ code: "custom", message: "must not contain a query string" });
  } else if (/\s/.test(value)) {
    ctx.addIssue({ code: "custom", message: "must not contain whitespace" });
  }
});

const pem = z
  .string({ error: "must be a string" })
  .max(64 * 1024, "must be at most 64 KiB")
  .regex(/-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/, "must be a PEM certificate (-----BEGIN CERTIFICATE-----…)");

// Strict, like every input object: an unknown member (`jwks_uri`, `follow_redirects`) is a
// mistake to report, not a setting to drop silently.
export const jwksDiscovery = z.strictObject({
  type: z.literal("discovery"),
  discovery_base: httpsUrl.nullish(),
  ca_cert_pem: pem.nullish(),
});

export const jwksExplicitUrl = z.strictObject({
  type: z.literal("explicit_url"),
  url: httpsUrl,
  ca_cert_pem: pem.nullish(),
});

export const jwksInline = z.strictObject({
  type: z.literal("inline"),
  keys: z.array(z.record(z.string(), z.unknown()), { error: "must be an array of JWK objects" }).superRefine((keys, ctx) => {
    const problem = validateJwkSet(keys);
    if (!problem) return;
    // `jwks.keys[1]: …` → path `jwks.keys.1`, so the message names the offending key first.
    const [, index, message] = /^jwks\.keys(?:\[(\d+)\])?:\s*([\s\S]*)$/.exec(problem) ?? [, undefined, problem];
    ctx.addIssue({ code: "custom", message: message!, path: index === undefined ? [] : [Number(index)] });
  }),
});

export const jwksConfig = z.discriminatedUnion("type", [jwksDiscovery, jwksExplicitUrl, jwksInline], {
  error: "must be an object with type discovery, explicit_url or inline",
});

const maxJwtLifetime = seconds(1, 176400);

export const issuerCreate = z.strictObject({
  name: slug,
  issuer_url: httpsUrl,
  jwks: jwksConfig.default({ type: "discovery" }),
  check_jti: z.boolean({ error: "must be true or false" }).nullish().transform((v) => v ?? true),
  max_jwt_lifetime_seconds: maxJwtLifetime.nullish().transform((v) => v ?? 3600),
});

export const issuerUpdate = z.strictObject({
  name: slug.nullish(),
  issuer_url: httpsUrl.nullish(),
  jwks: jwksConfig.nullish(),
  check_jti: z.boolean({ error: "must be true or false" }).nullish(),
  max_jwt_lifetime_seconds: maxJwtLifetime.nullish(),
  jwks_polling_disabled: z
    .boolean({ error: "must be false" })
    .nullish()
    .refine((v) => v !== true, "only false is accepted; polling pauses itself after repeated failures"),
});
