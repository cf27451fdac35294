/**
 * Okta client credentials from a custom authorization server (the org server's tokens are
 * not for third parties): `sub` is the service app's client ID.
 * @see docs/providers.md#okta
 */
import { answer, slugify, type ProviderPreset } from "./preset";

export const okta: ProviderPreset = {
  id: "okta",
  label: "Okta",
  description: "Service apps using client credentials against a custom authorization server.",
  issuer: {
    fields: [
      {
        name: "okta_domain",
        label: "Okta domain",
        required: true,
        pattern: "^[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+$",
        patternMessage: "must be a domain such as acme.okta.com (no https://)",
        placeholder: "acme.okta.com",
        mono: true,
      },
      {
        name: "auth_server_id",
        label: "Authorization server ID",
        help: "Security → API → Authorization Servers. The org authorization server cannot be used.",
        required: true,
        defaultValue: "default",
        pattern: "^[A-Za-z0-9]+$",
        patternMessage: "must be an authorization server ID such as default or aus1a2b3c4d5e6f7g8h9",
        mono: true,
      },
    ],
    url: (values) => `https://${answer(values, "okta_domain") ?? ""}/oauth2/${answer(values, "auth_server_id") ?? "default"}`,
    keyModes: ["discovery"],
  },
  audienceField: "okta_audience",
  fields: [
    { name: "client_id", label: "Client ID", help: "The service app's client ID; matched exactly.", required: true, pattern: "^[A-Za-z0-9_-]+$", patternMessage: "must be an Okta client ID such as 0oa1b2c3d4e5f6g7h8i9", placeholder: "0oa1b2c3d4e5f6g7h8i9", mono: true },
    { name: "okta_audience", label: "Audience", help: "The authorization server's audience setting (the token's aud).", required: true, defaultValue: "api://default", pattern: "^\\S+$", patternMessage: "must not contain spaces", mono: true },
  ],
  composeMatch: (values) => ({ subject_prefix: answer(values, "client_id") ?? "", audience: answer(values, "okta_audience") ?? "" }),
  pitfalls: [
    "Use a custom authorization server (https://DOMAIN/oauth2/ID); tokens of the org authorization server (https://DOMAIN) are not meant for third parties.",
    "The audience is a setting of the authorization server; every app of that server gets it, so the client ID match is what pins your app.",
  ],
  snippetInputs: () => ({}),
  suggestNames: (values) => ({ issuer: slugify(`okta-${answer(values, "okta_domain")?.split(".")[0]}`, "okta"), serviceAccount: "okta-service-app", rule: slugify(`okta-${answer(values, "client_id")}`, "rule") }),
};
