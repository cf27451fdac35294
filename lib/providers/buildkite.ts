/**
 * Buildkite: one issuer for every Buildkite organisation, so the rule pins
 * `organization_slug`; subjects by organisation, pipeline, ref, commit and step.
 * @see docs/providers.md#buildkite
 */
import { answer, sharedIssuer, slugify, type ProviderPreset } from "./preset";

const SLUG = { pattern: "^[a-z0-9][a-z0-9-]*$", patternMessage: "must be a slug: lowercase letters, digits and hyphens" } as const;

export const BUILDKITE_ISSUER = "https://agent.buildkite.com";

export const buildkite: ProviderPreset = {
  id: "buildkite",
  label: "Buildkite",
  description: "Buildkite pipeline steps, with buildkite-agent oidc request-token.",
  issuer: sharedIssuer(BUILDKITE_ISSUER, "agent.buildkite.com is shared by every Buildkite organisation: the rule pins yours."),
  audienceField: null,
  fields: [
    { name: "organization", label: "Organization slug", required: true, placeholder: "acme", mono: true, ...SLUG },
    { name: "pipeline", label: "Pipeline slug", help: "Leave empty for every pipeline of the organisation.", required: false, placeholder: "deploy", mono: true, ...SLUG },
    {
      name: "branch",
      label: "Branch",
      help: "Only builds of this branch. Needs a pipeline.",
      required: false,
      requires: "pipeline",
      pattern: "^[^\\s~^:?*\\[\\\\]+$",
      patternMessage: "must be a branch name without spaces, * or ~^:?[\\",
      placeholder: "main",
      mono: true,
    },
  ],
  composeMatch(values) {
    const org = answer(values, "organization") ?? "";
    const pipeline = answer(values, "pipeline");
    const branch = answer(values, "branch");
    const subject = pipeline ? `organization:${org}:pipeline:${pipeline}:${branch ? `ref:refs/heads/${branch}:` : ""}*` : undefined;
    return { ...(subject ? { subject_prefix: subject } : {}), claims: { organization_slug: org } };
  },
  pitfalls: [
    "agent.buildkite.com signs tokens for every Buildkite organisation: always pin organization_slug.",
    "The subject ends with the commit and step, so match a prefix that ends at a : (…:ref:refs/heads/main:*).",
    "Request the token with the rule's audience: buildkite-agent oidc request-token --audience ….",
  ],
  snippetInputs: () => ({}),
  suggestNames(values) {
    const org = slugify(answer(values, "organization"), "buildkite");
    const pipeline = answer(values, "pipeline");
    return { issuer: "buildkite", serviceAccount: slugify(`${org}-${pipeline ?? "ci"}`, "buildkite-ci"), rule: slugify(`${org}-${pipeline ?? "all"}-${answer(values, "branch") ?? "any"}`, "rule") };
  },
};
