import { execFileSync, spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { sdkSnippets } from "./sdk";
import { BASE_INPUT, HOSTILE_VALUES, hostileInput } from "./test-fixtures";

const ROOT = path.resolve(import.meta.dirname, "../..");
const byId = (id: string, input = BASE_INPUT) => sdkSnippets(input).find((s) => s.id === id)!;

describe("SDK samples", () => {
  it("cover every official SDK, the CLI and cURL, in that order", () => {
    expect(sdkSnippets(BASE_INPUT).map((s) => [s.id, s.label, s.language])).toEqual([
      ["python", "Python", "python"],
      ["typescript", "TypeScript", "typescript"],
      ["go", "Go", "go"],
      ["java", "Java", "java"],
      ["csharp", "C#", "csharp"],
      ["ruby", "Ruby", "ruby"],
      ["php", "PHP", "php"],
      ["cli", "CLI", "bash"],
      ["curl", "cURL", "bash"],
    ]);
  });

  it.each([
    ["python", "client.beta.organization.retrieve()"],
    ["typescript", "await client.beta.organization.retrieve()"],
    ["go", "client.Beta.Organization.Get(context.Background())"],
    ["java", "client.beta().organization().retrieve()"],
    ["csharp", "await client.Beta.Organization.Retrieve()"],
    ["ruby", "client.beta.organization.retrieve"],
    ["php", "$client->beta->organization->retrieve()"],
    ["cli", "ant beta:organization retrieve"],
  ])("%s: builds a default client and retrieves the organization", (id, call) => {
    expect(byId(id).code).toContain(call);
  });

  it.each(["python", "typescript", "go", "java", "csharp", "ruby", "php", "cli"])("%s: refuses a leftover API key or auth token, which would win over federation", (id) => {
    const { code } = byId(id);
    expect(code).toContain("ANTHROPIC_API_KEY");
    expect(code).toContain("ANTHROPIC_AUTH_TOKEN");
  });

  it("python: is valid Python", () => {
    execFileSync("python3", ["-c", "import ast, sys; ast.parse(sys.stdin.read())"], { input: byId("python").code });
  });

  it("typescript: stops before any request when ANTHROPIC_API_KEY is set, even empty", () => {
    const result = spawnSync(process.execPath, ["--input-type=module"], {
      cwd: ROOT,
      input: byId("typescript").code,
      env: { PATH: process.env.PATH, HOME: ROOT, NODE_ENV: "test", ANTHROPIC_API_KEY: "" },
      encoding: "utf8",
    });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain("Unset ANTHROPIC_API_KEY: it wins over workload identity federation");
  });

  it("curl: is valid bash and sends workspace_id only when the rule has a workspace", () => {
    for (const workspaceId of [BASE_INPUT.workspaceId, null]) {
      const { code } = byId("curl", { ...BASE_INPUT, workspaceId });
      execFileSync("bash", ["-n"], { input: code, env: { PATH: process.env.PATH, HOME: ROOT, NODE_ENV: "test" } });
      expect(code.includes("$workspace_id")).toBe(Boolean(workspaceId));
      expect(code.includes("ANTHROPIC_WORKSPACE_ID")).toBe(Boolean(workspaceId));
    }
  });

  // The samples read everything from the environment, so no value can reach their text.
  it.each(HOSTILE_VALUES)("hold no input value, so a value with $attack has nothing to break", ({ value }) => {
    for (const snippet of sdkSnippets(hostileInput("generic", value))) expect(snippet.code).not.toContain(value);
    for (const snippet of sdkSnippets(BASE_INPUT)) {
      for (const id of [BASE_INPUT.organizationId, BASE_INPUT.ruleId, BASE_INPUT.serviceAccountId, BASE_INPUT.workspaceId!, BASE_INPUT.audience]) {
        expect(snippet.code).not.toContain(id);
      }
    }
  });
});
