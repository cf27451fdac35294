/**
 * `wif config` run as a real subprocess (`npx wif` → scripts/wif.mjs) against a real server:
 * export, a dry run that finds changes (exit 3) and changes nothing, an apply with --yes, a
 * second dry run that finds none (exit 0), and a bad file refused with its path (exit 1).
 * The Admin API routes behind it are checked directly too (formats, auth, dry_run).
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import YAML from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAdminClientConfig } from "../config";
import { startTestServer, type TestServer } from "../../e2e/support/test-server";
import { ruleInput } from "../../e2e/support/rule-input";

const run = promisify(execFile);
const WIF = path.resolve(import.meta.dirname, "../../scripts/wif.mjs");

// Each run starts a Node process with tsx: seconds apiece on a shared machine.
describe("wif config against a running server", { timeout: 180_000 }, () => {
  let server: TestServer;
  let dir: string;

  /** `wif config …` with the server's URL and admin key in the environment: exit code, stdout, stderr. */
  const wif = async (args: string[], env: Record<string, string> = {}) => {
    try {
      const { stdout, stderr } = await run(process.execPath, [WIF, "config", ...args], {
        env: { PATH: process.env.PATH!, HOME: dir, NODE_ENV: "test", WIF_URL: server.url, WIF_API_KEY: server.adminKey, ...env },
        cwd: dir,
      });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };

  beforeAll(async () => {
    server = await startTestServer("sqlite");
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "wif-config-"));
    const issuer = await server.admin("POST", "/federation_issuers", { name: "github", issuer_url: "https://token.actions.githubusercontent.com" });
    const sa = await server.admin("POST", "/service_accounts", { name: "deployer" });
    await server.admin("POST", "/federation_rules", ruleInput("deploy-main", issuer.id, sa.id, "repo:acme/api:ref:refs/heads/main"));
  });
  afterAll(async () => {
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("export → edit → apply --dry-run (exit 3, nothing changed) → apply --yes → dry run again (exit 0)", async () => {
    const exported = await wif(["export"]);
    expect(exported.code).toBe(0);
    const doc = YAML.parse(exported.stdout) as { rules: Array<Record<string, any>>; service_accounts: Array<Record<string, unknown>> };
    expect(doc.rules[0]).toMatchObject({ name: "deploy-main", issuer: "github", service_account: "deployer", workspaces: ["default"] });

    doc.rules[0]!.match.subject_prefix = "repo:acme/web:ref:refs/heads/main";
    doc.service_accounts.push({ name: "reporter", organization_role: "developer", workspaces: {} });
    const file = path.join(dir, "wif.yaml");
    fs.writeFileSync(file, YAML.stringify(doc));

    const dry = await wif(["apply", file, "--dry-run"]);
    expect(dry.code).toBe(3);
    expect(dry.stdout).toBe(
      [
        "+ create service account reporter",
        '    organization_role: "developer"',
        "    workspaces: {}",
        "~ update federation rule deploy-main",
        '    match.subject_prefix: "repo:acme/api:ref:refs/heads/main" -> "repo:acme/web:ref:refs/heads/main"',
        "",
        "Plan: 1 to create, 1 to update, 0 to archive.",
        "",
      ].join("\n"),
    );
    expect(dry.stderr).toMatch(/Nothing was changed \(dry run\)\. Run again with --yes/);
    expect((await wif(["export"])).stdout).toBe(exported.stdout);

    const applied = await wif(["apply", file, "--yes"]);
    expect(applied).toMatchObject({ code: 0, stderr: expect.stringMatching(/Applied 2 changes in one transaction/) });
    expect(YAML.parse((await wif(["export"])).stdout)).toEqual(doc);

    const again = await wif(["apply", file, "--dry-run"]);
    expect(again).toMatchObject({ code: 0, stdout: "No changes: the organization already matches the file.\n" });
  });

  it("refuses a bad file with its path (exit 1), a missing key, a wrong key, and bad usage (exit 2)", async () => {
    const file = path.join(dir, "bad.yaml");
    const doc = YAML.parse((await wif(["export"])).stdout) as { rules: Array<Record<string, any>> };
    doc.rules[0]!.match.subject_prefix = "*";
    fs.writeFileSync(file, YAML.stringify(doc));
    const bad = await wif(["apply", file, "--yes"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^wif config apply: 400: rules\[0\]\.match\.subject_prefix: a bare \* is not a valid matcher.*\(request-id req_/);

    expect(await wif(["export"], { WIF_API_KEY: "" })).toMatchObject({ code: 1, stderr: expect.stringMatching(/WIF_API_KEY \(--api-key\) is required/) });
    expect(await wif(["export", "--api-key", "sk-ant-admin01-wrong"])).toMatchObject({ code: 1, stderr: expect.stringMatching(/401: Invalid API key/) });
    expect(await wif(["apply"])).toMatchObject({ code: 2, stderr: expect.stringMatching(/apply needs the FILE/) });
    expect(await wif(["apply", file, "--yes", "--dry-run"])).toMatchObject({ code: 2 });
    expect(await wif(["apply", path.join(dir, "missing.yaml")])).toMatchObject({ code: 1, stderr: expect.stringMatching(/cannot read .*ENOENT/) });
  });

  it("GET /v1/organizations/config answers JSON or YAML; POST plans with dry_run and needs a credential", async () => {
    const url = `${server.url}/v1/organizations/config`;
    const auth = { authorization: `Bearer ${server.adminKey}` };
    const json = await fetch(url, { headers: auth });
    expect(json.headers.get("content-type")).toMatch(/^application\/json/);
    const doc = (await json.json()) as Record<string, unknown>;
    const yaml = await fetch(url, { headers: { ...auth, accept: "application/yaml" } });
    expect(yaml.headers.get("content-type")).toMatch(/^application\/yaml/);
    expect(YAML.parse(await yaml.text())).toEqual(doc);
    expect((await fetch(`${url}?format=xml`, { headers: auth })).status).toBe(400);

    // A JSON body works as well as YAML; the plan is empty for the organization as it is.
    const plan = await fetch(`${url}?dry_run=true`, { method: "POST", headers: { ...auth, "content-type": "application/json" }, body: JSON.stringify(doc) });
    expect(await plan.json()).toEqual({ type: "organization_config_plan", dry_run: true, applied: false, changes: [] });
    expect((await fetch(url, { method: "POST", body: "version: 1" })).status).toBe(401);
    expect((await fetch(url)).status).toBe(401);
    const invalid = await fetch(`${url}?dry_run=maybe`, { method: "POST", headers: auth, body: JSON.stringify(doc) });
    expect(invalid.status).toBe(400);
    // The Admin API's body limit holds for configuration files too: refused before parsing.
    const huge = await fetch(`${url}?dry_run=true`, { method: "POST", headers: auth, body: `version: 1\n# ${"x".repeat(300 * 1024)}\n` });
    expect(huge.status).toBe(413);
  });
});

describe("wif config's connection settings", () => {
  it("reads WIF_URL and WIF_API_KEY; flags win; a missing key or a non-http URL is named", () => {
    expect(parseAdminClientConfig({ WIF_URL: "https://wif.example.com/", WIF_API_KEY: "k" })).toEqual({ url: "https://wif.example.com", apiKey: "k" });
    expect(parseAdminClientConfig({ WIF_URL: "https://a.example", WIF_API_KEY: "k" }, { url: "http://localhost:4000", apiKey: "flag" })).toEqual({ url: "http://localhost:4000", apiKey: "flag" });
    expect(parseAdminClientConfig({ WIF_API_KEY: "k" }).url).toBe("http://localhost:3000");
    expect(() => parseAdminClientConfig({ WIF_URL: "https://a.example" })).toThrow(/^WIF_API_KEY \(--api-key\) is required/);
    expect(() => parseAdminClientConfig({ WIF_URL: "ftp://a.example", WIF_API_KEY: "k" })).toThrow(/^WIF_URL \(--url\): "ftp:\/\/a.example" is not an http\(s\) URL/);
    expect(() => parseAdminClientConfig({ WIF_URL: "not a url", WIF_API_KEY: "k" })).toThrow(/^WIF_URL/);
  });
});
