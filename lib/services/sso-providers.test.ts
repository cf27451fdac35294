/**
 * SSO providers and the sign-in policy, on SQLite and PostgreSQL: the client secret is
 * stored sealed and never returned; only owners change them; requiring SSO needs a provider
 * and ends the password sessions of non-owners; WIF_SSO_PROVIDERS is written at start and is
 * read-only; bad input is a 400 naming the field.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiErrorOf } from "../../e2e/support/api-error";
import { keyringFrom } from "../core/secret-box";
import { DATABASE_KINDS, openTestStore, type TestStore } from "../../e2e/support/test-server";
import type { AdminContext } from "./context";
import { createSsoProvider, getSignInPolicy, listSsoProviders, loadProviderForSignIn, setSignInPolicy, syncEnvironmentProviders, tryRoleMappings, updateSsoProvider } from "./sso-providers";

const SECRET = "client-secret-abcd1234";
const provider = {
  name: "Okta",
  issuer_url: "https://acme.okta.com",
  client_id: "0oa123",
  client_secret: SECRET,
  role_mappings: [{ role: "admin", match: { condition: '"platform-admins" in claims.groups' } }],
};

describe.each(DATABASE_KINDS)("SSO providers on %s", (kind) => {
  let t: TestStore;
  const secrets = keyringFrom(randomBytes(32));
  let owner: AdminContext;
  let admin: AdminContext;

  beforeAll(async () => {
    t = await openTestStore(kind);
    const orgId = t.ctx.principal.organizationId;
    owner = { ...t.ctx, principal: { kind: "user", id: "user_01OWNER", organizationId: orgId, role: "owner", label: "o@example.com" } };
    admin = { ...t.ctx, principal: { kind: "user", id: "user_01ADMIN", organizationId: orgId, role: "admin", label: "a@example.com" } };
  });
  afterAll(() => t.close());

  it("stores the client secret sealed, returns only its last four, and opens it for sign-in", async () => {
    const created = await createSsoProvider({ ...owner, secrets }, provider);
    expect(JSON.stringify(created)).not.toContain(SECRET);
    expect(created.client_secret_last4).toBe("1234");
    expect(created.scopes.split(" ")).toEqual(expect.arrayContaining(["openid", "email", "profile"]));
    const row = await t.store.db.selectFrom("sso_providers").selectAll().where("id", "=", created.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(SECRET);
    expect((await loadProviderForSignIn(t.store.db, secrets, owner.principal.organizationId, created.id))?.clientSecret).toBe(SECRET);
    expect(JSON.stringify(await listSsoProviders(owner))).not.toContain(SECRET);

    // An update without a secret keeps the stored one.
    await updateSsoProvider({ ...owner, secrets }, created.id, { ...provider, client_secret: "", name: "Okta (prod)" });
    expect((await loadProviderForSignIn(t.store.db, secrets, owner.principal.organizationId, created.id))?.clientSecret).toBe(SECRET);
  });

  const refusals: Array<{ name: string; run: () => Promise<unknown>; status: number; field?: string }> = [
    { name: "an admin adding a provider", run: () => createSsoProvider({ ...admin, secrets }, provider), status: 403 },
    { name: "an admin changing the policy", run: () => setSignInPolicy(admin, { require_sso: false, require_second_factor: true }), status: 403 },
    { name: "a mapping granting owner", run: () => createSsoProvider({ ...owner, secrets }, { ...provider, role_mappings: [{ role: "owner", match: { subject_prefix: "x" } }] }), status: 400, field: "role_mappings.0.role" },
    { name: "a mapping that matches everyone", run: () => createSsoProvider({ ...owner, secrets }, { ...provider, role_mappings: [{ role: "viewer", match: {} }] }), status: 400, field: "role_mappings.0.match" },
    { name: "a bad CEL condition", run: () => createSsoProvider({ ...owner, secrets }, { ...provider, role_mappings: [{ role: "viewer", match: { condition: "claims.groups.(" } }] }), status: 400, field: "role_mappings.0.match.condition" },
    { name: "an http issuer off loopback", run: () => createSsoProvider({ ...owner, secrets }, { ...provider, issuer_url: "http://idp.example.com" }), status: 400, field: "issuer_url" },
    { name: "an issuer at the cloud metadata address", run: () => createSsoProvider({ ...owner, secrets }, { ...provider, issuer_url: "https://169.254.169.254" }), status: 400, field: "issuer_url" },
    { name: "an issuer at AWS's IPv6 metadata address", run: () => createSsoProvider({ ...owner, secrets }, { ...provider, issuer_url: "https://[fd00:ec2::254]" }), status: 400, field: "issuer_url" },
    { name: "a loopback issuer without the development setting", run: () => createSsoProvider({ ...owner, secrets }, { ...provider, issuer_url: "https://127.0.0.1" }), status: 400, field: "issuer_url" },
    {
      name: "a provider changed to the metadata address",
      run: async () => updateSsoProvider({ ...owner, secrets }, (await createSsoProvider({ ...owner, secrets }, { ...provider, name: "Moved" })).id, { ...provider, issuer_url: "https://169.254.169.254" }),
      status: 400,
      field: "issuer_url",
    },
    { name: "a malformed domain", run: () => createSsoProvider({ ...owner, secrets }, { ...provider, allowed_domains: ["not a domain"] }), status: 400, field: "allowed_domains.0" },
    { name: "claims that are not a JSON object in the trial", run: () => tryRoleMappings(owner, null, { claims: "[1,2]" }), status: 400, field: "claims" },
  ];
  it.each(refusals)("refuses $name", async ({ run, status, field }) => {
    const err = await apiErrorOf(run());
    expect(err.status).toBe(status);
    if (field) expect(err.field).toBe(field);
  });

  it("requiring SSO ends the password sessions of non-owners, not the owner's", async () => {
    const orgId = owner.principal.organizationId;
    const now = new Date().toISOString();
    const later = new Date(Date.now() + 3600_000).toISOString();
    for (const [id, role] of [
      ["user_01OWNER", "owner"],
      ["user_01DEV", "developer"],
    ] as const) {
      await t.store.db.insertInto("users").values({ id, organization_id: orgId, email: `${id}@example.com`, name: id, password_hash: "x", role, created_at: now, updated_at: now, disabled_at: null }).execute();
      await t.store.db.insertInto("sessions").values({ id_hash: `hash-${id}`, user_id: id, created_at: now, expires_at: later }).execute();
    }
    const policy = await setSignInPolicy(owner, { require_sso: true, require_second_factor: false });
    expect(policy).toEqual(await getSignInPolicy(t.store.db));
    const left = await t.store.db.selectFrom("sessions").select("user_id").execute();
    expect(left.map((s) => s.user_id)).toEqual(["user_01OWNER"]);
  });

  it("tries sample claims with the rule matcher and explains the outcome", async () => {
    const [p] = await listSsoProviders(owner);
    const trial = await tryRoleMappings(owner, p!.id, { claims: JSON.stringify({ sub: "u1", groups: ["platform-admins"] }) });
    expect(trial.role).toBe("admin");
    const none = await tryRoleMappings(owner, p!.id, { claims: JSON.stringify({ sub: "u1", groups: [] }) });
    expect(none.role).toBeUndefined();
    expect(none.explanations[0]!.checks.at(-1)).toMatchObject({ check: "condition", passed: false });
  });

  it("writes WIF_SSO_PROVIDERS at start, read-only in the console, and removes one no longer listed", async () => {
    const orgId = owner.principal.organizationId;
    await syncEnvironmentProviders(t.store.db, secrets, orgId, [{ id: "entra", name: "Entra ID", issuer_url: "https://login.microsoftonline.com/t/v2.0", client_id: "c", client_secret: "env-secret-9876" }]);
    const env = (await listSsoProviders(owner)).find((p) => p.id === "ssop_env_entra")!;
    expect(env).toMatchObject({ source: "environment", client_secret_last4: "9876" });
    expect((await apiErrorOf(updateSsoProvider({ ...owner, secrets }, env.id, provider))).status).toBe(400);
    await syncEnvironmentProviders(t.store.db, secrets, orgId, []);
    expect((await listSsoProviders(owner)).some((p) => p.id === "ssop_env_entra")).toBe(false);
    await expect(syncEnvironmentProviders(t.store.db, secrets, orgId, [{ id: "Bad Id", name: "x" }])).rejects.toThrow(/WIF_SSO_PROVIDERS\.0\./);
  });
});
