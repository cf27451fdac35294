/**
 * The Claude Code tab: its settings.json points Claude Code at this server with the token
 * helper as its key, and its shell lines, run for real by bash against a stub `claude`, hand
 * Claude Code exactly those values, whatever the values contain.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSnippets } from ".";
import { API_KEY_HELPER, claudeCodeSnippet } from "./claude-code";
import { BASE_INPUT, HOSTILE_VALUES, hostileInput } from "./test-fixtures";
import type { SnippetInput } from "./types";

const VARIABLES = ["ANTHROPIC_BASE_URL", "ANTHROPIC_ORGANIZATION_ID", "ANTHROPIC_FEDERATION_RULE_ID", "ANTHROPIC_SERVICE_ACCOUNT_ID", "ANTHROPIC_WORKSPACE_ID", "ANTHROPIC_IDENTITY_TOKEN_FILE", "ANTHROPIC_API_KEY"];

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "wif-claude-code-"));
  fs.mkdirSync(path.join(dir, "bin"));
  // Records its arguments and the variables it was started with, NUL-separated.
  fs.writeFileSync(
    path.join(dir, "bin", "claude"),
    `#!/bin/bash\n{ printf '%s\\0' "$@"; printf '\\1\\0'; for n in ${VARIABLES.join(" ")}; do printf '%s\\0' "\${!n-<unset>}"; done; } > "$STUB_LOG"\n`,
    { mode: 0o755 },
  );
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Run the tab's shell lines in bash (with a leftover API key set) and read what `claude` received. */
function runShell(input: SnippetInput): { args: string[]; env: Record<string, string>; cwd: string } {
  const cwd = fs.mkdtempSync(path.join(dir, "run-"));
  const log = path.join(cwd, "claude.log");
  execFileSync("bash", ["-c", claudeCodeSnippet(input).companion!.code], {
    cwd,
    input: "",
    env: { PATH: `${path.join(dir, "bin")}:${process.env.PATH}`, HOME: cwd, STUB_LOG: log, ANTHROPIC_API_KEY: "sk-ant-api03-leftover", NODE_ENV: "test" },
  });
  const parts = fs.readFileSync(log, "utf8").split("\0").slice(0, -1);
  const split = parts.indexOf("\u0001");
  const values = parts.slice(split + 1);
  return { args: parts.slice(0, split), env: Object.fromEntries(VARIABLES.map((n, i) => [n, values[i]!])), cwd };
}

describe("Claude Code tab", () => {
  it("is one of the code tabs, after cURL", () => {
    const ids = buildSnippets(BASE_INPUT).sdk.map((s) => s.id);
    expect(ids.at(-1)).toBe("claude-code");
    expect(ids.at(-2)).toBe("curl");
  });

  it("settings.json: the token helper as apiKeyHelper, and this server as ANTHROPIC_BASE_URL with the federation variables", () => {
    const snippet = claudeCodeSnippet({ ...BASE_INPUT, provider: "kubernetes" });
    expect(snippet).toMatchObject({ label: "Claude Code", language: "json", filename: ".claude/settings.json" });
    expect(JSON.parse(snippet.code)).toEqual({
      apiKeyHelper: "npx wif token",
      env: {
        ANTHROPIC_BASE_URL: "https://wif.example.com",
        ANTHROPIC_ORGANIZATION_ID: BASE_INPUT.organizationId,
        ANTHROPIC_FEDERATION_RULE_ID: BASE_INPUT.ruleId,
        ANTHROPIC_SERVICE_ACCOUNT_ID: BASE_INPUT.serviceAccountId,
        ANTHROPIC_WORKSPACE_ID: BASE_INPUT.workspaceId,
        ANTHROPIC_IDENTITY_TOKEN_FILE: "/var/run/secrets/anthropic/token",
      },
    });
  });

  it("leaves the workspace out when the rule names none", () => {
    expect(JSON.parse(claudeCodeSnippet({ ...BASE_INPUT, workspaceId: null }).code).env).not.toHaveProperty("ANTHROPIC_WORKSPACE_ID");
  });

  it("apiKeyHelper names the project's own bin entry (npx wif)", () => {
    const pkg = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, "../../package.json"), "utf8")) as { bin: Record<string, string> };
    const [npx, bin, command] = API_KEY_HELPER.split(" ");
    expect(npx).toBe("npx");
    expect(fs.existsSync(path.resolve(import.meta.dirname, "../..", pkg.bin[bin!]!))).toBe(true);
    expect(command).toBe("token");
  });

  it("shell lines: run Claude Code with the same values and the helper, and unset a leftover API key", () => {
    const { args, env } = runShell(BASE_INPUT);
    expect(env).toEqual({
      ANTHROPIC_BASE_URL: "https://wif.example.com",
      ANTHROPIC_ORGANIZATION_ID: BASE_INPUT.organizationId,
      ANTHROPIC_FEDERATION_RULE_ID: BASE_INPUT.ruleId,
      ANTHROPIC_SERVICE_ACCOUNT_ID: BASE_INPUT.serviceAccountId,
      ANTHROPIC_WORKSPACE_ID: BASE_INPUT.workspaceId,
      ANTHROPIC_IDENTITY_TOKEN_FILE: "/tmp/anthropic-identity-token",
      ANTHROPIC_API_KEY: "<unset>",
    });
    expect(args.slice(0, 2)).toEqual(["-p", "Say hello"]);
    expect(JSON.parse(args[args.indexOf("--settings") + 1]!)).toEqual({ apiKeyHelper: "npx wif token" });
  });

  it.each(HOSTILE_VALUES)("$attack: comes out of settings.json and the shell exactly as it went in, and runs nothing", ({ value }) => {
    const input = hostileInput("generic", value);
    const settings = JSON.parse(claudeCodeSnippet(input).code) as { env: Record<string, string> };
    expect(settings.env.ANTHROPIC_FEDERATION_RULE_ID).toBe(value);
    const { env, cwd } = runShell(input);
    expect(env.ANTHROPIC_FEDERATION_RULE_ID).toBe(value);
    expect(env.ANTHROPIC_ORGANIZATION_ID).toBe(value);
    expect(fs.readdirSync(cwd).sort()).toEqual(["claude.log"]);
  });
});
