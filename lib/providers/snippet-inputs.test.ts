import { describe, expect, it } from "vitest";
import { defaultValues, getProvider, type FieldValues, type ProviderId } from "./index";
import { snippetInputsFromMatch } from "./snippet-inputs";

describe("snippetInputsFromMatch", () => {
  // The inputs recovered from a composed subject equal the ones the preset gives for the same answers.
  it.each([
    ["github-actions", { owner: "acme", repository: "api", trigger: "branch", branch: "release/*" }],
    ["github-actions", { owner: "acme", repository: "api", trigger: "tag", tag: "v1.2.0" }],
    ["github-actions", { owner: "acme", repository: "api", trigger: "environment", environment: "production" }],
    ["github-actions", { owner: "acme", repository: "api", trigger: "pull_request" }],
    ["demo", { trigger: "branch", branch: "main" }],
    ["gitlab-ci", { project_path: "acme/api", ref_type: "tag", ref: "v1" }],
    ["kubernetes", { cluster_issuer: "https://k8s.example.com", namespace: "payments", service_account: "api" }],
  ] as Array<[ProviderId, FieldValues]>)("%s %j", (id, values) => {
    const preset = getProvider(id);
    const answers = { ...defaultValues(preset), ...values };
    expect(snippetInputsFromMatch(id, preset.composeMatch(answers))).toEqual(preset.snippetInputs(answers));
  });

  it.each([
    ["github-actions", "repo:acme/*"],
    ["gitlab-ci", "project_path:acme/*"],
    ["kubernetes", "system:serviceaccount:payments:*"],
    ["aws", "arn:aws:iam::123456789012:role/x"],
  ] as Array<[ProviderId, string]>)("%s: nothing for a subject that names no single trigger (%s)", (id, subject) => {
    expect(snippetInputsFromMatch(id, { subject_prefix: subject })).toEqual({});
  });
});
