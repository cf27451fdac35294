/**
 * Console single sign-on and second-factor input: OIDC providers with their role mappings,
 * the organization's sign-in policy, TOTP codes and the mapping tester's sample claims.
 * @see docs/security.md#console-single-sign-on
 */
import { z } from "zod";
import { SSO_ROLES, type RoleMapping } from "../core/role-mapping";
import { httpsUrl } from "./issuers";
import { ruleMatch } from "./rules";

export const ssoRole = z.enum(SSO_ROLES, { error: "must be admin, developer or viewer (owners are local accounts)" });

export const roleMapping = z.strictObject({ role: ssoRole, match: ruleMatch });
export const roleMappings = z.array(roleMapping, { error: "must be a list of mappings" }).max(50, "must have at most 50 mappings");

const domain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, "each domain must look like example.com");

/** Scopes always include `openid` (the ID token) and `email` (the user's console address). */
const scopes = z
  .string({ error: "must be a string" })
  .trim()
  .max(512, "must be at most 512 characters")
  .transform((v) => [...new Set(["openid", "email", "profile", ...v.split(/\s+/).filter(Boolean)])].join(" "))
  .refine((v) => /^[\x21\x23-\x5b\x5d-\x7e ]+$/.test(v), "scopes must be printable ASCII without quotes or backslashes");

const providerName = z.string({ error: "must be a string" }).trim().min(1, "is required").max(64, "must be at most 64 characters");
const clientId = z.string({ error: "must be a string" }).trim().min(1, "is required").max(255, "must be at most 255 characters");
/** Write-only: empty keeps the stored secret on update; `null` removes it (a public client, PKCE only). */
const clientSecret = z.string({ error: "must be a string" }).max(1024, "must be at most 1024 characters");

export const ssoProviderInput = z.strictObject({
  name: providerName,
  issuer_url: httpsUrl,
  client_id: clientId,
  client_secret: clientSecret.optional(),
  scopes: scopes.default("openid email profile"),
  allowed_domains: z.array(domain, { error: "must be a list of domains" }).max(50, "must have at most 50 domains").default([]),
  role_mappings: roleMappings.default([]),
});

export const signInPolicyInput = z.strictObject({
  require_sso: z.boolean({ error: "must be true or false" }),
  require_second_factor: z.boolean({ error: "must be true or false" }),
});
export type SignInPolicyInput = z.input<typeof signInPolicyInput>;

/** Six digits from an authenticator app, or a recovery code (`xxxxx-xxxxx-xxxxx-xxxxx`). */
export const secondFactorInput = z.strictObject({
  code: z
    .string({ error: "must be a string" })
    .trim()
    .min(1, "is required")
    .max(64, "is too long")
    .transform((v) => v.replace(/\s+/g, "")),
});
export type SecondFactorInput = z.input<typeof secondFactorInput>;

export const totpConfirmInput = z.strictObject({
  code: z
    .string({ error: "must be a string" })
    .trim()
    .regex(/^\d{6}$/, "must be the 6-digit code your authenticator app shows"),
});

/** Sample ID-token claims to try against a provider's mappings (the tester's JSON object). */
export const mappingTrialInput = z.strictObject({
  claims: z
    .string({ error: "must be a string" })
    .max(65_536, "must be at most 64 KiB")
    .transform((text, ctx) => {
      try {
        const value: unknown = JSON.parse(text);
        if (value && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
      } catch {
        // fall through to the message below
      }
      ctx.addIssue({ code: "custom", message: 'must be a JSON object of claims, e.g. {"sub": "00u1", "groups": ["platform-admins"]}' });
      return z.NEVER;
    }),
  role_mappings: roleMappings.optional(),
});

/** Providers from WIF_SSO_PROVIDERS (lib/config.ts): the console's input plus a stable id. */
export const environmentSsoProviders = z.array(
  z.strictObject({
    id: z.string().regex(/^[a-z0-9-]{1,40}$/, "id must be 1-40 lowercase letters, digits or hyphens"),
    name: providerName,
    issuer_url: httpsUrl,
    client_id: clientId,
    client_secret: clientSecret.optional(),
    scopes: scopes.default("openid email profile"),
    allowed_domains: z.array(domain).max(50).default([]),
    role_mappings: roleMappings.default([]),
  }),
);
export type EnvironmentSsoProvider = z.output<typeof environmentSsoProviders>[number];

/** What an owner sees of a provider: never the secret, only its last four characters when one is set. */
export interface SsoProviderDto {
  id: string;
  name: string;
  issuer_url: string;
  client_id: string;
  client_secret_last4: string | null;
  scopes: string;
  allowed_domains: string[];
  role_mappings: RoleMapping[];
  source: "console" | "environment";
  updated_at: string;
}
