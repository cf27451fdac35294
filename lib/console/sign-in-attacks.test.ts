/**
 * Attacks on sign-in, against the real server with its console (Next, built if stale), on
 * SQLite and PostgreSQL: the sign-in form's JSON posts (`/auth/password`, answered before
 * Next) sent over HTTP from chosen TCP source addresses
 * (any 127.x.y.z is a distinct peer on Linux loopback). 127.0.0.2 is the trusted proxy
 * (`WIF_TRUSTED_PROXIES`); every other address is a client talking to us directly. Hash
 * computations are counted through the password module's own counter.
 */
import { randomBytes, scryptSync } from "node:crypto";
import http from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postPasswordSignIn, type ActionReply } from "../../e2e/support/server-action";
import { DATABASE_KINDS, startTestServer, type TestServer } from "../../e2e/support/test-server";
import { buildIfStale } from "../server/build";
import { PEER_ADDRESS_HEADER } from "../services/forwarded";
import type { ActionResult } from "./action-result";
import { hashPassword, passwordHashStats } from "./password";
import { SIGN_IN_FAILED, SIGN_IN_LIMITS } from "./sign-in";

const root = path.resolve(import.meta.dirname, "../..");
const PROXY = "127.0.0.2";
const PASSWORD = "the right password, at last";

type Reply = ActionReply<ActionResult<{ redirectTo: string }>>;

interface Ctx {
  server: TestServer;
  signIn(email: string, password: string, from: { peer: string; headers?: Record<string, string> }): Promise<Reply>;
  createUser(email: string, passwordHash?: string): Promise<void>;
  /** Hash computations the password module has done since the case began. */
  hashes(): number;
}

const outcome = (r: Reply) => (r.result?.ok ? "signed in" : r.result ? r.result.error.status : `no result (HTTP ${r.status})`);
const count = (replies: Reply[], o: ReturnType<typeof outcome>) => replies.filter((r) => outcome(r) === o).length;
const randomIp = () => `203.0.${randomBytes(1)[0]}.${randomBytes(1)[0]! % 254 + 1}`;
const times = <T,>(n: number, f: (i: number) => Promise<T>) => Promise.all(Array.from({ length: n }, (_, i) => f(i)));

/** A scrypt hash as the previous version stored it (N=2^15, r=8, p=1), made with node:crypto. */
function legacyScryptHash(password: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(password.normalize("NFC"), salt, 32, { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
  return ["scrypt", 15, 8, 1, salt.toString("base64url"), key.toString("base64url")].join("$");
}

const attacks: Array<{ name: string; run(ctx: Ctx): Promise<void> }> = [
  {
    name: "rotating X-Forwarded-For from an untrusted peer does not reset the per-client limit",
    async run({ signIn, hashes }) {
      const replies = await times(SIGN_IN_LIMITS.perClient + 10, (i) => signIn(`rotate-${i}@example.com`, "wrong password", { peer: "127.0.1.1", headers: { "x-forwarded-for": randomIp() } }));
      expect(count(replies, 401)).toBe(SIGN_IN_LIMITS.perClient);
      expect(count(replies, 429)).toBe(10);
      expect(hashes()).toBe(SIGN_IN_LIMITS.perClient);
    },
  },
  {
    name: "a forged peer-address header from an untrusted peer is replaced, so its X-Forwarded-For stays unbelieved",
    async run({ signIn, hashes }) {
      const forged = { [PEER_ADDRESS_HEADER]: PROXY };
      const replies = await times(SIGN_IN_LIMITS.perClient + 5, (i) => signIn(`forged-${i}@example.com`, "wrong password", { peer: "127.0.1.2", headers: { ...forged, "x-forwarded-for": randomIp() } }));
      expect(count(replies, 429)).toBe(5);
      expect(hashes()).toBe(SIGN_IN_LIMITS.perClient);
    },
  },
  {
    name: "rotating X-Forwarded-For from a trusted proxy is honoured: each address is its own client, and is what the audit row records",
    async run({ server, signIn, hashes }) {
      const clients = Array.from({ length: SIGN_IN_LIMITS.perClient + 10 }, (_, i) => `198.51.100.${i + 1}`);
      const replies = await times(clients.length, (i) => signIn(`proxied-${i}@example.com`, "wrong password", { peer: PROXY, headers: { "x-forwarded-for": `192.0.2.99, ${clients[i]}` } }));
      expect(count(replies, 401)).toBe(clients.length);
      expect(hashes()).toBe(clients.length);
      const rows = await server.runtime.store.db.selectFrom("audit_events").select("detail").where("action", "=", "user.sign_in_failed").execute();
      const recorded = rows.map((r) => JSON.parse(r.detail!) as { email: string; client_ip: string }).filter((d) => d.email.startsWith("proxied-"));
      expect(recorded.map((d) => d.client_ip).sort()).toEqual([...clients].sort());
    },
  },
  {
    name: "40 concurrent wrong passwords for one email: at most 10 are checked",
    async run({ server, signIn, hashes }) {
      const email = "burst@example.com";
      const replies = await times(40, () => signIn(email, "wrong password", { peer: "127.0.1.3", headers: { "x-forwarded-for": randomIp() } }));
      expect(hashes()).toBeLessThanOrEqual(SIGN_IN_LIMITS.perEmail);
      expect(count(replies, 401)).toBe(hashes());
      expect(count(replies, 429)).toBe(40 - hashes());
      const failed = await server.runtime.store.db.selectFrom("audit_events").select("id").where("action", "=", "user.sign_in_failed").where("detail", "like", `%${email}%`).execute();
      expect(failed).toHaveLength(hashes());
    },
  },
  {
    name: "the owner still signs in from a fresh client while their email is under attack",
    async run({ createUser, signIn }) {
      const email = "victim@example.com";
      await createUser(email);
      // Attackers at two addresses exhaust the email's limit (and then some).
      const attack = await times(30, (i) => signIn(email, `guess ${i}`, { peer: i % 2 ? "127.0.1.4" : "127.0.1.5" }));
      expect(count(attack, 429)).toBeGreaterThan(0);
      // An attacker that has failed is locked out even with the right password...
      expect(outcome(await signIn(email, PASSWORD, { peer: "127.0.1.4" }))).toBe(429);
      // ...the owner, from a client with no failures on record, is not.
      const owner = await signIn(email, PASSWORD, { peer: "127.0.1.6" });
      expect(outcome(owner)).toBe("signed in");
      expect(owner.setCookie.join()).toMatch(/wif_session=/);
      // So too behind the trusted proxy, from a fresh forwarded address.
      expect(outcome(await signIn(email, PASSWORD, { peer: PROXY, headers: { "x-forwarded-for": "198.51.100.200" } }))).toBe("signed in");
    },
  },
  {
    name: "X-Forwarded-Host from an untrusted peer does not satisfy the same-origin check",
    async run({ signIn, hashes }) {
      const crossSite = { origin: "https://evil.example", "x-forwarded-host": "evil.example" };
      const refused = await signIn("xfh@example.com", "wrong password", { peer: "127.0.1.7", headers: crossSite });
      expect(refused.result?.ok).not.toBe(true);
      expect(outcome(refused)).not.toBe(401);
      expect(hashes()).toBe(0);
      // The same headers from the trusted proxy name the host the browser used: the attempt is heard (and fails on its password).
      const proxied = await signIn("xfh@example.com", "wrong password", { peer: PROXY, headers: { ...crossSite, "x-forwarded-for": "198.51.100.201" } });
      expect(outcome(proxied)).toBe(401);
      expect(proxied.result).toMatchObject({ ok: false, error: { message: SIGN_IN_FAILED } });
    },
  },
  {
    name: "X-Forwarded-Proto from an untrusted peer does not make the session cookie Secure",
    async run({ createUser, signIn }) {
      const email = "cookie@example.com";
      await createUser(email);
      const direct = await signIn(email, PASSWORD, { peer: "127.0.1.8", headers: { "x-forwarded-proto": "https" } });
      expect(outcome(direct)).toBe("signed in");
      expect(direct.setCookie.join()).toMatch(/wif_session=/);
      expect(direct.setCookie.join()).not.toMatch(/;\s*Secure/i);
      const proxied = await signIn(email, PASSWORD, { peer: PROXY, headers: { "x-forwarded-proto": "https", "x-forwarded-for": "198.51.100.202" } });
      expect(proxied.setCookie.join()).toMatch(/;\s*Secure/i);
    },
  },
  {
    name: "malformed sign-in posts are answered 4xx with a reason, and cost no hash",
    async run({ server, hashes }) {
      const post = (init: RequestInit & { path?: string }) =>
        fetch(`${server.url}${init.path ?? "/auth/password"}`, { method: "POST", ...init, headers: { origin: server.url, ...(init.headers as Record<string, string>) } });
      const cases: Array<[string, Promise<Response>, number]> = [
        ["GET", fetch(`${server.url}/auth/password`), 405],
        ["not JSON", post({ headers: { "content-type": "application/json" }, body: "{email" }), 400],
        ["form-encoded", post({ headers: { "content-type": "application/x-www-form-urlencoded" }, body: "email=a&password=b" }), 400],
        ["a JSON array", post({ headers: { "content-type": "application/json" }, body: "[]" }), 400],
        ["a number for a password", post({ headers: { "content-type": "application/json" }, body: JSON.stringify({ email: "n@example.com", password: 7 }) }), 400],
        ["unknown fields", post({ headers: { "content-type": "application/json" }, body: JSON.stringify({ email: "n@example.com", password: "x", role: "owner" }) }), 400],
        ["64 KiB body", post({ headers: { "content-type": "application/json" }, body: JSON.stringify({ email: "n@example.com", password: "x".repeat(64 * 1024) }) }), 413],
        ["no Origin", fetch(`${server.url}/auth/password`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: "n@example.com", password: "x" }) }), 403],
      ];
      for (const [name, reply, status] of cases) {
        const res = await reply;
        expect({ name, status: res.status }).toEqual({ name, status });
        expect((await res.text()).length, name).toBeGreaterThan(0);
      }
      expect(hashes()).toBe(0);
    },
  },
  {
    name: "a legacy scrypt hash is upgraded to argon2id on sign-in",
    async run({ server, createUser, signIn }) {
      const email = "legacy@example.com";
      await createUser(email, legacyScryptHash(PASSWORD));
      const stored = () => server.runtime.store.db.selectFrom("users").select("password_hash").where("email", "=", email).executeTakeFirstOrThrow();
      expect((await stored()).password_hash).toMatch(/^scrypt\$15\$/);
      expect(outcome(await signIn(email, PASSWORD, { peer: "127.0.1.9" }))).toBe("signed in");
      expect((await stored()).password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      expect(outcome(await signIn(email, PASSWORD, { peer: "127.0.1.9" }))).toBe("signed in");
      expect(outcome(await signIn(email, "not the password", { peer: "127.0.1.9" }))).toBe(401);
    },
  },
];

describe.each(DATABASE_KINDS)("sign-in under attack, real server (%s)", (kind) => {
  let server: TestServer;
  let agent: http.Agent;
  let start = 0;

  beforeAll(async () => {
    await buildIfStale(root);
    server = await startTestServer(kind, { WIF_TRUSTED_PROXIES: `${PROXY}/32` }, { console: true });
    agent = new http.Agent({ keepAlive: false });
  }, 900_000);
  afterAll(async () => {
    agent?.destroy();
    await server?.close();
  });

  const ctx: Ctx = {
    get server() {
      return server;
    },
    signIn: (email, password, from) =>
      postPasswordSignIn({ url: server.url, email, password, localAddress: from.peer, headers: from.headers, agent }),
    async createUser(email, passwordHash) {
      const now = new Date().toISOString();
      await server.runtime.store.db
        .insertInto("users")
        .values({ id: `user_${randomBytes(8).toString("hex")}`, organization_id: server.organizationId, email, name: email, password_hash: passwordHash ?? (await hashPassword(PASSWORD)), role: "admin", created_at: now, updated_at: now, disabled_at: null })
        .execute();
      start = passwordHashStats().computed;
    },
    hashes: () => passwordHashStats().computed - start,
  };

  it.each(attacks)("$name", async ({ run }) => {
    start = passwordHashStats().computed;
    await run(ctx);
  }, 120_000);
});
