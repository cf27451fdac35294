/**
 * The generated snippets work: against a real server, with a rule set up through the Admin
 * API, the cURL sample, the TypeScript sample, the GitHub Actions curl workflow (with a stand-in
 * for the runner's token endpoint) and the GitLab job each exchange a signed identity token and
 * call the API. Each runs in its own process with only the environment the snippets set.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { startTestServer, type TestServer } from "../../e2e/support/test-server";
import { buildSnippets } from "./index";
import type { SnippetInput, SnippetSet } from "./types";

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "../..");
const ISSUER = "https://ci.wif.test";
const SUBJECT = "repo:acme/app:ref:refs/heads/main";
/** Characters a shell, a URL and YAML would each misread if a snippet got its quoting wrong. */
const AUDIENCE = "https://wif.example.test/aud?team=a b&x='y' \"z\"";

describe("generated snippets against a real server", () => {
  let server: TestServer;
  let dir: string;
  let privateKey: CryptoKey;
  let input: SnippetInput;
  const ids: Record<string, string> = {};

  const sign = (aud: string) => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ iss: ISSUER, sub: SUBJECT, aud, iat: now, exp: now + 300, jti: crypto.randomUUID() })
      .setProtectedHeader({ alg: "ES256", kid: "ci-1" })
      .sign(privateKey);
  };
  const snippets = (provider: SnippetInput["provider"]): SnippetSet => buildSnippets({ ...input, provider });
  const write = (name: string, content: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, content);
    return file;
  };
  /** A clean environment, as in a CI job: a leftover ANTHROPIC_API_KEY would win over federation. */
  const cleanEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({ PATH: process.env.PATH ?? "", HOME: dir, NODE_ENV: "test", ...extra });
  const grantedExchanges = async () =>
    (await server.runtime.store.db.selectFrom("auth_events").selectAll().where("federation_rule_id", "=", ids.rule!).where("outcome", "=", "granted").execute()).length;

  beforeAll(async () => {
    server = await startTestServer("sqlite", { WIF_ALLOW_INSECURE_ISSUERS: "1" });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "wif-snippet-run-"));
    const pair = await generateKeyPair("ES256", { extractable: true });
    privateKey = pair.privateKey;
    const post = async (p: string, body: unknown) => {
      const res = await fetch(`${server.url}/v1/organizations${p}`, {
        method: "POST",
        headers: { "x-api-key": server.adminKey, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      expect(res.status, `${p}: ${await res.clone().text()}`).toBe(200);
      return (await res.json()) as { id: string };
    };
    const issuer = await post("/federation_issuers", { name: "ci", issuer_url: ISSUER, jwks: { type: "inline", keys: [{ ...(await exportJWK(pair.publicKey)), kid: "ci-1", alg: "ES256" }] } });
    ids.sa = (await post("/service_accounts", { name: "snippets" })).id;
    ids.ws = (await post("/workspaces", { name: "Snippets" })).id;
    await post(`/service_accounts/${ids.sa}/workspaces`, { workspace_id: ids.ws, workspace_role: "workspace_developer" });
    ids.rule = (
      await post("/federation_rules", {
        name: "snippets",
        issuer_id: issuer.id,
        match: { subject_prefix: SUBJECT, audience: AUDIENCE },
        target: { type: "service_account", service_account_id: ids.sa },
        oauth_scope: "workspace:developer",
        workspace_id: ids.ws,
      })
    ).id;
    input = {
      provider: "generic",
      baseUrl: `${server.url}/`,
      organizationId: server.organizationId,
      serviceAccountId: ids.sa,
      ruleId: ids.rule,
      workspaceId: ids.ws,
      audience: AUDIENCE,
      github: { branch: "main" },
      gitlab: { refType: "branch", ref: "main" },
    };
  });
  afterAll(async () => {
    await server?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("cURL: with the environment block sourced, exchanges the token and calls the API", async () => {
    const { env, sdk } = snippets("generic");
    const before = await grantedExchanges();
    const { stdout } = await run(
      "bash",
      ["-c", 'set -a; . "$1"; set +a; export ANTHROPIC_IDENTITY_TOKEN_FILE="$2"; exec bash "$3"', "_", write("anthropic.env", env.code), write("jwt", `${await sign(AUDIENCE)}\n`), write("curl.sh", sdk.find((s) => s.id === "curl")!.code)],
      { cwd: dir, env: cleanEnv() },
    );
    expect(JSON.parse(stdout)).toMatchObject({ id: server.organizationId });
    expect(await grantedExchanges()).toBe(before + 1);
  });

  it("TypeScript: the official SDK, configured by the environment block alone, calls the API", async () => {
    const { env, sdk } = snippets("generic");
    const before = await grantedExchanges();
    const { stdout } = await run(
      "bash",
      ["-c", 'set -a; . "$1"; set +a; export ANTHROPIC_IDENTITY_TOKEN_FILE="$2"; exec node --input-type=module < "$3"', "_", write("anthropic.env", env.code), write("jwt", await sign(AUDIENCE)), write("sample.mjs", sdk.find((s) => s.id === "typescript")!.code)],
      { cwd: ROOT, env: cleanEnv() },
    );
    expect(stdout).toContain(`id: ${server.organizationId}`);
    expect(await grantedExchanges()).toBe(before + 1);
  });

  it("GitHub Actions (curl): the workflow's steps fetch a token for the rule's audience and call the API", async () => {
    // Stands in for the runner's OIDC endpoint: signs a token for whatever audience is asked.
    const requested: string[] = [];
    const runnerSecret = "runner-request-token";
    const oidc = http.createServer(async (req, res) => {
      const url = new URL(req.url!, "http://runner");
      if (req.headers.authorization !== `bearer ${runnerSecret}` || !url.searchParams.has("audience")) return void res.writeHead(401).end();
      requested.push(url.searchParams.get("audience")!);
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ value: await sign(url.searchParams.get("audience")!) }));
    });
    await new Promise<void>((resolve) => oidc.listen(0, "127.0.0.1", resolve));
    try {
      const workflow = parse(snippets("github-actions").files.find((f) => f.id === "github-actions-curl")!.code) as {
        jobs: { claude: { env: Record<string, string>; steps: Array<{ run?: string }> } };
      };
      const githubEnv = write("github_env", "");
      const runnerTemp = fs.mkdtempSync(path.join(dir, "runner-temp-"));
      const before = await grantedExchanges();
      let stdout = "";
      for (const step of workflow.jobs.claude.steps) {
        const exported = Object.fromEntries(
          fs.readFileSync(githubEnv, "utf8").split("\n").filter(Boolean).map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
        );
        // GitHub's default shell for run steps.
        ({ stdout } = await run("bash", ["--noprofile", "--norc", "-eo", "pipefail", write("step.sh", step.run!)], {
          cwd: dir,
          env: cleanEnv({
            ...workflow.jobs.claude.env,
            ...exported,
            RUNNER_TEMP: runnerTemp,
            GITHUB_ENV: githubEnv,
            ACTIONS_ID_TOKEN_REQUEST_URL: `http://127.0.0.1:${(oidc.address() as AddressInfo).port}/token?api-version=2.0`,
            ACTIONS_ID_TOKEN_REQUEST_TOKEN: runnerSecret,
          }),
        }));
      }
      expect(requested).toEqual([AUDIENCE]);
      expect(JSON.parse(stdout)).toMatchObject({ id: server.organizationId });
      expect(await grantedExchanges()).toBe(before + 1);
    } finally {
      await new Promise((resolve) => oidc.close(resolve));
    }
  });

  it("GitLab CI: the job's script exchanges the ID token GitLab signs for its aud and calls the API", async () => {
    const job = (parse(snippets("gitlab-ci").files[0]!.code) as {
      claude: { id_tokens: { ANTHROPIC_ID_TOKEN: { aud: string } }; variables: Record<string, string>; script: string[] };
    }).claude;
    const before = await grantedExchanges();
    // The runner runs every script line in one shell session.
    const { stdout } = await run("bash", ["-eo", "pipefail", write("gitlab.sh", job.script.join("\n"))], {
      cwd: dir,
      env: cleanEnv({ ...job.variables, ANTHROPIC_ID_TOKEN: await sign(job.id_tokens.ANTHROPIC_ID_TOKEN.aud), TMPDIR: dir }),
    });
    expect(JSON.parse(stdout)).toMatchObject({ id: server.organizationId });
    expect(await grantedExchanges()).toBe(before + 1);
  });
});
