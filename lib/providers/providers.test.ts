import { describe, expect, it } from "vitest";
import { demoIssuerUrl } from "../demo/issuer";
import { compileCondition } from "../core/cel";
import { explainRuleMatch } from "../core/match";
import { pinsTenant } from "../core/tenant-pin";
import { ruleMatch } from "../schemas/rules";
import { answerProblems, defaultValues, getProvider, PROVIDERS, visibleFields, type FieldValues, type ProviderId } from "./index";

const ENV = { publicUrl: "http://localhost:3201" };

/** A preset's answers: its defaults plus `values`. */
function answers(id: ProviderId, values: FieldValues): FieldValues {
  return { ...defaultValues(getProvider(id)), ...values };
}

function compose(id: ProviderId, values: FieldValues) {
  const preset = getProvider(id);
  const all = answers(id, values);
  return { issuerUrl: preset.issuer.url(all, ENV), match: preset.composeMatch(all), all };
}

/** Every composed example: the docs/providers.md subject (or claims) it must produce. */
const EXAMPLES: Array<{ id: ProviderId; name: string; values: FieldValues; issuer: string; match: Record<string, unknown> }> = [
  {
    id: "github-actions",
    name: "push to a branch",
    values: { owner: "octo-org", repository: "octo-repo", trigger: "branch", branch: "main" },
    issuer: "https://token.actions.githubusercontent.com",
    match: { subject_prefix: "repo:octo-org/octo-repo:ref:refs/heads/main" },
  },
  {
    id: "github-actions",
    name: "tag, with owner and repository IDs",
    values: { owner: "octo-org", repository: "octo-repo", trigger: "tag", tag: "v1.2.0", repository_owner_id: "123", repository_id: "456" },
    issuer: "https://token.actions.githubusercontent.com",
    match: { subject_prefix: "repo:octo-org/octo-repo:ref:refs/tags/v1.2.0", claims: { repository_owner_id: "123", repository_id: "456" } },
  },
  {
    id: "github-actions",
    name: "environment",
    values: { owner: "octo-org", repository: "octo-repo", trigger: "environment", environment: "production" },
    issuer: "https://token.actions.githubusercontent.com",
    match: { subject_prefix: "repo:octo-org/octo-repo:environment:production" },
  },
  {
    id: "github-actions",
    name: "pull requests, on GitHub Enterprise Server",
    values: { ghes_host: "github.example.com", owner: "octo-org", repository: "octo-repo", trigger: "pull_request" },
    issuer: "https://github.example.com/_services/token",
    match: { subject_prefix: "repo:octo-org/octo-repo:pull_request" },
  },
  {
    id: "gitlab-ci",
    name: "branch on GitLab.com with project ID",
    values: { project_path: "mygroup/myproject", ref_type: "branch", ref: "main", project_id: "42" },
    issuer: "https://gitlab.com",
    match: { subject_prefix: "project_path:mygroup/myproject:ref_type:branch:ref:main", claims: { project_id: "42" } },
  },
  {
    id: "gitlab-ci",
    name: "tag on a self-managed instance",
    values: { gitlab_host: "gitlab.example.com", project_path: "mygroup/sub/myproject", ref_type: "tag", ref: "v1.0.0" },
    issuer: "https://gitlab.example.com",
    match: { subject_prefix: "project_path:mygroup/sub/myproject:ref_type:tag:ref:v1.0.0" },
  },
  {
    id: "kubernetes",
    name: "EKS namespace and service account",
    values: { cluster_issuer: "https://oidc.eks.eu-west-1.amazonaws.com/id/ABC123", namespace: "payments", service_account: "api" },
    issuer: "https://oidc.eks.eu-west-1.amazonaws.com/id/ABC123",
    match: { subject_prefix: "system:serviceaccount:payments:api" },
  },
  {
    id: "kubernetes",
    name: "AKS issuer keeps its trailing slash; UID pinned by condition",
    values: { cluster_issuer: "https://eastus.oic.prod-aks.azure.com/TENANT/UUID/", namespace: "payments", service_account: "api", service_account_uid: "0f8fad5b-d9cb-469f-a165-70867728950e" },
    issuer: "https://eastus.oic.prod-aks.azure.com/TENANT/UUID/",
    match: { subject_prefix: "system:serviceaccount:payments:api", condition: 'claims["kubernetes.io"].serviceaccount.uid == "0f8fad5b-d9cb-469f-a165-70867728950e"' },
  },
  {
    id: "aws",
    name: "role ARN exactly, account by condition",
    values: { issuer_uuid: "0F8FAD5B-D9CB-469F-A165-70867728950E", role_arn: "arn:aws:iam::123456789012:role/deployer", account_id: "123456789012" },
    issuer: "https://0f8fad5b-d9cb-469f-a165-70867728950e.tokens.sts.global.api.aws",
    match: { subject_prefix: "arn:aws:iam::123456789012:role/deployer", condition: 'claims["https://sts.amazonaws.com/"].aws_account == "123456789012"' },
  },
  {
    id: "google-cloud",
    name: "numeric unique ID exactly, email claim",
    values: { unique_id: "104785432190123456789", email: "deployer@proj.iam.gserviceaccount.com" },
    issuer: "https://accounts.google.com",
    match: { subject_prefix: "104785432190123456789", claims: { email: "deployer@proj.iam.gserviceaccount.com" } },
  },
  {
    id: "azure",
    name: "v2.0: oid and tid, the app as audience",
    values: { tenant_id: "72F988BF-86F1-41AF-91AB-2D7CD011DB47", object_id: "11111111-2222-3333-4444-555555555555", app_audience: "api://wif-console" },
    issuer: "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0",
    match: { audience: "api://wif-console", claims: { oid: "11111111-2222-3333-4444-555555555555", tid: "72f988bf-86f1-41af-91ab-2d7cd011db47" } },
  },
  {
    id: "azure",
    name: "v1.0 issuer",
    values: { tenant_id: "72f988bf-86f1-41af-91ab-2d7cd011db47", token_version: "v1", object_id: "11111111-2222-3333-4444-555555555555", app_audience: "api://wif-console" },
    issuer: "https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/",
    match: { audience: "api://wif-console", claims: { oid: "11111111-2222-3333-4444-555555555555", tid: "72f988bf-86f1-41af-91ab-2d7cd011db47" } },
  },
  {
    id: "okta",
    name: "custom authorization server, client ID exactly",
    values: { okta_domain: "acme.okta.com", auth_server_id: "aus1a2b3c4d5e6f7g8h9", client_id: "0oa1b2c3d4e5f6g7h8i9" },
    issuer: "https://acme.okta.com/oauth2/aus1a2b3c4d5e6f7g8h9",
    match: { subject_prefix: "0oa1b2c3d4e5f6g7h8i9", audience: "api://default" },
  },
  {
    id: "circleci",
    name: "project of an organisation, aud = org ID",
    values: { org_id: "aaaaaaaa-1111-2222-3333-444444444444", project_id: "bbbbbbbb-1111-2222-3333-444444444444" },
    issuer: "https://oidc.circleci.com/org/aaaaaaaa-1111-2222-3333-444444444444",
    match: { subject_prefix: "org/aaaaaaaa-1111-2222-3333-444444444444/project/bbbbbbbb-1111-2222-3333-444444444444/user/*", audience: "aaaaaaaa-1111-2222-3333-444444444444" },
  },
  {
    id: "buildkite",
    name: "pipeline and branch, organisation pinned",
    values: { organization: "acme", pipeline: "deploy", branch: "main" },
    issuer: "https://agent.buildkite.com",
    match: { subject_prefix: "organization:acme:pipeline:deploy:ref:refs/heads/main:*", claims: { organization_slug: "acme" } },
  },
  {
    id: "buildkite",
    name: "organisation only",
    values: { organization: "acme" },
    issuer: "https://agent.buildkite.com",
    match: { claims: { organization_slug: "acme" } },
  },
  {
    id: "hcp-terraform",
    name: "workspace, apply only",
    values: { organization: "acme", project: "Default Project", workspace: "networking-prod", run_phase: "apply" },
    issuer: "https://app.terraform.io",
    match: { subject_prefix: "organization:acme:project:Default Project:workspace:networking-prod:run_phase:apply" },
  },
  {
    id: "hcp-terraform",
    name: "every workspace of a project",
    values: { organization: "acme", project: "infra" },
    issuer: "https://app.terraform.io",
    match: { subject_prefix: "organization:acme:project:infra:workspace:*" },
  },
  {
    id: "generic",
    name: "issuer and subject as typed",
    values: { issuer_url: "https://idp.example.com/", subject: "team-a:deployer" },
    issuer: "https://idp.example.com/",
    match: { subject_prefix: "team-a:deployer" },
  },
  {
    id: "demo",
    name: "GitHub-shaped subject on this server's demo issuer",
    values: { trigger: "branch", branch: "main" },
    issuer: "http://localhost:3201/demo-issuer",
    match: { subject_prefix: "repo:acme/demo-app:ref:refs/heads/main" },
  },
];

describe("composeMatch", () => {
  it.each(EXAMPLES)("$id: $name", ({ id, values, issuer, match }) => {
    const composed = compose(id, values);
    expect(composed.issuerUrl).toBe(issuer);
    expect(composed.match).toEqual(match);
  });

  it.each(EXAMPLES)("$id ($name): the composed match is a valid rule match and pins the tenant of a shared issuer", ({ id, values }) => {
    const { issuerUrl, match } = compose(id, values);
    expect(ruleMatch.safeParse(match).success).toBe(true);
    expect(pinsTenant(issuerUrl, match)).toBe(true);
    if (match.condition) expect(compileCondition(match.condition).ok).toBe(true);
  });

  it("the GitHub subject admits a token of the named trigger and refuses one of another trigger", () => {
    const { match } = compose("github-actions", { owner: "acme", repository: "api", trigger: "environment", environment: "production", repository_id: "456" });
    const token = { aud: "https://api.anthropic.com", sub: "repo:acme/api:environment:production", repository_id: "456" };
    expect(explainRuleMatch(match, token, { defaultAudience: "https://api.anthropic.com" }).every((c) => c.passed)).toBe(true);
    const push = { ...token, sub: "repo:acme/api:ref:refs/heads/main" };
    expect(explainRuleMatch(match, push, { defaultAudience: "https://api.anthropic.com" }).find((c) => !c.passed)?.reason).toBe("match_subject_prefix");
  });

  it("the Kubernetes UID condition admits the named account's token and refuses a re-created one", () => {
    const uid = "0f8fad5b-d9cb-469f-a165-70867728950e";
    const { match } = compose("kubernetes", { cluster_issuer: "https://k8s.example.com", namespace: "payments", service_account: "api", service_account_uid: uid });
    const claims = (u: string) => ({ aud: "https://api.anthropic.com", sub: "system:serviceaccount:payments:api", "kubernetes.io": { namespace: "payments", serviceaccount: { name: "api", uid: u } } });
    const opts = { defaultAudience: "https://api.anthropic.com" };
    expect(explainRuleMatch(match, claims(uid), opts).every((c) => c.passed)).toBe(true);
    expect(explainRuleMatch(match, claims("11111111-2222-3333-4444-555555555555"), opts).find((c) => !c.passed)?.reason).toBe("match_condition");
  });
});

describe("presets", () => {
  it("lists the eleven providers and the demo issuer last, each once", () => {
    expect(PROVIDERS.map((p) => p.id)).toEqual(["github-actions", "gitlab-ci", "kubernetes", "aws", "google-cloud", "azure", "okta", "circleci", "buildkite", "hcp-terraform", "generic", "demo"]);
    expect(getProvider("nope")).toBeUndefined();
  });

  it("the demo preset's issuer is the demo issuer's own URL", () => {
    expect(getProvider("demo").issuer.url({}, { publicUrl: "https://wif.example.com/" })).toBe(demoIssuerUrl("https://wif.example.com/"));
  });

  it.each(PROVIDERS.map((p) => [p.id, p] as const))("%s: complete descriptors, a forced audience names one of its fields, names are slugs", (_id, preset) => {
    expect(preset.label && preset.description).toBeTruthy();
    expect(preset.pitfalls.length).toBeGreaterThan(0);
    expect(preset.issuer.keyModes.length).toBeGreaterThan(0);
    const all = [...preset.issuer.fields, ...preset.fields];
    expect(new Set(all.map((f) => f.name)).size).toBe(all.length);
    if (preset.audienceField) expect(all.map((f) => f.name)).toContain(preset.audienceField);
    for (const f of all) if (f.pattern) expect(() => new RegExp(f.pattern!)).not.toThrow();
    const example = EXAMPLES.find((e) => e.id === preset.id)!;
    const names = preset.suggestNames(answers(preset.id, example.values));
    for (const n of Object.values(names)) expect(n).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });
});

describe("answerProblems", () => {
  const github = getProvider("github-actions");

  it("accepts a complete answer", () => {
    expect(answerProblems(github.fields, answers("github-actions", { owner: "acme", repository: "api" }))).toEqual([]);
  });

  it.each([
    ["a missing required field", { owner: "", repository: "api" }, "owner", "Owner is required"],
    ["a value failing its pattern", { owner: "acme corp", repository: "api" }, "owner", "GitHub user or organisation name"],
    ["a visible conditional field", { owner: "acme", repository: "api", trigger: "environment", environment: "" }, "environment", "Environment is required"],
    ["an option not offered", { owner: "acme", repository: "api", trigger: "workflow_dispatch" }, "trigger", "must be one of"],
    ["a * inside a branch", { owner: "acme", repository: "api", branch: "rel*ease" }, "branch", "only a final *"],
  ])("refuses %s, on that field", (_name, values, field, message) => {
    const [first] = answerProblems(github.fields, answers("github-actions", values));
    expect(first?.[0]).toBe(field);
    expect(first?.[1]).toContain(message);
  });

  it("does not check fields hidden by the current choice", () => {
    // The branch is hidden for tags, so a bad leftover branch value does not block.
    expect(answerProblems(github.fields, answers("github-actions", { owner: "acme", repository: "api", trigger: "tag", tag: "v*", branch: "bad branch" }))).toEqual([]);
    expect(visibleFields(github.fields, { trigger: "tag" }).map((f) => f.name)).not.toContain("branch");
  });

  it("refuses a field given without the one it requires", () => {
    expect(answerProblems(getProvider("buildkite").fields, { organization: "acme", pipeline: "", branch: "main" })[0]).toEqual(["branch", expect.stringContaining("pipeline slug")]);
  });

  it("issuer fields: GitLab host is a host name, not a URL", () => {
    expect(answerProblems(getProvider("gitlab-ci").issuer.fields, { gitlab_host: "https://gitlab.example.com" })[0]?.[1]).toContain("no https://");
  });
});

describe("snippet inputs", () => {
  it.each([
    ["github-actions", { trigger: "branch", branch: "main" }, { github: { branch: "main" } }],
    ["github-actions", { trigger: "tag", tag: "v1" }, { github: { tag: "v1" } }],
    ["github-actions", { trigger: "environment", environment: "prod" }, { github: { environment: "prod" } }],
    ["github-actions", { trigger: "pull_request" }, { github: { pullRequests: true } }],
    ["gitlab-ci", { ref_type: "tag", ref: "v1" }, { gitlab: { refType: "tag", ref: "v1" } }],
    ["kubernetes", { namespace: "payments", service_account: "api" }, { kubernetes: { namespace: "payments", serviceAccount: "api" } }],
    ["aws", {}, {}],
  ] as const)("%s %j", (id, values, expected) => {
    expect(getProvider(id).snippetInputs(answers(id, values))).toEqual(expected);
  });
});
