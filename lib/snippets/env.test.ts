/**
 * The shell-family snippets, run for real: the env block is sourced by bash, and each
 * provider's token note runs against stub CLIs that record exactly what they were given.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { envSnippet } from "./env";
import { BASE_ENV, BASE_INPUT, HOSTILE_VALUES, hostileInput } from "./test-fixtures";
import { tokenNoteSnippet, type NoteProvider } from "./token-notes";
import type { SnippetInput } from "./types";

const VARIABLES = ["ANTHROPIC_BASE_URL", "ANTHROPIC_ORGANIZATION_ID", "ANTHROPIC_FEDERATION_RULE_ID", "ANTHROPIC_SERVICE_ACCOUNT_ID", "ANTHROPIC_WORKSPACE_ID", "ANTHROPIC_IDENTITY_TOKEN_FILE"];
const STUBS = ["aws", "buildkite-agent", "circleci", "curl", "your-idp-token-command"];

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "wif-snippets-"));
  fs.mkdirSync(path.join(dir, "bin"));
  for (const name of STUBS) {
    // Records its name and arguments NUL-separated, prints what the test asks for.
    fs.writeFileSync(path.join(dir, "bin", name), `#!/bin/bash\nprintf '%s\\0' "$(basename "$0")" "$@" > "$STUB_LOG"\nprintf '%s' "$STUB_OUTPUT"\n`, { mode: 0o755 });
  }
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A fresh working directory per run, so a stray PWNED file shows up. */
function workdir(): string {
  return fs.mkdtempSync(path.join(dir, "run-"));
}

/** Source the env block in bash and read back each variable (`<unset>` when absent). */
function sourceEnv(input: SnippetInput): { values: Record<string, string>; cwd: string } {
  const cwd = workdir();
  const file = path.join(cwd, "anthropic.env");
  fs.writeFileSync(file, envSnippet(input).code);
  const out = execFileSync("bash", ["-c", `set -a; . "$1"; set +a; for n in ${VARIABLES.join(" ")}; do printf '%s\\0' "\${!n-<unset>}"; done`, "_", file], {
    cwd,
    input: "",
    // HOME away from the user's: bash sources ~/.bashrc when its stdin is a socket, as node's pipes are.
    env: { PATH: process.env.PATH, HOME: cwd, NODE_ENV: "test" },
    encoding: "utf8",
  });
  const values = out.split("\0").slice(0, -1);
  return { values: Object.fromEntries(VARIABLES.map((n, i) => [n, values[i]!])), cwd };
}

describe("environment block", () => {
  it("sets the federation variables to the rule's IDs exactly when sourced", () => {
    const { values } = sourceEnv({ ...BASE_INPUT, provider: "github-actions" });
    expect(values).toEqual({
      ...BASE_ENV,
      ANTHROPIC_IDENTITY_TOKEN_FILE: "/tmp/anthropic-identity-token",
    });
  });

  it("points the token file at the projected token for Kubernetes", () => {
    expect(sourceEnv({ ...BASE_INPUT, provider: "kubernetes" }).values.ANTHROPIC_IDENTITY_TOKEN_FILE).toBe("/var/run/secrets/anthropic/token");
  });

  it("omits the workspace when the rule has none", () => {
    const snippet = envSnippet({ ...BASE_INPUT, workspaceId: null });
    expect(snippet.code).not.toContain("ANTHROPIC_WORKSPACE_ID");
    expect(sourceEnv({ ...BASE_INPUT, workspaceId: null }).values.ANTHROPIC_WORKSPACE_ID).toBe("<unset>");
  });

  it("sets neither variable that would override federation", () => {
    expect(envSnippet(BASE_INPUT).code).not.toMatch(/^(ANTHROPIC_API_KEY|ANTHROPIC_AUTH_TOKEN)=/m);
  });

  it.each(HOSTILE_VALUES)("keeps a value with $attack literal", ({ value }) => {
    const { values, cwd } = sourceEnv(hostileInput("generic", value));
    for (const name of VARIABLES.slice(0, 5)) expect(values[name]).toBe(value);
    expect(fs.readdirSync(cwd)).toEqual(["anthropic.env"]);
  });
});

interface NoteRun {
  argv: string[];
  token: string;
  cwd: string;
}

/** Run a provider's note with the stubs first on PATH and the token file in a fresh directory. */
function runNote(provider: NoteProvider, audience: string, env: Record<string, string> = {}, stdin?: string): NoteRun {
  const cwd = workdir();
  const log = path.join(cwd, "stub.log");
  const tokenFile = path.join(cwd, "token");
  const code = tokenNoteSnippet(provider, { ...BASE_INPUT, provider, audience }).code;
  execFileSync("bash", ["-euo", "pipefail", "-c", code], {
    cwd,
    input: stdin ?? "",
    env: { PATH: `${path.join(dir, "bin")}:${process.env.PATH}`, HOME: cwd, NODE_ENV: "test", STUB_LOG: log, STUB_OUTPUT: "stub-token", ANTHROPIC_IDENTITY_TOKEN_FILE: tokenFile, ...env },
  });
  const argv = fs.existsSync(log) ? fs.readFileSync(log, "utf8").split("\0").slice(0, -1) : [];
  fs.rmSync(log, { force: true });
  const token = fs.readFileSync(tokenFile, "utf8");
  fs.rmSync(tokenFile);
  return { argv, token, cwd };
}

const after = (argv: string[], flag: string) => argv[argv.indexOf(flag) + 1];
const urlParam = (argv: string[], name: string) => new URL(argv.find((a) => a.startsWith("http"))!).searchParams.get(name);
const IMDS_JSON = { STUB_OUTPUT: JSON.stringify({ access_token: "stub-token" }) };

const NOTE_CASES: Array<{ provider: NoteProvider; env?: Record<string, string>; stdin?: string; requested: (run: NoteRun) => string | null | undefined; command: string }> = [
  { provider: "aws", command: "aws", requested: ({ argv }) => after(argv, "--audience") },
  { provider: "google-cloud", command: "curl", requested: ({ argv }) => urlParam(argv, "audience") },
  { provider: "azure", command: "curl", env: IMDS_JSON, requested: ({ argv }) => urlParam(argv, "resource") },
  { provider: "circleci", command: "circleci", requested: ({ argv }) => (JSON.parse(after(argv, "--claims")!) as { aud: string }).aud },
  { provider: "buildkite", command: "buildkite-agent", requested: ({ argv }) => after(argv, "--audience") },
  { provider: "generic", command: "your-idp-token-command", requested: ({ argv }) => after(argv, "--audience") },
];

describe("identity token notes", () => {
  it.each(NOTE_CASES)("$provider: requests a token for the rule's audience and writes it to the token file", ({ provider, env, command, requested }) => {
    const run = runNote(provider, BASE_INPUT.audience, env);
    expect(run.argv[0]).toBe(command);
    expect(requested(run)).toBe(BASE_INPUT.audience);
    expect(run.token.trim()).toBe("stub-token");
  });

  it("okta: takes the token from the client-credentials grant; the audience is set on the server", () => {
    const run = runNote("okta", BASE_INPUT.audience, { ...IMDS_JSON, OKTA_CLIENT_ID: "id", OKTA_CLIENT_SECRET: "s", OKTA_DOMAIN: "acme.okta.com", OKTA_AUTHORIZATION_SERVER_ID: "aus1", OKTA_SCOPE: "claude" });
    expect(run.argv).toContain("https://acme.okta.com/oauth2/aus1/v1/token");
    expect(run.token.trim()).toBe("stub-token");
    expect(tokenNoteSnippet("okta", BASE_INPUT).description).toContain(BASE_INPUT.audience);
  });

  it("hcp-terraform: saves the injected token", () => {
    expect(runNote("hcp-terraform", BASE_INPUT.audience, { TFC_WORKLOAD_IDENTITY_TOKEN: "tfc-token" }).token).toBe("tfc-token");
    expect(tokenNoteSnippet("hcp-terraform", BASE_INPUT).description).toContain(`TFC_WORKLOAD_IDENTITY_AUDIENCE to ${BASE_INPUT.audience}`);
  });

  it("demo: saves the pasted token", () => {
    expect(runNote("demo", BASE_INPUT.audience, {}, "pasted-token").token).toBe("pasted-token");
  });

  describe.each(HOSTILE_VALUES)("an audience with $attack", ({ value }) => {
    it.each(NOTE_CASES)("$provider: reaches the provider exactly and runs nothing else", ({ provider, env, requested }) => {
      const run = runNote(provider, value, env);
      expect(requested(run)).toBe(value);
      expect(fs.readdirSync(run.cwd)).toEqual([]);
    });
  });
});
