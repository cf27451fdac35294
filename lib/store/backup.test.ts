/**
 * `wif backup` and `wif restore` on SQLite, through the real command line: a backup taken
 * while the running server is writing is consistent and holds everything committed before it
 * began; a restore is refused while the server has the database open, goes through once it is
 * stopped, and the server started again serves the backup's data. Bad input is refused with a
 * sentence, never a stack trace.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import SQLite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServerOn, startTestServer, type TestServer } from "../../e2e/support/test-server";

const root = path.resolve(import.meta.dirname, "../..");

/** Run `wif …` as a user would, against `databaseUrl`. */
function wif(args: string[], databaseUrl: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "lib/cli/wif.ts", ...args], { cwd: root, env: { ...process.env, DATABASE_URL: databaseUrl }, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", reject);
    child.once("exit", (code) => resolve({ code, stderr }));
  });
}

describe("wif backup / restore (SQLite)", () => {
  let server: TestServer;
  let dir: string;
  let databaseFile: string;
  beforeAll(async () => {
    server = await startTestServer("sqlite");
    databaseFile = server.databaseUrl.slice("file:".length);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "wif-backup-"));
  });
  afterAll(async () => {
    await server?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("backs up while the server writes, refuses to restore under it, restores once it is stopped", async () => {
    const backupFile = path.join(dir, "wif-backup.db");
    const created: string[] = [];
    let writing = true;
    const writer = (async () => {
      for (let i = 0; writing; i++) created.push((await server.admin("POST", "/service_accounts", { name: `during-${i}` })).id);
    })();
    // Let writes be under way, then back up in the middle of them.
    while (created.length < 5) await server.admin("GET", "/service_accounts?limit=1");
    const before = [...created];
    const backup = await wif(["backup", backupFile], server.databaseUrl);
    const afterBackup = created.length;
    while (created.length < afterBackup + 3) await server.admin("GET", "/service_accounts?limit=1");
    writing = false;
    await writer;
    expect(backup).toMatchObject({ code: 0, stderr: expect.stringMatching(/Backed up .* pages\)/) });

    // The copy is intact and holds every row committed before the backup began.
    const copy = new SQLite(backupFile, { readonly: true });
    const inCopy = new Set(copy.prepare("SELECT id FROM service_accounts").pluck().all() as string[]);
    expect(copy.pragma("integrity_check", { simple: true })).toBe("ok");
    copy.close();
    for (const id of before) expect(inCopy.has(id)).toBe(true);
    const lastAfter = created.at(-1)!;
    expect(inCopy.has(lastAfter)).toBe(false);

    // Not while the server has the database open.
    const refused = await wif(["restore", backupFile], server.databaseUrl);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/is in use — stop the server/);

    await server.stop();
    const restored = await wif(["restore", backupFile], server.databaseUrl);
    expect(restored).toMatchObject({ code: 0, stderr: expect.stringMatching(/Restored .* kept as .*\.replaced-/) });

    const again = await startServerOn(server.databaseUrl);
    try {
      const res = await fetch(`${again.url}/v1/organizations/service_accounts?limit=1000`, { headers: { authorization: `Bearer ${server.adminKey}` } });
      const ids = new Set(((await res.json()) as { data: Array<{ id: string }> }).data.map((s) => s.id));
      for (const id of before) expect(ids.has(id)).toBe(true);
      expect(ids.has(lastAfter)).toBe(false);
    } finally {
      await again.close();
    }
    // The replaced database is kept, complete (its WAL beside it).
    const replaced = fs.readdirSync(path.dirname(databaseFile)).find((f) => /\.replaced-[\dT-]+Z$/.test(f));
    expect(replaced).toBeDefined();
    const old = new SQLite(path.join(path.dirname(databaseFile), replaced!), { readonly: true });
    expect(old.prepare("SELECT count(*) FROM service_accounts WHERE id = ?").pluck().get(lastAfter)).toBe(1);
    old.close();
  }, 120_000);

  const refusals: Array<{ name: string; args: (dir: string) => string[]; url?: string; message: RegExp }> = [
    { name: "no file named", args: () => ["backup"], message: /name the backup file/ },
    { name: "backup over an existing file", args: (d) => ["backup", path.join(d, "exists.db")], message: /already exists; choose another file or pass --force/ },
    { name: "restore a file that is missing", args: (d) => ["restore", path.join(d, "missing.db")], message: /there is no backup at/ },
    { name: "restore a file that is not SQLite", args: (d) => ["restore", path.join(d, "exists.db")], message: /is not an SQLite database|not a readable SQLite database/ },
    { name: "PostgreSQL", args: (d) => ["backup", path.join(d, "pg.db")], url: "postgres://postgres@127.0.0.1:5432/postgres", message: /use pg_dump/ },
  ];

  it.each(refusals)("refuses: $name", async ({ args, url, message }) => {
    fs.writeFileSync(path.join(dir, "exists.db"), "not a database");
    const source = path.join(dir, "source.db");
    if (!fs.existsSync(source)) new SQLite(source).exec("CREATE TABLE t (x)").close();
    const result = await wif(args(dir), url ?? `file:${source}`);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});
