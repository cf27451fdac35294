/**
 * Google Cloud: ID tokens from the metadata server for a service account. The issuer is
 * shared by all of Google; `sub` is the account's numeric unique ID, matched exactly.
 * @see docs/providers.md#google-cloud
 */
import { answer, claimsOf, sharedIssuer, slugify, type ProviderPreset } from "./preset";

export const GOOGLE_ISSUER = "https://accounts.google.com";

export const googleCloud: ProviderPreset = {
  id: "google-cloud",
  label: "Google Cloud",
  description: "Compute Engine, Cloud Run, GKE or Cloud Functions, with a service account's ID token.",
  issuer: sharedIssuer(GOOGLE_ISSUER, "accounts.google.com is shared by every Google account: the rule must name your service account exactly."),
  audienceField: null,
  fields: [
    {
      name: "unique_id",
      label: "Service account unique ID",
      help: "The numeric ID (gcloud iam service-accounts describe EMAIL --format='value(uniqueId)'); matched exactly, never as a prefix.",
      required: true,
      pattern: "^[0-9]{10,30}$",
      patternMessage: "must be the service account's numeric unique ID",
      placeholder: "104785432190123456789",
      mono: true,
    },
    {
      name: "email",
      label: "Service account email",
      help: "Also require this email; tokens carry it only when requested with format=full.",
      required: false,
      pattern: "^[^@\\s]+@[^@\\s]+$",
      patternMessage: "must be an email such as deployer@project.iam.gserviceaccount.com",
      mono: true,
    },
  ],
  composeMatch(values) {
    const claims = claimsOf({ email: answer(values, "email") });
    return { subject_prefix: answer(values, "unique_id") ?? "", ...(claims ? { claims } : {}) };
  },
  pitfalls: [
    "The subject is the service account's numeric unique ID, not its email; match it exactly.",
    "The email claim is present only with format=full (metadata server identity?audience=…&format=full).",
    "Request the ID token with the rule's audience (identity?audience=…).",
  ],
  snippetInputs: () => ({}),
  suggestNames(values) {
    const local = slugify(answer(values, "email")?.split("@")[0], "gcp-workload");
    return { issuer: "google", serviceAccount: local, rule: slugify(`gcp-${local}`, "rule") };
  },
};
