/**
 * TOTP and recovery codes for local accounts, on SQLite and PostgreSQL: enrolment needs a
 * right code; the password step makes no session for an enrolled user; each time step and
 * each recovery code works once; wrong codes are counted per user; recovery codes are stored
 * only as hashes.
 */
import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate } from "otplib";
import { apiErrorOf } from "../../e2e/support/api-error";
import { keyringFrom } from "../core/secret-box";
import { DATABASE_KINDS, openTestStore, type TestStore } from "../../e2e/support/test-server";
import { hashPassword } from "./password";
import { beginTotpEnrolment, completeSecondFactor, confirmTotpEnrolment, removeOwnSecondFactor, sealPendingSignIn, SECOND_FACTOR_LIMITS, secondFactorStatus } from "./second-factor";
import type { SessionUser } from "./session";
import { checkPasswordSignIn, signIn } from "./sign-in";

const CLIENT = { ip: "198.51.100.9" };
const PASSWORD = "a long test passphrase";

describe.each(DATABASE_KINDS)("second factor on %s", (kind) => {
  let t: TestStore;
  const secrets = keyringFrom(randomBytes(32));
  let user: SessionUser;
  let secret = "";
  let codes: string[] = [];
  const now = () => Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    t = await openTestStore(kind);
    const orgId = t.ctx.principal.organizationId;
    const ts = new Date().toISOString();
    user = { id: "user_01TOTPTEST", organizationId: orgId, email: "tess@example.com", name: "Tess", role: "developer" };
    await t.store.db
      .insertInto("users")
      .values({ id: user.id, organization_id: orgId, email: user.email, name: user.name, password_hash: await hashPassword(PASSWORD), role: "developer", created_at: ts, updated_at: ts, disabled_at: null })
      .execute();
  });
  afterAll(() => t.close());

  const second = (code: string, at = Date.now()) => completeSecondFactor(t.store, secrets, user.organizationId, sealPendingSignIn(secrets, user.id, "/rules", at).value, { code }, CLIENT);

  it("enrols only with a right code, then stores ten recovery codes as SHA-256 hashes", async () => {
    const enrolment = await beginTotpEnrolment(t.store.db, secrets, user);
    secret = enrolment.secret;
    expect(enrolment.qrDataUrl).toMatch(/^data:image\/png;base64,/);
    expect(enrolment.otpauthUri).toContain(`secret=${secret}`);
    const stored = await t.store.db.selectFrom("users").select("totp_secret_sealed").where("id", "=", user.id).executeTakeFirstOrThrow();
    expect(stored.totp_secret_sealed).not.toContain(secret);

    expect((await apiErrorOf(confirmTotpEnrolment(t.store.db, secrets, user, { code: "123456" }))).field).toBe("code");
    codes = (await confirmTotpEnrolment(t.store.db, secrets, user, { code: await generate({ secret }) })).recoveryCodes;
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(c).toMatch(/^[0-9a-z]{4}(-[0-9a-z]{4}){3}$/);
    const hashes = await t.store.db.selectFrom("user_recovery_codes").select("code_hash").where("user_id", "=", user.id).execute();
    expect(hashes.map((h) => h.code_hash).sort()).toEqual(codes.map((c) => createHash("sha256").update(c.replace(/-/g, "")).digest("hex")).sort());
  });

  it("the password step makes no session for an enrolled user, and the one-step sign-in refuses them", async () => {
    const before = await t.store.db.selectFrom("sessions").select("id_hash").execute();
    const checked = await checkPasswordSignIn(t.store, user.organizationId, { email: user.email, password: PASSWORD }, CLIENT);
    expect(checked.secondFactor).toBe(true);
    expect(await t.store.db.selectFrom("sessions").select("id_hash").execute()).toHaveLength(before.length);
    expect((await apiErrorOf(signIn(t.store, user.organizationId, { email: user.email, password: PASSWORD }, CLIENT))).status).toBe(401);
  });

  type Attack = { name: string; run: () => Promise<unknown>; status: number };
  const attacks: Attack[] = [
    { name: "a wrong code", run: () => second("000000"), status: 401 },
    {
      name: "the code already used at enrolment (replay of a time step)",
      run: async () => {
        const { totp_last_step } = await t.store.db.selectFrom("users").select("totp_last_step").where("id", "=", user.id).executeTakeFirstOrThrow();
        return second(await generate({ secret, epoch: totp_last_step! * 30 }));
      },
      status: 401,
    },
    { name: "a code from two steps ago", run: async () => second(await generate({ secret, epoch: now() - 90 })), status: 401 },
    { name: "no pending sign-in cookie", run: () => completeSecondFactor(t.store, secrets, user.organizationId, undefined, { code: "123456" }, CLIENT), status: 401 },
    { name: "an expired pending sign-in", run: () => second("123456", Date.now() - 10 * 60 * 1000), status: 401 },
    { name: "a forged pending sign-in", run: () => completeSecondFactor(t.store, secrets, user.organizationId, "v1.abc.def.ghi.jkl", { code: "123456" }, CLIENT), status: 401 },
    { name: "an unknown recovery code", run: () => second("aaaa-bbbb-cccc-dddd"), status: 401 },
  ];
  it.each(attacks)("refuses $name", async ({ run, status }) => {
    const sessions = (await t.store.db.selectFrom("sessions").select("id_hash").execute()).length;
    expect((await apiErrorOf(run())).status).toBe(status);
    expect(await t.store.db.selectFrom("sessions").select("id_hash").execute()).toHaveLength(sessions);
  });

  it("signs in with the next step's code, once", async () => {
    const code = await generate({ secret, epoch: now() + 30 });
    const done = await second(code);
    expect(done.user.id).toBe(user.id);
    expect(done.returnTo).toBe("/rules");
    expect((await apiErrorOf(second(code))).status).toBe(401);
  });

  it("a recovery code works once, and its use is audited", async () => {
    const done = await second(codes[0]!.toUpperCase());
    expect(done.sessionId).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await apiErrorOf(second(codes[0]!))).status).toBe(401);
    const audit = await t.store.db.selectFrom("audit_events").select("detail").where("action", "=", "user.recovery_code_used").where("target_id", "=", user.id).execute();
    expect(audit.map((a) => JSON.parse(a.detail!))).toEqual([expect.objectContaining({ codes_left: 9 })]);
  });

  it(`counts wrong codes per user: past ${SECOND_FACTOR_LIMITS.perUser}, even a right one is refused`, async () => {
    for (let i = 0; i < SECOND_FACTOR_LIMITS.perUser; i++) await apiErrorOf(second("111111"));
    const err = await apiErrorOf(second(codes[1]!));
    expect(err.status).toBe(429);
  });
});

/**
 * Removing one's own factor needs a current code or a recovery code: a session alone (left
 * open, or stolen) cannot strip the account of it. Each refusal leaves the factor on.
 */
describe.each(DATABASE_KINDS)("removing one's own second factor on %s", (kind) => {
  let t: TestStore;
  const secrets = keyringFrom(randomBytes(32));
  let user: SessionUser;
  let secret = "";
  let codes: string[] = [];

  beforeAll(async () => {
    t = await openTestStore(kind);
    const ts = new Date().toISOString();
    user = { id: "user_01TOTPREMOVE", organizationId: t.ctx.principal.organizationId, email: "rem@example.com", name: "Rem", role: "viewer" };
    await t.store.db
      .insertInto("users")
      .values({ id: user.id, organization_id: user.organizationId, email: user.email, name: user.name, password_hash: await hashPassword(PASSWORD), role: "viewer", created_at: ts, updated_at: ts, disabled_at: null })
      .execute();
    secret = (await beginTotpEnrolment(t.store.db, secrets, user)).secret;
    codes = (await confirmTotpEnrolment(t.store.db, secrets, user, { code: await generate({ secret }) })).recoveryCodes;
  });
  afterAll(() => t.close());

  const enabled = async () => (await secondFactorStatus(t.store.db, user.id)).enabled;
  const remove = (input: unknown) => removeOwnSecondFactor(t.store, secrets, user, input);

  const refusals: Array<{ name: string; input: () => Promise<unknown> | unknown }> = [
    { name: "no code at all", input: () => ({}) },
    { name: "an empty code", input: () => ({ code: "" }) },
    { name: "a wrong six-digit code", input: () => ({ code: "000000" }) },
    { name: "the code already spent at enrolment (a replayed time step)", input: async () => ({ code: await generate({ secret }) }) },
    { name: "an unknown recovery code", input: () => ({ code: "aaaa-bbbb-cccc-dddd" }) },
  ];
  it.each(refusals)("refuses $name and keeps the factor on", async ({ input }) => {
    const err = await apiErrorOf(remove(await input()));
    expect(err.status).toBe(400);
    expect(err.field).toBe("code");
    expect(await enabled()).toBe(true);
  });

  it("removes it with a recovery code, audited, and the recovery codes go with it", async () => {
    await remove({ code: codes[3]! });
    expect(await enabled()).toBe(false);
    expect(await t.store.db.selectFrom("user_recovery_codes").select("code_hash").where("user_id", "=", user.id).execute()).toHaveLength(0);
    const audit = await t.store.db.selectFrom("audit_events").select(["actor_id", "target_id"]).where("action", "=", "user.second_factor_removed").execute();
    expect(audit).toEqual([{ actor_id: user.id, target_id: user.id }]);
  });

  it("removes it with the next step's code after enrolling again", async () => {
    secret = (await beginTotpEnrolment(t.store.db, secrets, user)).secret;
    await confirmTotpEnrolment(t.store.db, secrets, user, { code: await generate({ secret }) });
    await remove({ code: await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 }) });
    expect(await enabled()).toBe(false);
  });
});
