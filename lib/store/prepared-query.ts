/**
 * Queries on the token path, written once with Kysely and compiled once per store. Building
 * and compiling a Kysely query costs more than running it on SQLite (measured: ~150 µs for
 * the rule lookup against ~5 µs for the prepared statement), so the hot path compiles at
 * start and only binds values per request.
 *
 * One builder, both dialects: on SQLite the compiled SQL becomes a better-sqlite3 statement
 * prepared once and run synchronously while holding Kysely's connection (so it never lands
 * inside another caller's open transaction on that single connection); on PostgreSQL the
 * compiled query runs through Kysely with the values bound.
 */
import type BetterSqlite3 from "better-sqlite3";
import type { Compilable, CompiledQuery, Kysely } from "kysely";
import type { Store } from "./db";
import type { Database } from "./schema";

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

  constructor(store: Store, build: (db: Kysely<Database>, params: Params<P>) => Compilable<R>) {
    this.#store = store;
    const params = new Proxy({}, { get: (_target, key) => PLACEHOLDER + String(key) }) as Params<P>;
    this.#compiled = build(store.db, params).compile();
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

  /** SQLite: the statement, prepared on first use. Call only while holding the connection. */
  #sqliteStatement(sqlite: BetterSqlite3.Database): BetterSqlite3.Statement<unknown[], R> {
    this.#statement ??= sqlite.prepare<unknown[], R>(this.#compiled.sql);
    return this.#statement;
  }

  /** The compiled query with `values` bound, for Kysely. */
  #compiledWith(values: P): CompiledQuery<R> {
    return { ...this.#compiled, parameters: this.#bind(values) };
  }

  async all(values: P): Promise<R[]> {
    const sqlite = this.#store.sqlite;
    if (sqlite) return withConnection(this.#store, () => this.#sqliteStatement(sqlite).all(...this.#bind(values)));
    return (await this.#store.db.executeQuery(this.#compiledWith(values))).rows;
  }

  async first(values: P): Promise<R | undefined> {
    const sqlite = this.#store.sqlite;
    if (sqlite) return withConnection(this.#store, () => this.#sqliteStatement(sqlite).get(...this.#bind(values)));
    return (await this.#store.db.executeQuery(this.#compiledWith(values))).rows[0];
  }

  async run(values: P): Promise<void> {
    await transaction(this.#store, [this.with(values)]);
  }

  /** This query with `values`, to run as one step of `transaction`. */
  with(values: P): BoundQuery {
    return {
      runSqlite: (sqlite) => this.#sqliteStatement(sqlite).run(...this.#bind(values)).changes,
      compiled: () => this.#compiledWith(values),
      mustChange: false,
    };
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

/** One write of a transaction: a prepared query and its values. */
export interface BoundQuery {
  /** Runs the step; returns the number of rows it changed. */
  runSqlite(sqlite: BetterSqlite3.Database): number;
  compiled(): CompiledQuery<unknown>;
  /** Whether changing no row abandons the transaction (`claim`). */
  mustChange: boolean;
}

/** A `claim` step changed nothing (its key was taken): the transaction was not applied. */
export class NothingChanged extends Error {
  constructor() {
    super("a claimed row already exists; the transaction was not applied");
  }
}

function runSteps(sqlite: BetterSqlite3.Database, steps: BoundQuery[]): void {
  for (const step of steps) {
    if (step.runSqlite(sqlite) === 0 && step.mustChange) throw new NothingChanged();
  }
}

/**
 * Run `steps` in order as ONE transaction: all of them or none, committed when the promise
 * resolves. On SQLite, transactions submitted in the same turn of the event loop are
 * group-committed (see `GroupCommit`); on PostgreSQL each is its own Kysely transaction.
 */
export async function transaction(store: Store, steps: BoundQuery[]): Promise<void> {
  const sqlite = store.sqlite;
  if (sqlite) return groupCommitFor(store, sqlite).submit(steps);
  await store.db.transaction().execute(async (trx) => {
    for (const step of steps) {
      const { numAffectedRows } = await trx.executeQuery(step.compiled());
      if (step.mustChange && !numAffectedRows) throw new NothingChanged();
    }
  });
}

interface Pending {
  steps: BoundQuery[];
  resolve(): void;
  reject(err: unknown): void;
  error?: unknown;
}

/**
 * Group commit for SQLite. Every commit rewrites each page it dirtied into the WAL, and the
 * pages a grant touches (table tails, index tails) are mostly the same pages the previous
 * grant touched; so the transactions submitted while the event loop is busy are written as
 * one SQLite transaction.
 *
 * Each still applies all or nothing, without a savepoint per transaction (measured: the
 * savepoint's statement journal was a third of a grant's write cost). A transaction whose
 * FIRST step fails wrote nothing — SQLite undoes a failed statement — so it is rejected
 * alone and the group goes on; this is the common failure, a `claim` on a consumed `jti`.
 * If a later step fails, the group is rolled back and each transaction is applied on its
 * own, so only the failing one is rejected. No caller hears of success before the commit
 * that holds its writes.
 */
class GroupCommit {
  readonly #store: Store;
  #queue: Pending[] = [];
  #scheduled = false;
  readonly #runGroup: (group: Pending[]) => void;
  readonly #runAlone: (steps: BoundQuery[]) => void;

  constructor(store: Store, sqlite: BetterSqlite3.Database) {
    this.#store = store;
    this.#runGroup = sqlite.transaction((group: Pending[]) => {
      for (const pending of group) {
        try {
          runSteps(sqlite, pending.steps.slice(0, 1));
        } catch (err) {
          pending.error = err; // its only write failed, so nothing of it is in the group
          continue;
        }
        runSteps(sqlite, pending.steps.slice(1)); // a failure here rolls the whole group back
      }
    });
    this.#runAlone = sqlite.transaction((steps: BoundQuery[]) => runSteps(sqlite, steps));
  }

  submit(steps: BoundQuery[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ steps, resolve, reject });
      if (this.#scheduled) return;
      this.#scheduled = true;
      // After this turn's I/O callbacks, so the requests that finished together commit together.
      setImmediate(() => void this.#flush());
    });
  }

  async #flush(): Promise<void> {
    let group: Pending[] = [];
    try {
      await withConnection(this.#store, () => {
        // Whatever queued while the lock was awaited joins this group; later submissions schedule the next.
        group = this.#take();
        try {
          this.#runGroup(group);
        } catch {
          // Rolled back: one transaction failed after writing, or the commit failed. Apply each alone.
          for (const pending of group) {
            pending.error = undefined;
            try {
              this.#runAlone(pending.steps);
            } catch (err) {
              pending.error = err;
            }
          }
        }
      });
    } catch (err) {
      // The lock could not be had: nothing was taken or written.
      for (const pending of this.#take()) pending.reject(err);
      return;
    }
    for (const pending of group) {
      if (pending.error === undefined) pending.resolve();
      else pending.reject(pending.error);
    }
  }

  #take(): Pending[] {
    const group = this.#queue;
    this.#queue = [];
    this.#scheduled = false;
    return group;
  }
}

const groupCommits = new WeakMap<Store, GroupCommit>();

function groupCommitFor(store: Store, sqlite: BetterSqlite3.Database): GroupCommit {
  let group = groupCommits.get(store);
  if (!group) {
    group = new GroupCommit(store, sqlite);
    groupCommits.set(store, group);
  }
  return group;
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
