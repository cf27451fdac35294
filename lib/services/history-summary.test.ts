/**
 * The history's chart and breakdowns, aggregated in SQL on both databases: exchanges per time
 * bucket by outcome, denials by reason, exchanges by rule, every one under the list's filters.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS, openTestStore, type TestStore } from "../../e2e/support/test-server";
import { summarizeAuthEvents } from "./history";

describe.each(DATABASE_KINDS)("summarizeAuthEvents (%s)", (kind) => {
  let t: TestStore;
  const T0 = Date.parse("2026-03-01T10:00:00.000Z");
  const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

  beforeAll(async () => {
    t = await openTestStore(kind);
    const org = t.ctx.principal.organizationId;
    const rows: Array<[number, "granted" | "denied", string | null, string | null]> = [
      [0, "granted", null, "fdrl_A"],
      [1, "denied", "match_subject_prefix", "fdrl_A"],
      [1, "denied", "match_subject_prefix", "fdrl_B"],
      [2, "denied", "token_expired", "fdrl_A"],
      [5, "granted", null, "fdrl_B"],
      [5, "granted", null, "fdrl_A"],
    ];
    await t.store.db
      .insertInto("auth_events")
      .values(
        rows.map(([minute, outcome, reason, rule], i) => ({
          id: `authev_${String(i).padStart(26, "0")}`,
          organization_id: org,
          occurred_at: at(minute),
          request_id: `req_${i}`,
          outcome,
          reason,
          detail: null,
          federation_rule_id: rule,
          issuer_id: null,
          service_account_id: null,
          workspace_id: null,
          subject: "repo:acme/app:ref:refs/heads/main",
          claims: null,
          claims_verified: 0,
          access_token_id: null,
          client_ip: null,
        })),
      )
      .execute();
  });
  afterAll(async () => t?.close());

  it("counts granted and denied per minute over the range, empty minutes included", async () => {
    const s = await summarizeAuthEvents(t.ctx, {});
    expect(s.bucketSeconds).toBe(60);
    expect(s.x).toEqual([0, 1, 2, 3, 4, 5].map((m) => (T0 + m * 60_000) / 1000));
    expect(s.granted).toEqual([1, 0, 0, 0, 0, 2]);
    expect(s.denied).toEqual([0, 2, 1, 0, 0, 0]);
    expect(s.totals).toEqual({ granted: 3, denied: 3 });
  });

  it("breaks denials down by reason and exchanges by rule, most first", async () => {
    const s = await summarizeAuthEvents(t.ctx, {});
    expect(s.byReason).toEqual([
      { reason: "match_subject_prefix", title: "Subject does not match", count: 2 },
      { reason: "token_expired", title: "Token expired", count: 1 },
    ]);
    expect(s.byRule).toEqual([
      { ruleId: "fdrl_A", name: null, granted: 2, denied: 2 },
      { ruleId: "fdrl_B", name: null, granted: 1, denied: 1 },
    ]);
  });

  it("applies the list's filters to the chart and both breakdowns", async () => {
    const s = await summarizeAuthEvents(t.ctx, { federation_rule_id: "fdrl_B" });
    expect(s.totals).toEqual({ granted: 1, denied: 1 });
    expect(s.byReason).toEqual([{ reason: "match_subject_prefix", title: "Subject does not match", count: 1 }]);
    expect(s.byRule.map((r) => r.ruleId)).toEqual(["fdrl_B"]);
    const denied = await summarizeAuthEvents(t.ctx, { outcome: "denied", since: at(2) });
    expect(denied.totals).toEqual({ granted: 0, denied: 1 });
    expect(denied.byReason.map((r) => r.reason)).toEqual(["token_expired"]);
  });

  it("is empty when nothing matches", async () => {
    expect(await summarizeAuthEvents(t.ctx, { reason: "jti_reused" })).toMatchObject({ x: [], byReason: [], byRule: [], totals: { granted: 0, denied: 0 } });
  });
});
