import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiErrorOf } from "../../e2e/support/api-error";
import { DATABASE_KINDS, openTestStore, type TestStore } from "../../e2e/support/test-server";
import { connectWorkloadSetup } from "./connect-workload";
import type { AdminContext } from "./context";
import { createServiceAccount } from "./service-accounts";

describe.each(DATABASE_KINDS)("connectWorkloadSetup (%s)", (kind) => {
  let testStore: TestStore;
  let ctx: AdminContext;

  beforeAll(async () => {
    testStore = await openTestStore(kind);
    ctx = testStore.ctx;
  });

  afterAll(() => testStore.close());

  const input = (suffix: string, rule: Record<string, unknown> = {}) => ({
    issuer: { mode: "new", create: { name: `gh-${suffix}`, issuer_url: "https://token.actions.githubusercontent.com" } },
    service_account: { mode: "new", create: { name: `ci-${suffix}` } },
    rule: { name: `main-${suffix}`, match: { subject_prefix: "repo:acme/api:ref:refs/heads/main" }, oauth_scope: "workspace:developer", workspace_id: "default", ...rule },
  });

  const count = async (table: "federation_issuers" | "service_accounts" | "federation_rules", name: string) =>
    (await testStore.store.db.selectFrom(table).select("id").where("name", "=", name).execute()).length;

  const failure = (body: unknown) => apiErrorOf(connectWorkloadSetup(ctx, body));

  it("creates the issuer, the service account and the rule together", async () => {
    const done = await connectWorkloadSetup(ctx, input("ok"));
    expect(done.created).toEqual({ issuer: true, serviceAccount: true });
    expect(done.rule.issuer_id).toBe(done.issuer.id);
    expect(done.rule.target.service_account_id).toBe(done.serviceAccount.id);
  });

  // Each refusal names its field under the part it concerns, so the guided setup can show it at that step.
  it.each([
    ["a duplicate issuer name", () => input("ok"), "issuer.create.name", 409],
    ["a duplicate service account name", () => ({ ...input("sa"), service_account: { mode: "new", create: { name: "ci-ok" } } }), "service_account.create.name", 409],
    ["a duplicate rule name", () => input("rule", { name: "main-ok" }), "rule.name", 409],
    ["a rule that does not pin the tenant of a shared issuer", () => input("pin", { match: { subject_prefix: "repo:*" } }), "rule.match", 400],
    ["org:admin for a developer service account", () => input("scope", { oauth_scope: "org:admin" }), "rule.oauth_scope", 400],
    ["an unknown existing issuer", () => ({ ...input("missing"), issuer: { mode: "existing", id: "fdis_01NOPE" } }), "issuer.id", 404],
  ])("%s is refused at %s", async (_name, body, field, status) => {
    const err = await failure(body());
    expect(err.field).toBe(field);
    expect(err.status).toBe(status);
    expect(err.message.startsWith(field === "issuer.id" ? "federation issuer" : `${field}:`)).toBe(true);
  });

  it("is all or nothing: a refused rule leaves no issuer or service account behind", async () => {
    await failure(input("atomic", { match: { subject_prefix: "repo:*" } }));
    expect(await count("federation_issuers", "gh-atomic")).toBe(0);
    expect(await count("service_accounts", "ci-atomic")).toBe(0);
  });

  it("an archived existing service account is refused at the service account step", async () => {
    const sa = await createServiceAccount(ctx, { name: "to-archive" });
    await testStore.store.db.updateTable("service_accounts").set({ archived_at: new Date().toISOString() }).where("id", "=", sa.id).execute();
    const err = await failure({ ...input("archived"), service_account: { mode: "existing", id: sa.id } });
    expect(err.field).toBe("rule.target.service_account_id");
  });
});
