/**
 * `npm run demo`'s seed on a real server and database: it creates the sample issuer, service
 * account and rule once, follows the server to a new URL, and the seeded rule admits a demo
 * token for main (and refuses another branch) at the real token endpoint over HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS, startTestServer, type TestServer } from "../../e2e/support/test-server";
import { demoIssuerUrl, mintDemoToken } from "../demo/issuer";
import { DEMO_NAMES, seedDemo } from "./demo-seed";

const GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";
const AUD = "https://api.anthropic.com";

describe.each(DATABASE_KINDS)("demo seed (%s)", (kind) => {
  let server: TestServer;
  const seed = (publicUrl = server.runtime.publicUrl) => seedDemo(server.runtime.store.db, server.organizationId, publicUrl, server.runtime.config);
  const live = (table: "federation_issuers" | "service_accounts" | "federation_rules", name: string) =>
    server.runtime.store.db
      .selectFrom(table as "federation_issuers")
      .selectAll()
      .where("organization_id", "=", server.organizationId)
      .where("name", "=", name)
      .where("archived_at", "is", null)
      .execute();
  const ruleId = async () => (await live("federation_rules", DEMO_NAMES.rule))[0]!.id;

  /** A GitHub-shaped push token from the demo issuer, exchanged at /v1/oauth/token; returns the HTTP status. */
  async function exchange(branch: string): Promise<number> {
    const assertion = await mintDemoToken(server.runtime.store.db, {
      issuerUrl: demoIssuerUrl(server.runtime.publicUrl),
      subject: `repo:acme/demo-app:ref:refs/heads/${branch}`,
      audience: AUD,
      claims: { repository: "acme/demo-app", repository_owner: "acme", ref: `refs/heads/${branch}` },
    });
    const res = await fetch(`${server.url}/v1/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ grant_type: GRANT, assertion, federation_rule_id: await ruleId(), organization_id: server.organizationId }),
    });
    return res.status;
  }

  beforeAll(async () => {
    // Demo mode implies the development setting that lets the issuer be plain http on loopback.
    server = await startTestServer(kind, { WIF_DEMO: "1" });
  });
  afterAll(async () => server?.close());

  it("creates the issuer, service account and rule once, however often the demo starts", async () => {
    await seed();
    await seed();
    const [issuers, accounts, rules] = await Promise.all([
      live("federation_issuers", DEMO_NAMES.issuer),
      live("service_accounts", DEMO_NAMES.serviceAccount),
      live("federation_rules", DEMO_NAMES.rule),
    ]);
    expect([issuers.length, accounts.length, rules.length]).toEqual([1, 1, 1]);
    expect(issuers[0]!.issuer_url).toBe(demoIssuerUrl(server.runtime.publicUrl));
  });

  it("admits a demo token for main at the token endpoint and refuses another branch", async () => {
    await seed();
    expect(await exchange("main")).toBe(200);
    expect(await exchange("feature-x")).toBe(401);
  });

  it("moves the demo issuer to the URL of this start, keeping the one issuer and its rule", async () => {
    await seed();
    const before = (await live("federation_issuers", DEMO_NAMES.issuer))[0]!;
    await seed("http://localhost:4999");
    const moved = await live("federation_issuers", DEMO_NAMES.issuer);
    expect(moved.map((i) => [i.id, i.issuer_url])).toEqual([[before.id, "http://localhost:4999/demo-issuer"]]);
    // Back on this server's own URL, its tokens are admitted again through the same rule.
    await seed();
    expect((await live("federation_issuers", DEMO_NAMES.issuer))[0]!.issuer_url).toBe(demoIssuerUrl(server.runtime.publicUrl));
    expect(await exchange("main")).toBe(200);
  });
});
