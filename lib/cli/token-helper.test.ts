/**
 * The token helper against a real server: exchanges once, caches the access token in a 0600
 * file until shortly before expiry, and reports a refused exchange with its request-id.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseTokenHelperConfig } from "../config";
import { setUpFederation, type FederatedIdentity } from "../../e2e/support/federation";
import { startTestServer, type TestServer } from "../../e2e/support/test-server";
import { accessToken, TokenHelperError } from "./token-helper";

describe("wif token", () => {
  let server: TestServer;
  let who: FederatedIdentity;
  let dir: string;
  beforeAll(async () => {
    server = await startTestServer("sqlite");
    who = await (await setUpFederation(server)).identity("helper-bot", "workspace:inference");
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "wif-helper-"));
  });
  afterAll(async () => {
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const config = (tokenFile: string) =>
    parseTokenHelperConfig({ ANTHROPIC_BASE_URL: server.url, ANTHROPIC_FEDERATION_RULE_ID: who.ruleId, ANTHROPIC_ORGANIZATION_ID: server.organizationId, ANTHROPIC_IDENTITY_TOKEN_FILE: tokenFile, HOME: dir });
  const grants = async () => (await server.runtime.store.db.selectFrom("auth_events").select("id").where("federation_rule_id", "=", who.ruleId).where("outcome", "=", "granted").execute()).length;

  it("exchanges, caches with mode 0600, and exchanges again only near expiry (re-reading the token file)", async () => {
    const tokenFile = path.join(dir, "token");
    fs.writeFileSync(tokenFile, await who.identityToken());
    const c = config(tokenFile);
    expect(c.cacheFile.startsWith(path.join(dir, ".cache", "wif"))).toBe(true);
    const t0 = Date.now();
    const first = await accessToken(c, t0);
    expect(first).toMatch(/^sk-ant-oat01-/);
    expect(fs.statSync(c.cacheFile).mode & 0o777).toBe(0o600);
    expect(await accessToken(c, t0 + 60_000)).toBe(first);
    expect(await grants()).toBe(1);

    // Past the refresh point: a new exchange, with the (rotated) file read again.
    fs.writeFileSync(tokenFile, await who.identityToken());
    const second = await accessToken(c, t0 + 3600_000);
    expect(second).not.toBe(first);
    expect(await grants()).toBe(2);
  });

  it("reports a refused exchange with the request-id to look up", async () => {
    const tokenFile = path.join(dir, "bad-token");
    fs.writeFileSync(tokenFile, "not-a-jwt");
    const c = { ...config(tokenFile), cacheFile: path.join(dir, "other-cache.json") };
    await expect(accessToken(c)).rejects.toThrow(TokenHelperError);
    await expect(accessToken(c)).rejects.toThrow(/request-id req_/);
  });

  it("names the missing variables", () => {
    expect(() => parseTokenHelperConfig({ ANTHROPIC_BASE_URL: "http://localhost:1" })).toThrow(/ANTHROPIC_FEDERATION_RULE_ID.*ANTHROPIC_ORGANIZATION_ID/);
  });
});
