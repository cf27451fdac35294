/**
 * Conformance: real clients through the gateway, configured only as a workload would be. The
 * official TypeScript SDK (both databases) and Python SDK run with `ANTHROPIC_BASE_URL` and
 * the federation variables alone; the Claude Code CLI runs with `ANTHROPIC_BASE_URL` and our
 * token helper as its `apiKeyHelper`. The upstream must see the workspace's key and never a
 * client credential.
 */
import { execFile, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startGatewayHarness, UPSTREAM_KEY, type GatewayHarness } from "../../e2e/support/gateway-harness";
import type { FederatedIdentity } from "../../e2e/support/federation";
import { DATABASE_KINDS, type DatabaseKind } from "../../e2e/support/test-server";
import { UPSTREAM_TEXT, UPSTREAM_USAGE } from "../../e2e/support/test-upstream";

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, "../..");

const TS_SCRIPT = `
import Anthropic, { toFile } from "@anthropic-ai/sdk";
const client = new Anthropic({ maxRetries: 0 });
const params = { model: "claude-test", max_tokens: 16, messages: [{ role: "user", content: "hi" }] };
const created = await client.messages.create(params);
const stream = client.messages.stream(params);
const events = [];
for await (const event of stream) events.push(event.type);
const final = await stream.finalMessage();
const count = await client.messages.countTokens(params);
const models = [];
for await (const model of client.models.list()) models.push(model.id);
const file = await client.beta.files.upload({ file: await toFile(Buffer.from("hello file"), "notes.txt", { type: "text/plain" }) });
const batch = await client.messages.batches.create({ requests: [{ custom_id: "a", params }] });
console.log(JSON.stringify({ created, events, final, count, models, file, batch }));
`;

const PY_SCRIPT = `
import json, anthropic
client = anthropic.Anthropic(max_retries=0)
params = dict(model="claude-test", max_tokens=16, messages=[{"role": "user", "content": "hi"}])
created = client.messages.create(**params)
events = []
with client.messages.stream(**params) as stream:
    for event in stream:
        events.append(event.type)
    final = stream.get_final_message()
print(json.dumps({"created": created.model_dump(), "events": events, "final": final.model_dump()}))
`;

/** The environment a workload sets: base URL and federation variables, nothing else. */
function workloadEnv(h: GatewayHarness, who: FederatedIdentity, tokenFile: string, home: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "",
    HOME: home,
    ANTHROPIC_BASE_URL: h.server.url,
    ANTHROPIC_FEDERATION_RULE_ID: who.ruleId,
    ANTHROPIC_ORGANIZATION_ID: h.server.organizationId,
    ANTHROPIC_IDENTITY_TOKEN_FILE: tokenFile,
  };
}

/** No client credential reached the upstream: only the workspace's key, in x-api-key. */
function expectOnlyUpstreamKey(h: GatewayHarness, from: number) {
  const seen = h.upstream.received.slice(from);
  expect(seen.length).toBeGreaterThan(0);
  for (const r of seen) {
    expect(r.headers["x-api-key"]).toBe(UPSTREAM_KEY);
    expect(r.headers.authorization).toBeUndefined();
    expect(r.rawHeaders.join("\n")).not.toMatch(/sk-ant-oat01-|eyJ/);
    expect(String(r.headers["anthropic-beta"] ?? "")).not.toContain("oauth-2025-04-20");
  }
}

/** A gateway, a developer-scoped workload identity, and a fresh identity token file before each test (a jti is single-use). */
function useWorkload(kind: DatabaseKind) {
  const s = {} as { h: GatewayHarness; who: FederatedIdentity; dir: string; tokenFile: string };
  beforeAll(async () => {
    s.h = await startGatewayHarness(kind);
    s.who = await s.h.federation.identity("sdk-workload", "workspace:developer");
    s.dir = fs.mkdtempSync(path.join(os.tmpdir(), "wif-gw-clients-"));
    s.tokenFile = path.join(s.dir, "oidc-token");
  });
  beforeEach(async () => {
    fs.writeFileSync(s.tokenFile, await s.who.identityToken());
  });
  afterAll(async () => {
    await s.h?.close();
    if (s.dir) fs.rmSync(s.dir, { recursive: true, force: true });
  });
  return s;
}

describe.each(DATABASE_KINDS)("the official TypeScript SDK through the gateway (%s)", (kind) => {
  const s = useWorkload(kind);

  it("create, stream, count tokens, models, file upload, batch", async () => {
    const { h, who, tokenFile, dir } = s;
    const from = h.upstream.received.length;
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", TS_SCRIPT], { cwd: root, env: { ...workloadEnv(h, who, tokenFile, dir), NODE_ENV: "test" } });
    const out = JSON.parse(stdout) as Record<string, any>;
    expect(out.created).toMatchObject({ type: "message", content: [{ type: "text", text: UPSTREAM_TEXT }], usage: UPSTREAM_USAGE });
    expect(out.events).toEqual(["message_start", "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop"]);
    expect(out.final.content).toEqual([{ type: "text", text: UPSTREAM_TEXT, citations: null }].map(({ citations: _c, ...b }) => expect.objectContaining(b)));
    expect(out.final.usage).toMatchObject({ output_tokens: UPSTREAM_USAGE.output_tokens, input_tokens: UPSTREAM_USAGE.input_tokens });
    expect(out.count).toEqual({ input_tokens: 42 });
    expect(out.models).toEqual(["claude-test-1", "claude-test-2"]);
    expect(out.file).toMatchObject({ type: "file", filename: "notes.txt" });
    expect(out.batch).toMatchObject({ type: "message_batch", request_counts: { processing: 1 } });
    expectOnlyUpstreamKey(h, from);

    await h.server.gateway.flushAudit();
    const rows = await h.server.runtime.store.db.selectFrom("gateway_requests").selectAll().where("federation_rule_id", "=", who.ruleId).execute();
    expect(rows.map((r) => r.path_family).sort()).toEqual(["files", "messages", "messages", "messages.batches", "messages.count_tokens", "models"]);
    expect(rows.every((r) => r.subject === who.subject && r.status === 200 && r.outcome === "completed")).toBe(true);
  });

});

describe("other clients through the gateway (sqlite)", () => {
  const s = useWorkload("sqlite");

  it("the official Python SDK: create and stream", { timeout: 240_000 }, async () => {
    const { h, who, tokenFile, dir } = s;
    const venv = path.join(root, ".venv");
    // Installed from the machine's local wheel store the first time.
    if (!fs.existsSync(path.join(venv, "bin", "python"))) {
      expect(spawnSync("python3", ["-m", "venv", venv]).status).toBe(0);
    }
    if (spawnSync(path.join(venv, "bin", "python"), ["-c", "import anthropic"]).status !== 0) {
      const pip = spawnSync(path.join(venv, "bin", "pip"), ["install", "--quiet", "anthropic"], { encoding: "utf8" });
      expect(pip.status, pip.stderr).toBe(0);
    }
    const from = h.upstream.received.length;
    const { stdout } = await run(path.join(venv, "bin", "python"), ["-c", PY_SCRIPT], { env: { ...workloadEnv(h, who, tokenFile, dir), NODE_ENV: "test" } });
    const out = JSON.parse(stdout) as Record<string, any>;
    expect(out.created).toMatchObject({ content: [{ type: "text", text: UPSTREAM_TEXT }], usage: expect.objectContaining({ input_tokens: 11, output_tokens: 7 }) });
    expect(out.events).toContain("message_stop");
    expect(out.events[0]).toBe("message_start");
    expect(out.final.content[0].text).toBe(UPSTREAM_TEXT);
    expectOnlyUpstreamKey(h, from);
  });

  it("the Claude Code CLI with our token helper as apiKeyHelper", { timeout: 180_000 }, async () => {
    const { h, who, tokenFile, dir } = s;
    const home = path.join(dir, "claude-home");
    fs.mkdirSync(path.join(home, ".claude"), { recursive: true });
    const env = workloadEnv(h, who, tokenFile, home);
    const helperEnv = Object.entries({ ...env, WIF_TOKEN_CACHE_FILE: path.join(home, "wif-token.json") })
      .filter(([k]) => k.startsWith("ANTHROPIC_") || k === "WIF_TOKEN_CACHE_FILE")
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join(" ");
    fs.writeFileSync(path.join(home, ".claude", "settings.json"), JSON.stringify({ apiKeyHelper: `${helperEnv} ${JSON.stringify(process.execPath)} ${JSON.stringify(path.join(root, "scripts", "wif.mjs"))} token` }));
    const from = h.upstream.received.length;
    const claude = run(path.join(root, "node_modules", ".bin", "claude"), ["-p", "Say hello", "--model", "claude-test"], {
      cwd: home,
      env: {
        PATH: env.PATH!,
        HOME: home,
        ANTHROPIC_BASE_URL: h.server.url,
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
        DISABLE_TELEMETRY: "1",
        DISABLE_ERROR_REPORTING: "1",
        DISABLE_AUTOUPDATER: "1",
        NODE_ENV: "test",
      },
      timeout: 150_000,
    });
    claude.child.stdin?.end(); // no piped prompt
    const { stdout } = await claude;
    expect(stdout).toContain(UPSTREAM_TEXT);
    expectOnlyUpstreamKey(h, from);
    const messages = h.upstream.received.slice(from).filter((r) => r.url.startsWith("/v1/messages"));
    expect(messages.length).toBeGreaterThan(0);
    // The helper cached its token with mode 0600.
    expect(fs.statSync(path.join(home, "wif-token.json")).mode & 0o777).toBe(0o600);
  });
});
