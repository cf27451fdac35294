/**
 * Conformance: the unmodified official SDK, configured only through the environment
 * variables a workload sets, exchanges an identity token read from a file and then calls
 * the Admin API with the federated token — on SQLite and PostgreSQL. The SDK runs in its
 * own process with a clean environment, as in a CI job.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS, startTestServer, type TestServer } from "../../e2e/support/test-server";
import { ruleInput } from "../../e2e/support/rule-input";

const run = promisify(execFile);
const ISSUER = "https://ci.wif.test";
const SUBJECT = "repo:acme/infra:ref:refs/heads/main";

const SCRIPT = `
import Anthropic from "@anthropic-ai/sdk";
const client = new Anthropic({ maxRetries: 0 });
const me = await client.beta.organization.retrieve();
const rules = [];
for await (const rule of client.beta.organization.federation.rules.list()) rules.push(rule.id);
const sa = await client.beta.organization.serviceAccounts.create({ name: "made-by-workload" });
console.log(JSON.stringify({ me, rules, sa }));
`;

describe.each(DATABASE_KINDS)("official SDK federation chain (%s)", (kind) => {
  let server: TestServer;
  let dir: string;
  const ids: Record<string, string> = {};
  let privateKey: CryptoKey;

  beforeAll(async () => {
    server = await startTestServer(kind);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "wif-sdk-"));
    const pair = await generateKeyPair("ES256", { extractable: true });
    privateKey = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: "ci-1", alg: "ES256" };
    const post = async (p: string, body: unknown) => {
      const res = await fetch(`${server.url}/v1/organizations${p}`, { method: "POST", headers: { "x-api-key": server.adminKey, "content-type": "application/json" }, body: JSON.stringify(body) });
      expect(res.status, p).toBe(200);
      return (await res.json()) as { id: string };
    };
    const issuer = await post("/federation_issuers", { name: "ci", issuer_url: ISSUER, jwks: { type: "inline", keys: [jwk] } });
    ids.sa = (await post("/service_accounts", { name: "infra-admin", organization_role: "admin" })).id;
    ids.rule = (await post("/federation_rules", ruleInput("infra", issuer.id, ids.sa, SUBJECT, { oauth_scope: "org:admin" }))).id;
  });
  afterAll(async () => {
    await server?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("exchanges a token from ANTHROPIC_IDENTITY_TOKEN_FILE and uses it on the Admin API", async () => {
    const now = Math.floor(Date.now() / 1000);
    const jwt = await new SignJWT({ iss: ISSUER, sub: SUBJECT, aud: "https://api.anthropic.com", iat: now, exp: now + 300, jti: crypto.randomUUID() })
      .setProtectedHeader({ alg: "ES256", kid: "ci-1" })
      .sign(privateKey);
    const tokenFile = path.join(dir, "oidc-token");
    fs.writeFileSync(tokenFile, jwt);

    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", SCRIPT], {
      cwd: path.resolve(import.meta.dirname, "../.."),
      // A clean environment: a leftover ANTHROPIC_API_KEY would silently win over federation.
      env: {
        PATH: process.env.PATH ?? "",
        HOME: dir,
        NODE_ENV: "test",
        ANTHROPIC_BASE_URL: server.url,
        ANTHROPIC_FEDERATION_RULE_ID: ids.rule!,
        ANTHROPIC_ORGANIZATION_ID: server.organizationId,
        ANTHROPIC_SERVICE_ACCOUNT_ID: ids.sa!,
        ANTHROPIC_IDENTITY_TOKEN_FILE: tokenFile,
      },
    });
    const out = JSON.parse(stdout) as { me: { id: string }; rules: string[]; sa: { id: string; created_by_actor_id: string } };
    expect(out.me.id).toBe(server.organizationId);
    expect(out.rules).toContain(ids.rule);
    // Changes made with the federated token are attributed to the service account.
    expect(out.sa.created_by_actor_id).toBe(ids.sa);

    const events = await server.runtime.store.db.selectFrom("auth_events").selectAll().where("federation_rule_id", "=", ids.rule!).execute();
    expect(events).toEqual([expect.objectContaining({ outcome: "granted", service_account_id: ids.sa, subject: SUBJECT })]);
  });
});
