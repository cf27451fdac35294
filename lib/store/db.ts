/**
 * Opens the database (SQLite by default, PostgreSQL for several instances) and brings its
 * schema up to date. Migrations run at start under Kysely's migration lock, so several
 * instances starting against one PostgreSQL database apply each migration once.
 */
import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import pg from "pg";
import { CompiledQuery, Kysely, Migrator, PostgresDialect, SqliteDialect, type DatabaseConnection, type Driver, type Migration, type MigrationProvider, type SqliteDatabase, type Transaction } from "kysely";
import type { Config } from "../config";
import type { Database } from "./schema";
import * as m0001 from "./migrations/0001-initial";
import * as m0002 from "./migrations/0002-policy-version";
import * as m0003 from "./migrations/0003-rate-limits";
import * as m0005 from "./migrations/0005-gateway";
import * as m0006 from "./migrations/0006-issuer-poll-failure";
import * as m0007 from "./migrations/0007-api-key-expiry";
import * as m0008 from "./migrations/0008-policy-version-postgres";
import * as m0009 from "./migrations/0009-sso";
import * as m0010 from "./migrations/0010-retention";
import { startPostgresCommitter, type PostgresCommitter } from "./postgres-committer";
import { startCheckpointer } from "./sqlite-checkpointer";
import { startCommitter, type SqliteCommitter } from "./sqlite-committer";
import { statementCache } from "./statement-cache";
import { logger } from "../observability/log";

export type DatabaseKind = "sqlite" | "postgres";

/** A handle to query with: the store's Kysely instance, or a transaction open on it. */
export type Db = Kysely<Database> | Transaction<Database>;

export interface Store {
  db: Kysely<Database>;
  kind: DatabaseKind;
  /**
   * SQLite only: the connection Kysely drives, for hot paths that run prepared statements
   * synchronously (lib/store/prepared-query.ts). Use it only while holding Kysely's connection.
   */
  sqlite?: SQLite.Database;
  /**
   * SQLite file only: the token path's own connection (sqlite-committer.ts). `transaction()`
   * group-commits on it and prepared reads run on it (prepared-query.ts); it sees committed
   * data only, and a streamed export or an open transaction on Kysely's connection does not
   * hold it up.
   */
  committer?: SqliteCommitter;
  /** PostgreSQL only: the pool Kysely drives, for libraries that take one (sign-in and gateway rate limits) and the token path's prepared queries. */
  pgPool?: pg.Pool;
  /** PostgreSQL only: the token path's group commit (postgres-committer.ts); `close()` commits what it holds first. */
  pgCommitter?: PostgresCommitter;
  close(): Promise<void>;
}

const migrations: Record<string, Migration> = {
  "0001-initial": m0001,
  "0002-policy-version": m0002,
  "0003-rate-limits": m0003,
  "0005-gateway": m0005,
  "0006-issuer-poll-failure": m0006,
  "0007-api-key-expiry": m0007,
  "0008-policy-version-postgres": m0008,
  "0009-sso": m0009,
  "0010-retention": m0010,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Open the configured database and run pending migrations. */
export async function openStore(database: Config["database"]): Promise<Store> {
  const store = database.kind === "sqlite" ? openSqlite(database.file) : openPostgres(database.url);
  try {
    await migrate(store.db);
  } catch (err) {
    await store.close();
    throw err;
  }
  if (database.kind === "sqlite" && database.file !== ":memory:") return withCommitter(store, database.file);
  return store;
}

/** The token path's connection (sqlite-committer.ts); opened after the migrations, so it never sees an old schema. */
function withCommitter(store: Store, file: string): Store {
  const committer = startCommitter(file, { pragmas: [...WRITING_CONNECTION_PRAGMAS, BACKSTOP_CHECKPOINT] });
  return {
    ...store,
    committer,
    async close() {
      await committer.close();
      await store.close();
    },
  };
}

function openSqlite(file: string): Store {
  if (file !== ":memory:") fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  // WAL: readers don't block the writers and a commit is one append (~16 µs measured).
  sqlite.pragma("journal_mode = WAL");
  for (const pragma of WRITING_CONNECTION_PRAGMAS) sqlite.pragma(pragma);
  // Kysely's connection may wait up to 5 s for another connection's write lock: its queries
  // are awaited, and the lock holder (the committer's batch, another process) finishes meanwhile.
  sqlite.pragma("busy_timeout = 5000");
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite) }) });
  if (file === ":memory:") return { db, kind: "sqlite", sqlite, close: () => db.destroy() };

  // Checkpoints run on a background thread (sqlite-checkpointer.ts); this connection runs one
  // itself only as a backstop, when the WAL reaches ~200 MB without a checkpoint catching up.
  sqlite.pragma(BACKSTOP_CHECKPOINT);
  sqlite.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
  const checkpointer = startCheckpointer(file);
  return {
    db,
    kind: "sqlite",
    sqlite,
    async close() {
      await checkpointer.close();
      await db.destroy();
    },
  };
}

/**
 * The backstop checkpoint threshold of the connections that write (~200 MB of WAL). Under a
 * sustained write load the background checkpoints never finish (new frames arrive while they
 * copy), so the WAL only restarts when a writing connection checkpoints itself, fsyncs
 * included — on the committer's connection a stall of the event loop (measured: 5–20 ms).
 * At ~40 MB that came every ~3,000 grants and set the p99; at ~200 MB it is rare enough not
 * to. The WAL file is truncated back to `journal_size_limit` once it restarts.
 */
const BACKSTOP_CHECKPOINT = "wal_autocheckpoint = 50000";

/**
 * Settings of every connection that writes: Kysely's and the committer's. WAL with
 * synchronous=NORMAL keeps every committed transaction across a process crash (kill -9);
 * statement journals stay in memory (durability is the WAL's job; on disk each wrote a temp
 * file).
 */
const WRITING_CONNECTION_PRAGMAS = ["synchronous = NORMAL", "temp_store = MEMORY", "foreign_keys = ON"];

/**
 * Kysely's SQLite dialect, its transactions begun IMMEDIATE: the committer (sqlite-committer.ts)
 * is a second writing connection, and a deferred transaction that read first would fail with
 * SQLITE_BUSY_SNAPSHOT when upgrading to write after a batch committed in between (its
 * awaits let batches run); an immediate one holds the write lock from BEGIN instead.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  override createDriver(): Driver {
    const driver = super.createDriver();
    driver.beginTransaction = async (connection: DatabaseConnection) => {
      await connection.executeQuery(CompiledQuery.raw("begin immediate"));
    };
    return driver;
  }
}

/** Kysely's SQLite driver prepares every query anew; this hands it cached statements (statement-cache.ts). */
function withStatementCache(sqlite: SQLite.Database): SqliteDatabase {
  return { prepare: statementCache(sqlite), close: () => sqlite.close() };
}

function openPostgres(url: string): Store {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle connection that the server closes (a restart, a failover, an administrator) is
  // reported here; without a listener it would crash the process. The pool drops the client
  // and opens a new one on the next query.
  // The message and code only: pg hangs the whole client on the error (connection settings,
  // prepared statements' text, the backend's cancel key), which a log line must not carry.
  pool.on("error", (err) => logger().warn({ err: { message: err.message, code: (err as { code?: unknown }).code } }, "PostgreSQL: an idle connection failed; it will be replaced"));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const committer = startPostgresCommitter(pool);
  return {
    db,
    kind: "postgres",
    pgPool: pool,
    pgCommitter: committer,
    async close() {
      await committer.close();
      await db.destroy();
    },
  };
}

/** Migrations this code knows that the database has not applied (readiness: another version may have reset it). */
export async function pendingMigrations(db: Kysely<Database>): Promise<string[]> {
  const known = await new Migrator({ db, provider }).getMigrations();
  return known.filter((m) => m.executedAt === undefined).map((m) => m.name);
}

async function migrate(db: Kysely<Database>): Promise<void> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error || failed) {
    throw new Error(`Database migration ${failed?.migrationName ?? ""} failed: ${String(error)}`);
  }
}
