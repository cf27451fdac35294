/**
 * CircleCI: an issuer per organisation, `aud` = the organisation ID, subjects by
 * organisation, project and user IDs.
 * @see docs/providers.md#circleci
 */
import { answer, slugify, UUID, type ProviderPreset } from "./preset";

export const circleci: ProviderPreset = {
  id: "circleci",
  label: "CircleCI",
  description: "CircleCI jobs, with $CIRCLE_OIDC_TOKEN_V2.",
  issuer: {
    fields: [{ name: "org_id", label: "Organization ID", help: "Organization Settings → Overview.", required: true, mono: true, ...UUID }],
    url: (values) => `https://oidc.circleci.com/org/${answer(values, "org_id") ?? ""}`,
    keyModes: ["discovery"],
  },
  // CircleCI sets aud to the organisation ID.
  audienceField: "org_id",
  fields: [
    { name: "project_id", label: "Project ID", help: "Project Settings → Overview.", required: true, mono: true, ...UUID },
    { name: "user_id", label: "User ID", help: "Only jobs triggered by this user. Leave empty for any user of the project.", required: false, mono: true, ...UUID },
  ],
  composeMatch(values) {
    const base = `org/${answer(values, "org_id") ?? ""}/project/${answer(values, "project_id") ?? ""}/user/`;
    const user = answer(values, "user_id");
    return { subject_prefix: user ? `${base}${user}` : `${base}*`, audience: answer(values, "org_id") ?? "" };
  },
  pitfalls: [
    "The token's aud is the organisation ID, not https://api.anthropic.com.",
    "Use $CIRCLE_OIDC_TOKEN_V2, whose subject names the project; write it to a file for ANTHROPIC_IDENTITY_TOKEN_FILE.",
  ],
  snippetInputs: () => ({}),
  suggestNames: (values) => ({ issuer: slugify(`circleci-${answer(values, "org_id")?.slice(0, 8)}`, "circleci"), serviceAccount: "circleci-ci", rule: slugify(`circleci-${answer(values, "project_id")?.slice(0, 8)}`, "rule") }),
};
