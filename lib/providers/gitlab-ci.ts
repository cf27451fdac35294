/**
 * GitLab CI/CD: `id_tokens:` in .gitlab-ci.yml. The issuer is the instance URL (GitLab.com is
 * shared by every customer); subjects name the project path, ref type and ref.
 * @see docs/providers.md#gitlab-ci
 */
import { answer, claimsOf, DIGITS, sharedOrSelfHostedIssuer, slugify, type ProviderPreset } from "./preset";

export const GITLAB_COM = "https://gitlab.com";

export const gitlabCi: ProviderPreset = {
  id: "gitlab-ci",
  label: "GitLab CI/CD",
  description: "Pipelines on GitLab.com or a self-managed instance, with an id_tokens: token.",
  issuer: sharedOrSelfHostedIssuer({
    host: { name: "gitlab_host", label: "Self-managed GitLab host", help: "Leave empty for GitLab.com. For a self-managed instance the issuer is its URL, https://HOST.", placeholder: "gitlab.example.com" },
    shared: GITLAB_COM,
    keyModes: ["discovery", "explicit_url", "inline"],
    note: "GitLab.com is shared by every GitLab.com customer: the rule must pin your group or project.",
  }),
  audienceField: null,
  fields: [
    {
      name: "project_path",
      label: "Project path",
      help: "group/project (or group/subgroup/project), exactly as in the project's URL.",
      required: true,
      pattern: "^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+$",
      patternMessage: "must be a project path such as acme/api or acme/backend/api",
      placeholder: "acme/api",
      mono: true,
    },
    {
      name: "ref_type",
      label: "Ref type",
      required: true,
      defaultValue: "branch",
      options: [
        { value: "branch", label: "Branch" },
        { value: "tag", label: "Tag" },
      ],
    },
    {
      name: "ref",
      label: "Ref",
      help: "The branch or tag name, without refs/heads/. End it with * to match a prefix.",
      required: true,
      defaultValue: "main",
      pattern: "^[^\\s~^:?*\\[\\\\]+\\*?$",
      patternMessage: "must be a branch or tag name without spaces or ~^:?[\\; only a final * is allowed",
      mono: true,
    },
    { name: "project_id", label: "Project ID", help: "The project's numeric ID (Settings → General). Paths can be renamed; IDs cannot.", required: false, placeholder: "4242", mono: true, ...DIGITS },
    { name: "namespace_id", label: "Group (namespace) ID", help: "The top group's numeric ID.", required: false, mono: true, ...DIGITS },
  ],
  composeMatch(values) {
    const claims = claimsOf({ project_id: answer(values, "project_id"), namespace_id: answer(values, "namespace_id") });
    return {
      subject_prefix: `project_path:${answer(values, "project_path") ?? ""}:ref_type:${answer(values, "ref_type") ?? "branch"}:ref:${answer(values, "ref") ?? ""}`,
      ...(claims ? { claims } : {}),
    };
  },
  pitfalls: [
    "Each job names its audience under id_tokens: (aud:); it must equal the rule's audience.",
    "The ref claim has no refs/heads/ prefix, and the subject changes between branches and tags.",
    "Matching is exact and case-sensitive: the project path must be spelt as GitLab spells it.",
    "Pin project_id or namespace_id: paths can be renamed and re-used, numeric IDs cannot.",
  ],
  snippetInputs: (values) => ({ gitlab: { refType: answer(values, "ref_type") === "tag" ? "tag" : "branch", ref: answer(values, "ref") ?? "main" } }),
  suggestNames(values) {
    const project = slugify(answer(values, "project_path")?.split("/").pop(), "project");
    return { issuer: answer(values, "gitlab_host") ? slugify(answer(values, "gitlab_host"), "gitlab") : "gitlab-com", serviceAccount: slugify(`${project}-ci`, "ci"), rule: slugify(`${project}-${answer(values, "ref") ?? "main"}`, "rule") };
  },
};
