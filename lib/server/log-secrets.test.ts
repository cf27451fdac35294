/**
 * No secret reaches the logs: a whole journey against the real server process — console
 * included, as `npm start` runs it — at the most verbose level: first-run setup and sign-in
 * with a password, a console page, token exchanges (granted, replayed, forged), an access
 * token and an API key through the gateway (streamed and not), a wrong key, the Admin API
 * and a scrape. Then its stdout and stderr are searched for every secret's prefix and for the
 * secrets themselves.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setUpFederation } from "../../e2e/support/federation";
import { UPSTREAM_KEY } from "../../e2e/support/gateway-harness";
import { callServerAction, postPasswordSignIn, serverActionId } from "../../e2e/support/server-action";
import { startServerProcess, type ServerProcess } from "../../e2e/support/server-process";
import { startTestUpstream, type TestUpstream } from "../../e2e/support/test-upstream";
import { parseConfig } from "../config";
import type { ActionResult } from "../console/action-result";
import { createAdminKey } from "../services/api-keys";
import { ensureOrganization } from "../services/organization";
import { openStore } from "../store/db";
import { buildIfStale } from "./build";

const root = path.resolve(import.meta.dirname, "../..");
const PASSWORD = "correct horse battery staple, logged nowhere";
const METRICS_TOKEN = "metrics-token-never-logged-0123";

describe("a journey's server output", () => {
  let dir: string;
  let server: ServerProcess;
  let upstream: TestUpstream;
  /** Every secret the journey handled, to search the output for. */
  const secrets: string[] = [PASSWORD, UPSTREAM_KEY, METRICS_TOKEN];

  beforeAll(async () => {
    await buildIfStale(root);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "wif-log-secrets-"));
    upstream = await startTestUpstream();
    server = await startServerProcess("console", {
      DATABASE_URL: `file:${path.join(dir, "wif.db")}`,
      WIF_SETUP_CODE_FILE: path.join(dir, "setup-code"),
      WIF_UPSTREAM_URL: upstream.url,
      WIF_UPSTREAM_API_KEY: UPSTREAM_KEY,
      WIF_METRICS_TOKEN: METRICS_TOKEN,
      LOG_LEVEL: "trace",
    });
  }, 20 * 60_000);

  afterAll(async () => {
    await server?.kill();
    upstream?.release();
    await upstream?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("holds no token, assertion, key or password after setup, sign-in, exchanges, the gateway and the Admin API", async () => {
    // Setup and sign-in, as the console's forms post them.
    const action = (page: string, name: string, args: unknown[], cookie?: string) =>
      callServerAction<ActionResult<{ redirectTo: string }>>({ url: server.url, page, actionId: serverActionId(root, "lib/console/actions/auth.ts", name), args, ...(cookie ? { headers: { cookie } } : {}) });
    // The setup code is written (and announced) just after the server starts listening.
    await server.waitForLine((l) => typeof l.setup_url === "string");
    const code = fs.readFileSync(path.join(dir, "setup-code"), "utf8").trim();
    const setup = await action("/setup", "setupAction", [{ code, email: "owner@example.com", name: "Owner", password: PASSWORD }]);
    expect(setup.result).toMatchObject({ ok: true });
    const signIn = (password: string) => postPasswordSignIn<ActionResult<{ redirectTo: string }>>({ url: server.url, email: "owner@example.com", password });
    const wrong = await signIn(`${PASSWORD} (wrong)`);
    expect(wrong.result).toMatchObject({ ok: false, error: { status: 401 } });
    const signedIn = await signIn(PASSWORD);
    expect(signedIn.result).toMatchObject({ ok: true });
    const session = signedIn.setCookie.map((c) => c.split(";")[0]!).join("; ");
    secrets.push(session.split("=")[1]!);
    expect((await fetch(`${server.url}/`, { headers: { cookie: session } })).status).toBe(200);

    // The Admin API with an admin key; federation; an API key for a service account.
    const store = await openStore(parseConfig({ DATABASE_URL: `file:${path.join(dir, "wif.db")}` }).database);
    const org = await ensureOrganization(store.db);
    const { key: adminKey } = await createAdminKey(store.db, org.id, "journey", { type: "system" });
    await store.close();
    secrets.push(adminKey);
    const admin = async (method: string, p: string, body?: unknown) => {
      const res = await fetch(`${server.url}/v1/organizations${p}`, { method, headers: { authorization: `Bearer ${adminKey}`, "content-type": "application/json" }, body: JSON.stringify(body) });
      const json = (await res.json()) as { id: string } & Record<string, unknown>;
      if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${JSON.stringify(json)}`);
      return json;
    };
    const federation = await setUpFederation({ url: server.url, organizationId: org.id, admin });
    const identity = await federation.identity("journey", "workspace:developer");
    const created = (await admin("POST", "/api_keys", { name: "journey-key", service_account_id: identity.serviceAccountId })) as unknown as { key: string };
    secrets.push(created.key);

    // Exchanges: granted, replayed, forged.
    const exchange = (assertion: string) =>
      fetch(`${server.url}/v1/oauth/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion, federation_rule_id: identity.ruleId, organization_id: org.id }),
      });
    const assertion = await identity.identityToken();
    secrets.push(assertion);
    const granted = await exchange(assertion);
    const { access_token: accessToken } = (await granted.json()) as { access_token: string };
    secrets.push(accessToken);
    expect((await exchange(assertion)).status).toBe(401);
    const [header, payload] = assertion.split(".");
    expect((await exchange(`${header}.${payload}.forgedsignature`)).status).toBe(401);

    // The gateway with the access token (plain and streamed) and the API key; a wrong key.
    const messages = (credential: string, stream: boolean) =>
      fetch(`${server.url}/v1/messages`, {
        method: "POST",
        headers: { "x-api-key": credential, "anthropic-version": "2023-06-01", "content-type": "application/json" },
        body: JSON.stringify({ model: "claude-test", max_tokens: 16, stream, messages: [{ role: "user", content: "hi" }] }),
      });
    for (const [credential, stream, status] of [[accessToken, false, 200], [accessToken, true, 200], [created.key, false, 200], ["sk-ant-api03-not-a-real-key-0123456789abcdefghijklmnopqrstu", false, 401]] as const) {
      const res = await messages(credential, stream);
      await res.text();
      expect(res.status).toBe(status);
    }
    expect((await fetch(`${server.url}/v1/organizations/me`, { headers: { authorization: `Bearer ${accessToken}` } })).status).toBe(200);
    expect((await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).status).toBe(200);

    server.signal("SIGTERM");
    expect(await server.exited).toEqual({ code: 0, signal: null });

    const output = server.output();
    // The journey was logged (one access line per request), and stdout is JSON throughout.
    expect(server.logLines().filter((l) => l.msg === "request").length).toBeGreaterThan(15);
    for (const needle of ["sk-ant-", "eyJ", ...secrets]) expect(output.includes(needle), `the output contains ${needle.slice(0, 16)}…`).toBe(false);

    // Sign-in's audit rows carry the request ID of the form post's access line; console pages name the user.
    const after = await openStore(parseConfig({ DATABASE_URL: `file:${path.join(dir, "wif.db")}` }).database);
    const signIns = await after.db.selectFrom("audit_events").select(["action", "request_id"]).where("action", "like", "user.%").execute();
    await after.close();
    const postedForms = new Map(server.logLines().filter((l) => l.msg === "request" && ["/auth/password", "/setup"].includes(String(l.route))).map((l) => [l.request_id, l.route]));
    expect(signIns.length).toBeGreaterThanOrEqual(3);
    for (const row of signIns) expect(postedForms.has(row.request_id), `${row.action} has the request ID of a form post`).toBe(true);
    expect(server.logLines().find((l) => l.msg === "request" && l.route === "/")).toMatchObject({ credential_kind: "user", credential_id: expect.stringMatching(/^user_/) });
  }, 5 * 60_000);
});
