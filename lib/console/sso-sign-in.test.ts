/**
 * Single sign-on against a provider that signs whatever ID token the test chooses: each
 * attack on the callback is one case and must be refused with its own reason, with no
 * session created; the return path never leaves the site. SQLite and PostgreSQL.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keyringFrom } from "../core/secret-box";
import { createSsoProvider } from "../services/sso-providers";
import { DATABASE_KINDS, openTestStore, type TestStore } from "../../e2e/support/test-server";
import { startJoseIssuer, type JoseIssuer } from "../../e2e/support/jose-issuer";
import { completeSsoSignIn, startSsoSignIn, type SsoDeps, type SsoFailure, type SsoResult } from "./sso-sign-in";

const CLIENT_ID = "wif-console";
const CLIENT = { ip: "198.51.100.7" };

describe.each(DATABASE_KINDS)("single sign-on callback on %s", (kind) => {
  let t: TestStore;
  let op: JoseIssuer;
  let deps: SsoDeps;
  let providerId: string;

  beforeAll(async () => {
    t = await openTestStore(kind);
    op = await startJoseIssuer();
    const secrets = keyringFrom(randomBytes(32));
    deps = { store: t.store, secrets, organizationId: t.ctx.principal.organizationId, publicUrl: "http://localhost:3000", allowInsecure: true };
    // The test provider listens on loopback: allowed with the development setting, as in deps.
    const provider = await createSsoProvider({ ...t.ctx, config: { ...t.ctx.config, allowInsecureIssuers: true }, secrets }, {
      name: "Test IdP",
      issuer_url: op.issuer,
      client_id: CLIENT_ID,
      client_secret: "s3cret-value",
      allowed_domains: ["example.com"],
      role_mappings: [
        { role: "admin", match: { condition: '"platform-admins" in claims.groups' } },
        { role: "viewer", match: { condition: '"everyone" in claims.groups' } },
      ],
    });
    providerId = provider.id;
  });
  afterAll(async () => {
    await op.close();
    await t.close();
  });

  const now = () => Math.floor(Date.now() / 1000);
  const good = (over: Record<string, unknown> = {}) => ({ issuer, nonce }: { issuer: string; nonce: string }) =>
    op.sign({ iss: issuer, aud: CLIENT_ID, sub: "person-1", email: "ada@example.com", groups: ["everyone"], nonce, iat: now(), exp: now() + 300, ...over });

  /** Start a flow; the callback's query and the flow cookie, as the browser would bring them back. */
  async function begin(next: unknown = "/") {
    const started = await startSsoSignIn(deps, providerId, next);
    const url = new URL(started.redirectTo);
    op.nonce = url.searchParams.get("nonce")!;
    return { state: url.searchParams.get("state")!, cookie: started.cookie, url };
  }

  const sessionCount = async () => Number((await t.store.db.selectFrom("sessions").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);

  it("signs in with a good answer: PKCE S256 sent, user created with the mapped role, a session made", async () => {
    const { state, cookie, url } = await begin("/rules");
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(url.searchParams.get("redirect_uri")).toBe("http://localhost:3000/auth/sso/callback");
    op.answerWith(good());
    const result = await completeSsoSignIn(deps, { search: `?code=c1&state=${state}`, cookie }, CLIENT);
    expect(result.ok && result.signedIn.user.role).toBe("viewer");
    expect(result.ok && result.returnTo).toBe("/rules");
  });

  type Attack = { name: string; reason: SsoFailure; run: () => Promise<SsoResult> };
  const attacks: Attack[] = [
    {
      name: "replayed state (the same answer twice)",
      reason: "state_replayed",
      run: async () => {
        const { state, cookie } = await begin();
        op.answerWith(good());
        const first = await completeSsoSignIn(deps, { search: `?code=c2&state=${state}`, cookie }, CLIENT);
        expect(first.ok).toBe(true);
        await t.store.db.deleteFrom("sessions").execute();
        return completeSsoSignIn(deps, { search: `?code=c2&state=${state}`, cookie }, CLIENT);
      },
    },
    {
      name: "mismatched state (an answer to another flow)",
      reason: "state_mismatch",
      run: async () => {
        const { cookie } = await begin();
        const other = await begin();
        op.answerWith(good());
        return completeSsoSignIn(deps, { search: `?code=c3&state=${other.state}`, cookie }, CLIENT);
      },
    },
    {
      name: "no flow cookie (login CSRF: an answer pushed into someone else's browser)",
      reason: "flow_missing",
      run: async () => {
        const { state } = await begin();
        op.answerWith(good());
        return completeSsoSignIn(deps, { search: `?code=c4&state=${state}`, cookie: undefined }, CLIENT);
      },
    },
    {
      name: "a forged flow cookie",
      reason: "flow_missing",
      run: async () => {
        const { state, cookie } = await begin();
        op.answerWith(good());
        return completeSsoSignIn(deps, { search: `?code=c5&state=${state}`, cookie: `${cookie.slice(0, -4)}AAAA` }, CLIENT);
      },
    },
    { name: "wrong nonce", reason: "token_invalid", run: () => attack(good({ nonce: "not-the-flows-nonce" })) },
    { name: "wrong audience", reason: "token_invalid", run: () => attack(good({ aud: "another-client" })) },
    { name: "expired ID token", reason: "token_invalid", run: () => attack(good({ iat: now() - 7200, exp: now() - 3600 })) },
    { name: "another issuer", reason: "token_invalid", run: () => attack(good({ iss: "https://evil.example" })) },
    {
      name: "signed by a key the provider does not list",
      reason: "token_invalid",
      run: () => attack(({ issuer, nonce }) => op.sign({ iss: issuer, aud: CLIENT_ID, sub: "person-1", email: "ada@example.com", groups: ["everyone"], nonce, iat: now(), exp: now() + 300 }, { unlistedKey: true })),
    },
    { name: "an email domain the provider does not allow", reason: "domain_not_allowed", run: () => attack(good({ email: "mallory@evil.example" })) },
    { name: "an unverified email", reason: "email_missing", run: () => attack(good({ email_verified: false })) },
    { name: "no mapping matches", reason: "no_role", run: () => attack(good({ sub: "person-2", email: "bob@example.com", groups: ["contractors"] })) },
    {
      name: "the provider's error answer",
      reason: "provider_error",
      run: async () => {
        const { state, cookie } = await begin();
        return completeSsoSignIn(deps, { search: `?error=access_denied&state=${state}`, cookie }, CLIENT);
      },
    },
  ];

  async function attack(make: Parameters<JoseIssuer["answerWith"]>[0]) {
    const { state, cookie } = await begin();
    op.answerWith(make);
    return completeSsoSignIn(deps, { search: `?code=cx&state=${state}`, cookie }, CLIENT);
  }

  it.each(attacks)("refuses $name", async ({ reason, run }) => {
    await t.store.db.deleteFrom("sessions").execute();
    const result = await run();
    expect(result).toEqual({ ok: false, reason });
    expect(await sessionCount()).toBe(0);
    const audit = await t.store.db.selectFrom("audit_events").select("detail").where("action", "=", "user.sign_in_failed").orderBy("id", "desc").executeTakeFirstOrThrow();
    expect(JSON.parse(audit.detail!)).toMatchObject({ method: "sso", provider: reason === "flow_missing" ? null : providerId, reason });
  });

  it("reaches the provider only through the address guard: on loopback without the development setting, not one connection", async () => {
    const insecureOk = { ...t.ctx, config: { ...t.ctx.config, allowInsecureIssuers: true }, secrets: deps.secrets };
    const local = await createSsoProvider(insecureOk, { name: "Loopback IdP", issuer_url: op.issuer.replace("http:", "https:"), client_id: CLIENT_ID });
    const before = op.connections();
    await expect(startSsoSignIn({ ...deps, allowInsecure: false }, local.id, "/")).rejects.toMatchObject({ reason: "provider_unreachable" });
    expect(op.connections()).toBe(before);
  });

  const redirects = ["//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)", "/login?next=//evil.example", "\u0000/x"];
  it.each(redirects)("keeps the return path on this site: %j becomes /", async (next) => {
    const { state, cookie } = await begin(next);
    op.answerWith(good());
    const result = await completeSsoSignIn(deps, { search: `?code=cr&state=${state}`, cookie }, CLIENT);
    expect(result.ok && result.returnTo).toBe("/");
  });

  it("re-maps the role at each sign-in and ends the sessions of someone no mapping admits any more", async () => {
    const signInAs = async (groups: string[]) => {
      const { state, cookie } = await begin();
      op.answerWith(good({ sub: "person-3", email: "cy@example.com", groups }));
      return completeSsoSignIn(deps, { search: `?code=cm&state=${state}`, cookie }, CLIENT);
    };
    const first = await signInAs(["everyone"]);
    expect(first.ok && first.signedIn.user.role).toBe("viewer");
    const second = await signInAs(["platform-admins"]);
    expect(second.ok && second.signedIn.user.role).toBe("admin");
    const userId = second.ok ? second.signedIn.user.id : "";
    const changed = await t.store.db.selectFrom("audit_events").select("detail").where("action", "=", "user.role_changed_by_mapping").where("target_id", "=", userId).executeTakeFirstOrThrow();
    expect(JSON.parse(changed.detail!)).toMatchObject({ from: "viewer", to: "admin", provider: providerId, subject: "person-3" });

    expect(await signInAs([])).toEqual({ ok: false, reason: "no_role" });
    const left = await t.store.db.selectFrom("sessions").select("id_hash").where("user_id", "=", userId).execute();
    expect(left).toHaveLength(0);
  });
});
