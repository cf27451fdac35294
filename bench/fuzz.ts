/**
 * `npm run fuzz`: the large fuzz run. Starts the real server (console built, API, a fresh
 * SQLite database, an owner's session and an admin key — bench/console-process.ts) and
 * sends FUZZ_REQUESTS (default 20,000) generated hostile requests from FUZZ_SEED (default
 * 1), FUZZ_CONCURRENCY (default 8) at a time, over every family of e2e/support/fuzz.ts:
 * undecodable paths, odd methods and targets, garbled headers and cookies, router-state
 * trees, server-action bodies, token-endpoint and Admin API bodies. Prints the answers by
 * family; exits 1 on any 5xx, dropped connection or timeout, or if the server stops answering.
 */
import { runFuzz, type FuzzReport } from "../e2e/support/fuzz";
import { startConsoleProcess } from "./console-process";

const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 20_000);
const SEED = Number(process.env.FUZZ_SEED ?? 1);
const CONCURRENCY = Number(process.env.FUZZ_CONCURRENCY ?? 8);

function printReport(report: FuzzReport): void {
  const classes = ["2xx", "3xx", "4xx", "5xx", "closed", "timeout"];
  console.log(`\n${"family".padEnd(14)}${classes.map((c) => c.padStart(9)).join("")}${"total".padStart(9)}`);
  const rows = Object.entries(report.byFamily).sort(([a], [b]) => a.localeCompare(b));
  for (const [family, counts] of [...rows, ["all", report.statusClasses] as const]) {
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    console.log(`${family.padEnd(14)}${classes.map((c) => String(counts[c] ?? 0).padStart(9)).join("")}${String(total).padStart(9)}`);
  }
}

console.log("Starting the server (building the console first if the sources changed)…");
const server = await startConsoleProcess();
console.log(`Server on http://${server.host}:${server.port} (pid ${server.pid}), ${server.actionIds.length} server actions; RSS ${server.rssMiB().toFixed(0)} MiB`);
let failed = false;
try {
  const started = Date.now();
  const report = await runFuzz(
    { host: server.host, port: server.port, console: true, actionIds: server.actionIds, sessionId: server.sessionId, adminKey: server.adminKey },
    { seed: SEED, count: REQUESTS, concurrency: CONCURRENCY, onProgress: (n) => process.stdout.write(`\r${n} / ${REQUESTS}`) },
  );
  const seconds = (Date.now() - started) / 1000;
  printReport(report);
  const healthy = await server.healthy();
  console.log(`\n${report.sent} requests in ${seconds.toFixed(0)} s (seed ${SEED}); failures (5xx, dropped, timed out): ${report.failureCount}; server healthy afterwards: ${healthy}; RSS ${server.rssMiB().toFixed(0)} MiB`);
  for (const f of report.failures) console.log(`\n${f.family} → ${f.result}: ${f.method} ${f.target}\n${f.request.replace(/\r\n/g, "\n  ").slice(0, 400)}`);
  if (report.failureCount > 0 || !healthy) {
    failed = true;
    console.log(`\nServer log (last lines):\n${server.logTail()}`);
  }
} finally {
  await server.stop();
}
process.exit(failed ? 1 : 0);
