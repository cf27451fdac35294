/**
 * Queries on the token path, written once with Kysely and compiled once per store. Building
 * and compiling a Kysely query costs more than running it on SQLite (measured: ~150 µs for
 * the rule lookup against ~5 µs for the prepared statement), so the hot path compiles at
 * start and only binds values per request.
 *
 * One builder, both dialects: on SQLite the compiled SQL becomes a better-sqlite3 statement
 * prepared once and run synchronously — reads on the committer's connection, which sees
 * committed data only and needs no lock (a read runs to completion before anything else can
 * use it, and no batch is ever open across turns of the event loop), or, for an in-memory
 * database, while holding Kysely's connection (so it never lands inside another caller's
 * open transaction); on PostgreSQL the compiled query runs on the pool as a named prepared
 * statement (parsed and planned once per connection, where Kysely's path would send the text
 * each time and add its own connection hand-off per query).
 */
import { createHash } from "node:crypto";
import type BetterSqlite3 from "better-sqlite3";
import type { Compilable, CompiledQuery, Kysely } from "kysely";
import type { Store } from "./db";
import type { Database } from "./schema";
import { NothingChanged, type WriteStep } from "./sqlite-committer";

/**
 * Marks a named parameter while the query compiles. Values are bound by position afterwards,
 * so no request input can be mistaken for a parameter.
 */
const PLACEHOLDER = "\u0000wif-param:";

/** Stand-ins for a query's named parameters: `p.ruleId` compiles to a bound parameter. */
export type Params<P> = { readonly [K in keyof P]: P[K] };

type Slot<P> = { param: keyof P } | { constant: unknown };

export class PreparedQuery<P extends Record<string, unknown>, R> {
  readonly #store: Store;
  readonly #compiled: CompiledQuery<R>;
  readonly #slots: ReadonlyArray<Slot<P>>;
  #statement: BetterSqlite3.Statement<unknown[], R> | undefined;
  /** PostgreSQL: the prepared statement's name, from its text (one text, one name, on every connection). */
  readonly #name: string;

  constructor(store: Store, build: (db: Kysely<Database>, params: Params<P>) => Compilable<R>) {
    this.#store = store;
    const params = new Proxy({}, { get: (_target, key) => PLACEHOLDER + String(key) }) as Params<P>;
    this.#compiled = build(store.db, params).compile();
    this.#name = `wif_${createHash("sha256").update(this.#compiled.sql).digest("hex").slice(0, 24)}`;
    this.#slots = this.#compiled.parameters.map((value) =>
      typeof value === "string" && value.startsWith(PLACEHOLDER) ? { param: value.slice(PLACEHOLDER.length) as keyof P } : { constant: value },
    );
  }

  get sql(): string {
    return this.#compiled.sql;
  }

  /** The parameter values in the compiled query's order. */
  #bind(values: P): unknown[] {
    return this.#slots.map((slot) => {
      if ("constant" in slot) return slot.constant;
      const value = values[slot.param];
      if (value === undefined) throw new Error(`prepared query: no value for parameter ${String(slot.param)}`);
      return value;
    });
  }

  /** SQLite: the statement, prepared on first use (a store reads through one connection: the committer's, or Kysely's, held). */
  #sqliteStatement(sqlite: BetterSqlite3.Database): BetterSqlite3.Statement<unknown[], R> {
    this.#statement ??= sqlite.prepare<unknown[], R>(this.#compiled.sql);
    return this.#statement;
  }

  /** The compiled query with `values` bound, for Kysely. */
  #compiledWith(values: P): CompiledQuery<R> {
    return { ...this.#compiled, parameters: this.#bind(values) };
  }

  async all(values: P): Promise<R[]> {
    const { committer, sqlite } = this.#store;
    if (committer) return this.#sqliteStatement(committer.connection).all(...this.#bind(values));
    if (sqlite) return withConnection(this.#store, () => this.#sqliteStatement(sqlite).all(...this.#bind(values)));
    return this.#postgres(values);
  }

  async first(values: P): Promise<R | undefined> {
    const { committer, sqlite } = this.#store;
    if (committer) return this.#sqliteStatement(committer.connection).get(...this.#bind(values));
    if (sqlite) return withConnection(this.#store, () => this.#sqliteStatement(sqlite).get(...this.#bind(values)));
    return (await this.#postgres(values))[0];
  }

  async #postgres(values: P): Promise<R[]> {
    const pool = this.#store.pgPool;
    if (!pool) return (await this.#store.db.executeQuery(this.#compiledWith(values))).rows;
    return (await pool.query<R & object>({ name: this.#name, text: this.#compiled.sql, values: this.#bind(values) })).rows;
  }

  async run(values: P): Promise<void> {
    await transaction(this.#store, [this.with(values)]);
  }

  /**
   * This query with `values`, to run as one step of `transaction`. Write values are strings,
   * numbers or null: the schema has no other column types.
   */
  with(values: P): BoundQuery {
    return { sql: this.#compiled.sql, params: this.#bind(values) as WriteStep["params"], mustChange: false, compiled: () => this.#compiledWith(values) };
  }

  /**
   * This insert with `values` as a step that must write its row: an `ON CONFLICT DO NOTHING`
   * insert that found its key taken abandons the transaction with `NothingChanged`. Cheaper
   * than a unique violation (no statement to roll back), and the same on both databases.
   */
  claim(values: P): BoundQuery {
    return { ...this.with(values), mustChange: true };
  }
}

/** One write of a transaction: a prepared query and its values (SQLite's form, and Kysely's). */
export interface BoundQuery extends WriteStep {
  compiled(): CompiledQuery<unknown>;
}

export { NothingChanged };

/**
 * Run `steps` in order as ONE transaction: all of them or none, committed when the promise
 * resolves. On a SQLite file, the committer group-commits them (sqlite-committer.ts); on an
 * in-memory SQLite database (one connection, tests) they run here; on PostgreSQL each is its
 * own Kysely transaction.
 */
export async function transaction(store: Store, steps: BoundQuery[]): Promise<void> {
  if (store.committer) return store.committer.submit(steps);
  const sqlite = store.sqlite;
  if (sqlite) {
    return withConnection(store, () =>
      sqlite.transaction(() => {
        for (const step of steps) {
          if (sqlite.prepare(step.sql).run(...step.params).changes === 0 && step.mustChange) throw new NothingChanged();
        }
      })(),
    );
  }
  await store.db.transaction().execute(async (trx) => {
    for (const step of steps) {
      const { numAffectedRows } = await trx.executeQuery(step.compiled());
      if (step.mustChange && !numAffectedRows) throw new NothingChanged();
    }
  });
}

/**
 * Run synchronous work on the SQLite connection while holding Kysely's connection lock:
 * Kysely drives the same single connection, and its transactions span awaits, so a
 * statement run outside the lock could execute inside someone else's transaction.
 */
function withConnection<T>(store: Store, work: () => T): Promise<T> {
  // The executor's own lock; `db.connection()` would also build a Kysely instance per call.
  return store.db.getExecutor().provideConnection(async () => work());
}
