import { validateWorkflow } from "@action-validator/core";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { percentEncode } from "./escape";
import { githubActionsSnippets, WORKFLOW_FILENAME } from "./github-actions";
import { BASE_ENV, BASE_INPUT, HOSTILE_VALUES, hostileInput } from "./test-fixtures";
import type { Snippet, SnippetInput } from "./types";

interface Step {
  name?: string;
  run?: string;
  uses?: string;
  env?: Record<string, string>;
  with?: Record<string, string | number>;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: { claude: { environment?: string; env: Record<string, string>; steps: Step[] } };
}

const input: SnippetInput = { ...BASE_INPUT, provider: "github-actions", github: { branch: "main" } };
const byId = (snippets: Snippet[], id: string) => snippets.find((s) => s.id === id)!;
const curlOf = (i: SnippetInput) => byId(githubActionsSnippets(i), "github-actions-curl");
const scriptOf = (i: SnippetInput) => byId(githubActionsSnippets(i), "github-actions-script");
const workflowOf = (snippet: Snippet) => parse(snippet.code) as Workflow;

/** Every `${{ … }}` GitHub would evaluate, in every string of the document. */
function expressions(value: unknown): string[] {
  if (typeof value === "string") return value.match(/\$\{\{.*?\}\}/gs) ?? [];
  if (Array.isArray(value)) return value.flatMap(expressions);
  if (value && typeof value === "object") return Object.values(value).flatMap(expressions);
  return [];
}
/** What GitHub makes of a value: the only expression we emit is the literal `'${{'`. */
const evaluate = (value: string) => value.replaceAll("${{ '${{' }}", "${{");

/** The audience the curl step asks the runner for, as the runner's HTTP server decodes it. */
function requestedAudience(run: string): string {
  const match = run.match(/&audience=([^"]*)"/);
  expect(match, run).not.toBeNull();
  expect(match![1]).toMatch(/^[A-Za-z0-9%._~-]*$/);
  return decodeURIComponent(match![1]!);
}

describe.each([
  ["github-actions-curl", curlOf],
  ["github-actions-script", scriptOf],
] as const)("%s", (_id, build) => {
  it("is a valid workflow with zero action-validator errors", () => {
    const snippet = build(input);
    expect(snippet).toMatchObject({ language: "yaml", filename: WORKFLOW_FILENAME });
    expect(validateWorkflow(snippet.code).errors).toEqual([]);
  });

  it("may request an OIDC token and read the repository, nothing more", () => {
    expect(workflowOf(build(input)).permissions).toEqual({ "id-token": "write", contents: "read" });
  });

  it("sets the federation variables to the rule's IDs exactly", () => {
    expect(workflowOf(build(input)).jobs.claude.env).toEqual(BASE_ENV);
  });

  it("omits the workspace when the rule has none", () => {
    const snippet = build({ ...input, workspaceId: null });
    expect(workflowOf(snippet).jobs.claude.env).not.toHaveProperty("ANTHROPIC_WORKSPACE_ID");
    expect(snippet.code).not.toMatch(/workspace/i);
  });

  it("writes the token to a file and points ANTHROPIC_IDENTITY_TOKEN_FILE at it for the later steps", () => {
    const [fetch] = workflowOf(build(input)).jobs.claude.steps;
    const code = fetch!.run ?? String(fetch!.with?.script);
    expect(code).toMatch(/RUNNER_TEMP/);
    expect(code).toMatch(/ANTHROPIC_IDENTITY_TOKEN_FILE/);
    expect(code).toMatch(fetch!.run ? /> "\$token_file"[\s\S]*>> "\$GITHUB_ENV"/ : /writeFileSync[\s\S]*exportVariable/);
  });
});

describe("the token request", () => {
  it("curl: sends the audience URL-encoded on ACTIONS_ID_TOKEN_REQUEST_URL", () => {
    const [fetch] = workflowOf(curlOf(input)).jobs.claude.steps;
    expect(fetch!.run).toContain(`"$ACTIONS_ID_TOKEN_REQUEST_URL&audience=https%3A%2F%2Fapi.anthropic.com"`);
    expect(fetch!.run).toContain(`Authorization: bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN`);
  });

  it("github-script: passes the audience to core.getIDToken", () => {
    const [fetch] = workflowOf(scriptOf(input)).jobs.claude.steps;
    expect(fetch!.uses).toMatch(/^actions\/github-script@v\d+$/);
    expect(fetch!.env).toEqual({ OIDC_AUDIENCE: BASE_INPUT.audience });
    expect(fetch!.with!.script).toContain("core.getIDToken(process.env.OIDC_AUDIENCE)");
  });
});

describe("the last step calls the API", () => {
  it("curl: exchanges at /v1/oauth/token and calls /v1/organizations/me", () => {
    const steps = workflowOf(curlOf(input)).jobs.claude.steps;
    const run = steps.at(-1)!.run!;
    expect(run).toContain("urn:ietf:params:oauth:grant-type:jwt-bearer");
    expect(run).toContain(`"$ANTHROPIC_BASE_URL/v1/oauth/token"`);
    expect(run).toContain(`"$ANTHROPIC_BASE_URL/v1/organizations/me"`);
  });

  it("github-script: runs the TypeScript SDK sample", () => {
    const run = workflowOf(scriptOf(input)).jobs.claude.steps.at(-1)!.run!;
    expect(run).toContain("npm install --no-save --no-package-lock @anthropic-ai/sdk");
    expect(run).toContain("await client.beta.organization.retrieve()");
  });
});

describe("triggers follow the rule's subject", () => {
  const cases: Array<{ name: string; github: SnippetInput["github"]; on: Record<string, unknown>; environment?: string }> = [
    { name: "push to a branch", github: { branch: "main" }, on: { push: { branches: ["main"] } } },
    { name: "push of a tag", github: { tag: "v1.2.0" }, on: { push: { tags: ["v1.2.0"] } } },
    { name: "a deployment environment", github: { environment: "production" }, on: { workflow_dispatch: {} }, environment: "production" },
    { name: "pull requests", github: { pullRequests: true }, on: { pull_request: {} } },
    { name: "no trigger named", github: undefined, on: { workflow_dispatch: {} } },
    { name: "glob characters are literal", github: { branch: "release/*+[x]!" }, on: { push: { branches: ["release/\\*\\+\\[x\\]\\!"] } } },
  ];
  it.each(cases)("$name", ({ github, on, environment }) => {
    for (const snippet of githubActionsSnippets({ ...input, github })) {
      const workflow = workflowOf(snippet);
      expect(workflow.on).toEqual(on);
      expect(workflow.jobs.claude.environment).toBe(environment);
      expect(validateWorkflow(snippet.code).errors).toEqual([]);
    }
  });
});

describe.each(HOSTILE_VALUES)("a value with $attack cannot break out", ({ value }) => {
  const hostile = hostileInput("github-actions", value);

  it.each([
    ["curl", curlOf],
    ["github-script", scriptOf],
  ] as const)("%s workflow", (_variant, build) => {
    const snippet = build(hostile);
    expect(validateWorkflow(snippet.code).errors).toEqual([]);
    const workflow = workflowOf(snippet);
    // In the job GitHub evaluates no expression but the one that writes a literal `${{`
    // (`on:` takes no expressions; its filters are globs, escaped instead).
    for (const expression of expressions(workflow.jobs)) expect(expression).toBe("${{ '${{' }}");
    const push = workflow.on.push as { branches: string[]; tags: string[] };
    for (const filter of [push.branches[0]!, push.tags[0]!]) expect(filter.replace(/\\(.)/gs, "$1")).toBe(value);
    for (const name of ["ANTHROPIC_BASE_URL", "ANTHROPIC_ORGANIZATION_ID", "ANTHROPIC_FEDERATION_RULE_ID", "ANTHROPIC_SERVICE_ACCOUNT_ID", "ANTHROPIC_WORKSPACE_ID"]) {
      expect(evaluate(workflow.jobs.claude.env[name]!)).toBe(value);
    }
    expect(evaluate(workflow.jobs.claude.environment!)).toBe(value);
    const [fetch] = workflow.jobs.claude.steps;
    if (fetch!.run) expect(requestedAudience(fetch!.run)).toBe(value);
    else expect(evaluate(fetch!.env!.OIDC_AUDIENCE!)).toBe(value);
    // Values reach the shell only through the environment, never as script text.
    for (const step of workflow.jobs.claude.steps) if (step.run) expect(step.run).not.toContain(value);
  });
});

describe("percentEncode", () => {
  it("leaves only unreserved characters and escapes", () => {
    expect(percentEncode(`a b'()*!$\`"\\`)).toBe("a%20b%27%28%29%2A%21%24%60%22%5C");
  });
});

describe("what the workflows are pasted into", () => {
  // Older majors run on deprecated Node runtimes on GitHub's runners.
  it.each([
    ["github-actions-script", "actions/github-script@v8"],
    ["github-actions-script", "actions/setup-node@v6"],
  ])("%s uses %s", (id, action) => {
    const uses = workflowOf(byId(githubActionsSnippets(input), id)).jobs.claude.steps.map((s) => s.uses).filter(Boolean);
    expect(uses).toContain(action);
  });

  it("the curl steps stop the job when a request fails or returns no token", () => {
    const [fetch, exchange] = workflowOf(curlOf(input)).jobs.claude.steps;
    for (const run of [fetch!.run!, exchange!.run!]) expect(run.startsWith("set -euo pipefail\n")).toBe(true);
    // jq -e exits non-zero on null, so a failed reply never becomes the literal "null".
    expect(fetch!.run).toContain("jq -er .value");
    expect(fetch!.run).toMatch(/test -s "\$token_file" \|\| \{/);
    expect(exchange!.run).toContain("jq -er .access_token");
  });
});
