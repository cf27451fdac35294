/**
 * `wif backup` / `wif restore` for SQLite. A backup is SQLite's online backup API (through
 * better-sqlite3): a consistent copy taken page by page while the server keeps reading and
 * writing, with no downtime. A restore replaces the database file, so it refuses while any
 * connection has the database open — the server must be stopped — unless forced; the file it
 * replaces is kept beside it. PostgreSQL has pg_dump / pg_restore for both (README).
 * @see docs/behaviour.md#backup-and-restore
 */
import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";

/** A backup or restore that cannot go ahead, with the sentence saying why and what to do. */
export class BackupRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BackupRefused";
  }
}

/** Copy the live database `file` to `dest` (refusing to overwrite unless `force`); the pages copied. */
export async function backupSqlite(file: string, dest: string, options: { force?: boolean } = {}): Promise<{ pages: number }> {
  if (!fs.existsSync(file)) throw new BackupRefused(`there is no database at ${file}; check DATABASE_URL`);
  if (fs.existsSync(dest) && !options.force) throw new BackupRefused(`${dest} already exists; choose another file or pass --force to overwrite it`);
  const db = new SQLite(file, { fileMustExist: true });
  // Written beside the destination and renamed into place: a failed backup leaves no half file.
  const partial = `${dest}.partial`;
  try {
    fs.rmSync(partial, { force: true });
    const { totalPages } = await db.backup(partial);
    fs.renameSync(partial, dest);
    return { pages: totalPages };
  } finally {
    db.close();
    fs.rmSync(partial, { force: true });
  }
}

/** Whether some connection (the server, another process) has `file` open: an exclusive lock is refused. */
function inUse(file: string): boolean {
  if (!fs.existsSync(file)) return false;
  const db = new SQLite(file, { fileMustExist: true, timeout: 0 });
  try {
    db.pragma("locking_mode = EXCLUSIVE");
    db.exec("BEGIN EXCLUSIVE");
    db.exec("COMMIT");
    return false;
  } catch (err) {
    if ((err as { code?: string }).code === "SQLITE_BUSY") return true;
    throw err;
  } finally {
    db.close();
  }
}

/** Check that `file` is an intact SQLite database of this server (it has run our migrations). */
function assertRestorable(file: string): void {
  if (!fs.existsSync(file)) throw new BackupRefused(`there is no backup at ${file}`);
  let db: SQLite.Database;
  try {
    db = new SQLite(file, { fileMustExist: true });
  } catch {
    throw new BackupRefused(`${file} is not an SQLite database`);
  }
  try {
    const check = db.pragma("quick_check", { simple: true });
    if (check !== "ok") throw new BackupRefused(`${file} is damaged (quick_check: ${String(check)}); restore another backup`);
    const migrations = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'kysely_migration'").get();
    if (!migrations) throw new BackupRefused(`${file} is not a WIF Console database (it has no migrations table)`);
  } catch (err) {
    if (err instanceof BackupRefused) throw err;
    throw new BackupRefused(`${file} is not a readable SQLite database: ${(err as Error).message}`);
  } finally {
    db.close();
  }
}

/**
 * Put the backup `source` in place of the database `file`. Refused while `file` is open
 * elsewhere unless `force` (a server still running would keep writing to the replaced file).
 * The replaced database, if any, is kept as `file.replaced-<time>`; returns that path.
 */
export async function restoreSqlite(source: string, file: string, options: { force?: boolean; now?: Date } = {}): Promise<{ replaced: string | undefined }> {
  assertRestorable(source);
  if (!options.force && inUse(file)) {
    throw new BackupRefused(`${file} is in use — stop the server (every instance) first, or pass --force if you are sure nothing has it open`);
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // The backup API again, so the restored file is a clean copy (no WAL of the backup's own).
  const incoming = `${file}.restoring`;
  const src = new SQLite(source, { fileMustExist: true });
  try {
    fs.rmSync(incoming, { force: true });
    await src.backup(incoming);
  } finally {
    src.close();
  }
  let replaced: string | undefined;
  if (fs.existsSync(file)) {
    replaced = `${file}.replaced-${(options.now ?? new Date()).toISOString().replace(/[:.]/g, "-")}`;
    fs.renameSync(file, replaced);
  }
  // The old database's WAL and shared-memory files belong to it, not to the restored one.
  for (const suffix of ["-wal", "-shm"]) {
    if (fs.existsSync(file + suffix)) fs.renameSync(file + suffix, (replaced ?? file) + suffix + (replaced ? "" : ".stale"));
  }
  fs.renameSync(incoming, file);
  return { replaced };
}
