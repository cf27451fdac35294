import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureOrganization } from "../services/organization";
import type { ApiError } from "../core/errors";
import { apiErrorOf } from "../../e2e/support/api-error";
import { createTestDatabase } from "../../e2e/support/test-server";
import { openStore, type Store } from "../store/db";
import { passwordHashStats } from "./password";
import { findSessionUser } from "./session";
import { completeSetup, SIGN_IN_FAILED, SIGN_IN_LIMITS, signIn } from "./sign-in";
import { issueSetupCode } from "./setup-code";

let store: Store;
let orgId: string;

beforeAll(async () => {
  store = await openStore({ kind: "sqlite", file: ":memory:" });
  orgId = (await ensureOrganization(store.db)).id;
});
afterAll(() => store.close());

const owner = { email: "Owner@Example.com", name: "Ada Owner", password: "a long enough password" };

describe("first-run setup", () => {
  it("refuses a wrong code, then creates the owner with the right one, once", async () => {
    const code = (await issueSetupCode(store.db))!;
    expect(code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);

    const wrong = await apiErrorOf(completeSetup(store, orgId, { ...owner, code: "AAAA-AAAA-AAAA-AAAA" }, { ip: "198.51.100.1" }));
    expect(wrong.status).toBe(400);
    expect(wrong.field).toBe("code");

    const done = await completeSetup(store, orgId, { ...owner, code: code.toLowerCase() }, { ip: "198.51.100.1" });
    expect(done.user).toMatchObject({ email: "owner@example.com", role: "owner" });
    expect((await findSessionUser(store.db, done.sessionId))?.id).toBe(done.user.id);

    const again = await apiErrorOf(completeSetup(store, orgId, { ...owner, email: "second@example.com", code }, { ip: "198.51.100.1" }));
    expect(again.status).toBe(409);
    expect(await issueSetupCode(store.db)).toBeUndefined();
  });
});

describe("sign-in", () => {
  it("answers an unknown user and a wrong password with the same message", async () => {
    const unknown = await apiErrorOf(signIn(store, orgId, { email: "nobody@example.com", password: "whatever password" }, { ip: "198.51.100.2" }));
    const wrong = await apiErrorOf(signIn(store, orgId, { email: owner.email, password: "not the password" }, { ip: "198.51.100.2" }));
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(unknown.message).toBe(SIGN_IN_FAILED);
    expect(wrong.message).toBe(SIGN_IN_FAILED);
  });

  it("signs in with the right password, matching the email case-insensitively", async () => {
    const ok = await signIn(store, orgId, { email: " OWNER@example.com ", password: owner.password }, { ip: "198.51.100.3" });
    expect(ok.user.role).toBe("owner");
    expect(ok.sessionId).toHaveLength(43);
  });

  it("locks an email after too many failures for the clients that failed, even with the right password", async () => {
    const email = "owner@example.com";
    for (let i = 0; i < SIGN_IN_LIMITS.perEmail; i++) {
      await apiErrorOf(signIn(store, orgId, { email, password: `wrong ${i}` }, { ip: `192.0.2.${i}` }));
    }
    const limited = await apiErrorOf(signIn(store, orgId, { email, password: owner.password }, { ip: "192.0.2.1" }));
    expect(limited.status).toBe(429);
    expect(limited.message).toMatch(/^Too many attempts, try again in \d+ minutes?$/);
    // A client that has not tried this email is still heard.
    expect((await signIn(store, orgId, { email, password: owner.password }, { ip: "192.0.2.200" })).user.role).toBe("owner");
  });

  it("limits attempts per client address across emails", async () => {
    for (let i = 0; i < SIGN_IN_LIMITS.perClient; i++) {
      await apiErrorOf(signIn(store, orgId, { email: `guess${i}@example.com`, password: "x" }, { ip: "203.0.113.7" }));
    }
    const limited = await apiErrorOf(signIn(store, orgId, { email: "another@example.com", password: "x" }, { ip: "203.0.113.7" }));
    expect(limited.status).toBe(429);
  }, 60_000);
});

describe("sign-in limits shared by instances on one PostgreSQL database", () => {
  let database: { url: string; drop(): Promise<void> };
  let instances: Store[] = [];
  beforeAll(async () => {
    database = await createTestDatabase("postgres");
    instances = [await openStore({ kind: "postgres", url: database.url }), await openStore({ kind: "postgres", url: database.url })];
  });
  afterAll(async () => {
    await Promise.all(instances.map((s) => s.close()));
    await database?.drop();
  });

  it("counts a burst spread over two instances once: no more passwords are checked than one instance allows", async () => {
    const org = (await ensureOrganization(instances[0]!.db)).id;
    const before = passwordHashStats().computed;
    const replies = await Promise.allSettled(
      Array.from({ length: 40 }, (_, i) => signIn(instances[i % 2]!, org, { email: "shared@example.com", password: `guess ${i}` }, { ip: "198.51.100.50" })),
    );
    const statuses = replies.map((r) => (r.status === "rejected" ? (r.reason as ApiError).status : 200));
    expect(statuses.filter((s) => s === 401)).toHaveLength(SIGN_IN_LIMITS.perEmailAndClient);
    expect(statuses.filter((s) => s === 429)).toHaveLength(40 - SIGN_IN_LIMITS.perEmailAndClient);
    expect(passwordHashStats().computed - before).toBe(SIGN_IN_LIMITS.perEmailAndClient);
    // The counts live in the database, not in either process.
    const { rows } = await instances[1]!.pgPool!.query<{ n: string }>("select count(*) as n from rate_limits");
    expect(Number(rows[0]!.n)).toBeGreaterThan(0);
  });
});
