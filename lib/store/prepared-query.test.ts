/**
 * Prepared queries on both databases: named parameters bound in the compiled order next to
 * the builder's own constants, and transactions that are all or nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, DATABASE_KINDS } from "../../e2e/support/test-server";
import { openStore, type Store } from "./db";
import { NothingChanged, PreparedQuery, transaction, type Params } from "./prepared-query";

describe.each(DATABASE_KINDS)("prepared queries (%s)", (kind) => {
  let store: Store;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const database = await createTestDatabase(kind);
    drop = database.drop;
    store = await openStore(kind === "sqlite" ? { kind, file: database.url.slice("file:".length) } : { kind, url: database.url });
  });
  afterAll(async () => {
    await store?.close();
    await drop?.();
  });

  const insertJti = () =>
    new PreparedQuery(store, (db, p: Params<{ issuer: string; jti: string; expires: string }>) =>
      db.insertInto("used_jtis").values({ issuer_id: p.issuer, jti: p.jti, expires_at: p.expires }),
    );

  it("binds named parameters in the compiled order, beside the builder's constants, and reuses the statement", async () => {
    const insert = insertJti();
    await insert.run({ issuer: "fdis_a", jti: "one", expires: "2030-01-01T00:00:00.000Z" });
    await insert.run({ issuer: "fdis_a", jti: "two", expires: "2031-01-01T00:00:00.000Z" });
    await insert.run({ issuer: "fdis_b", jti: "one", expires: "2032-01-01T00:00:00.000Z" });
    // `expires` appears before `issuer` in the SQL, and a constant sits between them.
    const find = new PreparedQuery(store, (db, p: Params<{ issuer: string; after: string }>) =>
      db.selectFrom("used_jtis").select(["issuer_id", "jti"]).where("expires_at", ">", p.after).where("jti", "!=", "two").where("issuer_id", "=", p.issuer).orderBy("jti"),
    );
    expect(await find.all({ issuer: "fdis_a", after: "2000-01-01" })).toEqual([{ issuer_id: "fdis_a", jti: "one" }]);
    expect(await find.all({ issuer: "fdis_b", after: "2000-01-01" })).toEqual([{ issuer_id: "fdis_b", jti: "one" }]);
    expect(await find.first({ issuer: "fdis_b", after: "2033-01-01" })).toBeUndefined();
    const sql = find.sql;
    await find.first({ issuer: "fdis_a", after: "2000-01-01" });
    expect(find.sql).toBe(sql);
  });

  it("refuses to run with a parameter missing", async () => {
    const insert = insertJti();
    await expect(insert.run({ issuer: "fdis_a", jti: "three" } as never)).rejects.toThrow(/no value for parameter expires/);
  });

  it("runs a transaction's steps all or none", async () => {
    const insert = insertJti();
    const expires = "2030-01-01T00:00:00.000Z";
    await expect(
      transaction(store, [insert.with({ issuer: "fdis_tx", jti: "kept?", expires }), insert.with({ issuer: "fdis_a", jti: "one", expires })]),
    ).rejects.toMatchObject({ code: expect.stringMatching(/^(SQLITE_CONSTRAINT_PRIMARYKEY|23505)$/) });
    const rows = await store.db.selectFrom("used_jtis").select("jti").where("issuer_id", "=", "fdis_tx").execute();
    expect(rows).toEqual([]);
    await transaction(store, [insert.with({ issuer: "fdis_tx", jti: "a", expires }), insert.with({ issuer: "fdis_tx", jti: "b", expires })]);
    expect(await store.db.selectFrom("used_jtis").select("jti").where("issuer_id", "=", "fdis_tx").orderBy("jti").execute()).toEqual([{ jti: "a" }, { jti: "b" }]);
  });

  it("keeps transactions submitted together independent: one failing late rolls back alone", async () => {
    const insert = insertJti();
    const expires = "2030-01-01T00:00:00.000Z";
    // Started in the same turn, so SQLite commits them as one group.
    const [first, failing, last] = await Promise.allSettled([
      transaction(store, [insert.with({ issuer: "fdis_group", jti: "first", expires })]),
      transaction(store, [insert.with({ issuer: "fdis_group", jti: "written-then-undone", expires }), insert.with({ issuer: "fdis_a", jti: "one", expires })]),
      transaction(store, [insert.with({ issuer: "fdis_group", jti: "last", expires })]),
    ]);
    expect([first.status, failing.status, last.status]).toEqual(["fulfilled", "rejected", "fulfilled"]);
    const rows = await store.db.selectFrom("used_jtis").select("jti").where("issuer_id", "=", "fdis_group").orderBy("jti").execute();
    expect(rows).toEqual([{ jti: "first" }, { jti: "last" }]);
  });

  it("abandons a transaction whose claimed row exists, writing none of it, while the others commit", async () => {
    const insert = insertJti();
    const claim = new PreparedQuery(store, (db, p: Params<{ issuer: string; jti: string; expires: string }>) =>
      db.insertInto("used_jtis").values({ issuer_id: p.issuer, jti: p.jti, expires_at: p.expires }).onConflict((oc) => oc.columns(["issuer_id", "jti"]).doNothing()),
    );
    const expires = "2030-01-01T00:00:00.000Z";
    await claim.run({ issuer: "fdis_claim", jti: "taken", expires });
    const [before, refused, after] = await Promise.allSettled([
      transaction(store, [claim.claim({ issuer: "fdis_claim", jti: "fresh-1", expires }), insert.with({ issuer: "fdis_claim_rest", jti: "1", expires })]),
      transaction(store, [claim.claim({ issuer: "fdis_claim", jti: "taken", expires }), insert.with({ issuer: "fdis_claim_rest", jti: "never", expires })]),
      transaction(store, [claim.claim({ issuer: "fdis_claim", jti: "fresh-2", expires }), insert.with({ issuer: "fdis_claim_rest", jti: "2", expires })]),
    ]);
    expect([before.status, after.status]).toEqual(["fulfilled", "fulfilled"]);
    expect(refused.status === "rejected" && refused.reason).toBeInstanceOf(NothingChanged);
    const rest = await store.db.selectFrom("used_jtis").select("jti").where("issuer_id", "=", "fdis_claim_rest").orderBy("jti").execute();
    expect(rest).toEqual([{ jti: "1" }, { jti: "2" }]);
  });
});
