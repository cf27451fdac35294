/**
 * `npm run --silent wif -- <command>`: administration without a browser, against the
 * configured database. Output meant for scripts goes to stdout alone; messages to stderr.
 *
 *   admin-keys create --name NAME   print one new admin key (sk-ant-admin01-…)
 *   organization                    print the organization ID
 *   token                           print an access token for this workload (exchanged and cached;
 *                                   Claude Code's apiKeyHelper) — reads the ANTHROPIC_* federation variables
 *   config export | apply FILE      configuration as code, against a running server (config-command.ts)
 *   backup FILE [--force]           copy the SQLite database to FILE while the server runs
 *   restore FILE [--force]          put a backup back (the server stopped)
 */
import "../server/register-server-only";
import path from "node:path";
import { parseArgs } from "node:util";
import { loadConfig } from "../config";
import { errorReply } from "../core/error-reply";
import { newId } from "../core/ids";

// The store, services and console modules come in after the hook: any of them may import "server-only".
const { openStore } = await import("../store/db");
const { ensureOrganization } = await import("../services/organization");
const { createAdminKey } = await import("../services/api-keys");
const { CONFIG_USAGE, runConfigCommand } = await import("./config-command");

const USAGE = `usage:
  wif admin-keys create --name NAME   create an admin key and print it
  wif organization                    print the organization ID
  wif token                           exchange this workload's identity token and print the access token
                                      (ANTHROPIC_BASE_URL, ANTHROPIC_FEDERATION_RULE_ID, ANTHROPIC_ORGANIZATION_ID,
                                      ANTHROPIC_IDENTITY_TOKEN_FILE; cached until shortly before expiry)
  wif backup FILE [--force]           copy the SQLite database to FILE, consistently, while the server runs
                                      (--force overwrites FILE; PostgreSQL: pg_dump, see the README)
  wif restore FILE [--force]          replace the SQLite database with the backup FILE; refused while the
                                      database is open (stop the server first; --force skips that check)
${CONFIG_USAGE}`;

async function main(argv: string[]): Promise<number> {
  // Over the Admin API of a running server, with flags of its own: no database here.
  if (argv[0] === "config") return runConfigCommand(argv.slice(1));
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: { name: { type: "string" }, force: { type: "boolean" }, help: { type: "boolean", short: "h" } } });
  if (values.help || positionals.length === 0) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  if (positionals[0] === "token") {
    // Runs on a workload's machine: no database, only the federation variables.
    const { loadTokenHelperConfig } = await import("../config");
    const { accessToken } = await import("./token-helper");
    process.stdout.write(`${await accessToken(loadTokenHelperConfig())}\n`);
    return 0;
  }
  if (positionals[0] === "backup" || positionals[0] === "restore") return backupOrRestore(positionals[0], positionals[1], values.force ?? false);
  const store = await openStore(loadConfig().database);
  try {
    const org = await ensureOrganization(store.db);
    const [group, command] = positionals;
    if (group === "admin-keys" && command === "create") {
      if (!values.name) {
        console.error("admin-keys create: --name is required (e.g. --name ci-bootstrap)");
        return 2;
      }
      const created = await createAdminKey(store.db, org.id, values.name, { type: "system" });
      console.error(`Created admin key ${created.api_key.id} (${created.api_key.name}). It is shown once; store it now.`);
      process.stdout.write(`${created.key}\n`);
      return 0;
    }
    if (group === "organization") {
      process.stdout.write(`${org.id}\n`);
      return 0;
    }
    console.error(`unknown command: ${positionals.join(" ")}\n${USAGE}`);
    return 2;
  } finally {
    await store.close();
  }
}

/** `wif backup FILE` / `wif restore FILE`: SQLite only, and without opening the store (no migrations run). */
async function backupOrRestore(command: "backup" | "restore", file: string | undefined, force: boolean): Promise<number> {
  if (!file) {
    console.error(`${command}: name the backup file, e.g. wif ${command} ./wif-backup.db`);
    return 2;
  }
  const { database } = loadConfig();
  if (database.kind !== "sqlite") {
    console.error(`${command}: DATABASE_URL is PostgreSQL; use ${command === "backup" ? "pg_dump --format=custom" : "pg_restore --clean"} (README, "Backup and restore")`);
    return 2;
  }
  const { backupSqlite, restoreSqlite, BackupRefused } = await import("../store/backup");
  const target = path.resolve(file);
  try {
    if (command === "backup") {
      const { pages } = await backupSqlite(database.file, target, { force });
      console.error(`Backed up ${database.file} to ${target} (${pages} pages).`);
    } else {
      const { replaced } = await restoreSqlite(target, database.file, { force });
      console.error(`Restored ${target} to ${database.file}.${replaced ? ` The database it replaced is kept as ${replaced}.` : ""}`);
    }
    return 0;
  } catch (err) {
    if (!(err instanceof BackupRefused)) throw err;
    console.error(`${command}: ${err.message}`);
    return 1;
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  // A bug or an outage: its stack goes to stderr before the one-line reply.
  console.error(errorReply(err, newId("request"), (internal) => console.error(internal)).message);
  process.exitCode = 1;
}
