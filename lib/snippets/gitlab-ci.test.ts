import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { gitlabCiSnippet } from "./gitlab-ci";
import { BASE_ENV, BASE_INPUT, HOSTILE_VALUES, hostileInput } from "./test-fixtures";
import type { SnippetInput } from "./types";

type Variable = string | { value: string; expand: false };
interface Job {
  id_tokens: Record<string, { aud: string }>;
  variables: Record<string, Variable>;
  rules?: Array<{ if: string }>;
  script: string[];
}

const input: SnippetInput = { ...BASE_INPUT, provider: "gitlab-ci", gitlab: { refType: "branch", ref: "main" } };
const jobOf = (i: SnippetInput) => (parse(gitlabCiSnippet(i).code) as { claude: Job }).claude;

/** What a job sees for a variable: GitLab expands `$X`, `${X}` and `%X%` unless the variable is raw. */
function valueOf(variable: Variable): string {
  if (typeof variable !== "string") return variable.value;
  expect(variable, "an expandable variable must not contain $ or %").not.toMatch(/[$%]/);
  return variable;
}
/** GitLab's expansion of a keyword such as id_tokens:aud against the job's variables. */
function expandKeyword(value: string, variables: Record<string, Variable>): string {
  return value.replace(/\$\{(\w+)\}|\$(\w+)|%(\w+)%/g, (_m, a, b, c) => {
    const variable = variables[a ?? b ?? c];
    return variable === undefined ? "" : valueOf(variable);
  });
}

describe("GitLab CI job", () => {
  it("is a .gitlab-ci.yml job that parses", () => {
    const snippet = gitlabCiSnippet(input);
    expect(snippet).toMatchObject({ id: "gitlab-ci", language: "yaml", filename: ".gitlab-ci.yml" });
    expect(jobOf(input)).toBeTypeOf("object");
  });

  it("asks GitLab for an ID token with the rule's audience", () => {
    expect(jobOf(input).id_tokens).toEqual({ ANTHROPIC_ID_TOKEN: { aud: BASE_INPUT.audience } });
  });

  it("sets the federation variables to the rule's IDs exactly", () => {
    expect(jobOf(input).variables).toEqual(BASE_ENV);
  });

  it("writes the token to the file ANTHROPIC_IDENTITY_TOKEN_FILE names, then exchanges it", () => {
    const [exportFile, write, exchange] = jobOf(input).script;
    expect(exportFile).toBe('export ANTHROPIC_IDENTITY_TOKEN_FILE="$(mktemp)"');
    expect(write).toBe(`printf '%s' "$ANTHROPIC_ID_TOKEN" > "$ANTHROPIC_IDENTITY_TOKEN_FILE"`);
    expect(exchange).toContain(`--rawfile assertion "$ANTHROPIC_IDENTITY_TOKEN_FILE"`);
    expect(exchange).toContain(`"$ANTHROPIC_BASE_URL/v1/oauth/token"`);
  });

  it("omits the workspace when the rule has none", () => {
    const job = jobOf({ ...input, workspaceId: null });
    expect(job.variables).not.toHaveProperty("ANTHROPIC_WORKSPACE_ID");
    expect(gitlabCiSnippet({ ...input, workspaceId: null }).code).not.toMatch(/workspace/i);
  });

  it.each([
    { gitlab: { refType: "branch" as const, ref: "main" }, rules: [{ if: '$CI_COMMIT_BRANCH == "main"' }] },
    { gitlab: { refType: "tag" as const, ref: "v1.2.0" }, rules: [{ if: '$CI_COMMIT_TAG == "v1.2.0"' }] },
    { gitlab: { refType: "branch" as const, ref: 'a"b' }, rules: undefined },
    { gitlab: undefined, rules: undefined },
  ])("runs only on the rule's ref when it can be quoted: $gitlab", ({ gitlab, rules }) => {
    expect(jobOf({ ...input, gitlab }).rules).toEqual(rules);
  });
});

describe.each(HOSTILE_VALUES)("a value with $attack cannot break out", ({ value }) => {
  it("reaches the job exactly and expands nothing", () => {
    const job = jobOf(hostileInput("gitlab-ci", value));
    for (const name of ["ANTHROPIC_BASE_URL", "ANTHROPIC_ORGANIZATION_ID", "ANTHROPIC_FEDERATION_RULE_ID", "ANTHROPIC_SERVICE_ACCOUNT_ID", "ANTHROPIC_WORKSPACE_ID"]) {
      expect(valueOf(job.variables[name]!)).toBe(value);
    }
    expect(expandKeyword(job.id_tokens.ANTHROPIC_ID_TOKEN!.aud, job.variables)).toBe(value);
    expect(job.rules).toBeUndefined();
    for (const line of job.script) expect(line).not.toContain(value);
  });
});

it("runs on a supported Alpine release (3.20 reached its end of life in April 2026)", () => {
  const job = (parse(gitlabCiSnippet(BASE_INPUT).code) as { claude: { image: string } }).claude;
  const [major, minor] = job.image.replace("alpine:", "").split(".").map(Number);
  expect(major === 3 && minor! >= 22).toBe(true);
});
