/**
 * `npm run bench -- retention`: does background pruning slow the token endpoint? Two servers
 * on copies of one SQLite database holding 1,000,000 authentication-history rows, all older
 * than the 90-day window: one prunes them (every second, lib/store/retention.ts), the other
 * keeps everything. Rounds alternate between the two under the same load; each round prints
 * the rows pruned during it, so the comparison is known to have run while pruning was busy.
 * Goal: the pruning server's median throughput within 10% of the other's.
 *
 * BENCH_SECONDS (default 10) per run, BENCH_ROUNDS (default 3), BENCH_CONNECTIONS (default
 * 32), BENCH_HISTORY_ROWS (default 1,000,000).
 */
import "../lib/server/register-server-only";
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import autocannon from "autocannon";
import SQLite from "better-sqlite3";
import { createBenchDatabase } from "./admin-seed";
import { AUDIENCE, ISSUER, jwk, SUBJECT, signAssertions } from "./assertions";
import { loadSettings } from "./load-settings";

const { createTestDatabase } = await import("../e2e/support/test-server");

const { connections: CONNECTIONS, seconds: DURATION, rounds: ROUNDS } = loadSettings({ connections: 32, seconds: 10, rounds: 3 });
const HISTORY_ROWS = Number(process.env.BENCH_HISTORY_ROWS ?? 1_000_000);
const ASSERTIONS_PER_SECOND = 12_000;
const DAY = 86_400_000;
const root = path.resolve(import.meta.dirname, "..");

// One database with the rule and a million old history rows, copied for the second server.
console.log(`Seeding ${HISTORY_ROWS.toLocaleString()} history rows…`);
const pruning = await createBenchDatabase("sqlite", {
  name: "bench",
  issuer: { issuer_url: ISSUER, jwks: { type: "inline", keys: [jwk] }, max_jwt_lifetime_seconds: 3600 },
  match: { subject_prefix: SUBJECT, audience: AUDIENCE },
  oauthScope: "workspace:developer",
});
const keeping = await createTestDatabase("sqlite");
const pruningFile = pruning.url.slice("file:".length);
const keepingFile = keeping.url.slice("file:".length);
{
  const db = new SQLite(pruningFile);
  const insert = db.prepare(
    "INSERT INTO auth_events (id, organization_id, occurred_at, request_id, outcome, reason, detail, subject, claims, claims_verified) VALUES (?, ?, ?, ?, 'denied', 'match_subject_prefix', ?, ?, ?, 1)",
  );
  const oldest = Date.now() - 200 * DAY;
  const claims = JSON.stringify({ iss: ISSUER, sub: "repo:acme/other:ref:refs/heads/feature", aud: AUDIENCE, repository: "acme/other", ref: "refs/heads/feature", actor: "someone" });
  const batch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const id = `fdae_seed${String(i).padStart(10, "0")}`;
      insert.run(id, pruning.organizationId, new Date(oldest + i * 1000).toISOString(), `req_seed${i}`, "sub does not match the rule's prefix", "repo:acme/other:ref:refs/heads/feature", claims);
    }
  });
  for (let i = 0; i < HISTORY_ROWS; i += 50_000) batch(i, Math.min(HISTORY_ROWS, i + 50_000));
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.close();
}
fs.copyFileSync(pruningFile, keepingFile);
const oldRows = (file: string) => {
  const db = new SQLite(file, { readonly: true });
  try {
    return db.prepare("SELECT count(*) FROM auth_events WHERE occurred_at < ?").pluck().get(new Date(Date.now() - 90 * DAY).toISOString()) as number;
  } finally {
    db.close();
  }
};

interface Server {
  url: string;
  child: ChildProcess;
}

function startServer(databaseUrl: string, env: Record<string, string>): Promise<Server> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "bench/api-server.ts"), databaseUrl, "", JSON.stringify(env)], { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
  process.once("exit", () => child.kill());
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
    createInterface({ input: child.stdout! }).once("line", (url) => resolve({ url, child }));
  });
}

function stopServer({ child }: Server): Promise<void> {
  child.removeAllListeners("exit");
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGINT");
  return exited;
}

const withPruning = await startServer(pruning.url, { WIF_PRUNE_INTERVAL_SECONDS: "1" });
const withoutPruning = await startServer(keeping.url, { WIF_PRUNE_INTERVAL_SECONDS: "86400", WIF_RETENTION_HISTORY_DAYS: "0" });

async function load(server: Server, seconds: number): Promise<autocannon.Result> {
  const pool = signAssertions(ASSERTIONS_PER_SECOND * seconds);
  let next = 0;
  const result = await autocannon({
    url: `${server.url}/v1/oauth/token`,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        setupRequest: (req) => ({ ...req, body: JSON.stringify({ grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion: pool[next++ % pool.length], federation_rule_id: pruning.ruleId, organization_id: pruning.organizationId }) }),
      },
    ],
  });
  if (next > pool.length) throw new Error("the assertion pool ran out; raise ASSERTIONS_PER_SECOND");
  return result;
}

await load(withPruning, 2);
await load(withoutPruning, 2);
const rounds: Array<{ pruning: autocannon.Result; keeping: autocannon.Result; pruned: number }> = [];
for (let round = 0; round < ROUNDS; round++) {
  const before = oldRows(pruningFile);
  const a = await load(withPruning, DURATION);
  const pruned = before - oldRows(pruningFile);
  const b = await load(withoutPruning, DURATION);
  rounds.push({ pruning: a, keeping: b, pruned });
}
const left = oldRows(pruningFile);
await stopServer(withPruning);
await stopServer(withoutPruning);
await pruning.drop();
await keeping.drop();

const row = (name: string, r: autocannon.Result) =>
  `  ${name.padEnd(28)} ${String(Math.round(r.requests.average)).padStart(6)} req/s   p50 ${String(r.latency.p50).padStart(4)} ms   p99 ${String(r.latency.p99).padStart(4)} ms   non-2xx ${r.non2xx}   errors ${r.errors}`;
console.log(`\nToken exchange with ${HISTORY_ROWS.toLocaleString()} old history rows, ${CONNECTIONS} connections, ${DURATION}s per run, SQLite.`);
rounds.forEach((r, i) => {
  console.log(`round ${i + 1}: (${r.pruned.toLocaleString()} rows pruned during the pruning server's run)`);
  console.log(row("pruning in the background", r.pruning));
  console.log(row("not pruning", r.keeping));
  console.log(`  ratio (pruning / not): ${(r.pruning.requests.average / r.keeping.requests.average).toFixed(3)}×`);
});
const ratios = rounds.map((r) => r.pruning.requests.average / r.keeping.requests.average);
const median = [...ratios].sort((x, y) => x - y)[Math.floor((ratios.length - 1) / 2)]!;
console.log(`median ratio ${median.toFixed(3)}× — goal (≥ 0.90×) ${median >= 0.9 ? "met" : "NOT met"}; ${left.toLocaleString()} old rows still to prune at the end`);
if (rounds.some((r) => r.pruned === 0)) console.log("NOTE: pruning had finished before some round; that round compares nothing.");
if (rounds.some((r) => r.pruning.non2xx + r.keeping.non2xx + r.pruning.errors + r.keeping.errors > 0)) {
  console.error("Some exchanges were refused or failed; the figures are not comparable.");
  process.exitCode = 1;
}
