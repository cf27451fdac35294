/**
 * `npm run soak`: does memory come back after bursts of malformed requests? Starts the real
 * server (console built, API — bench/console-process.ts), measures its resident memory once
 * the console has rendered a few pages, then sends the same burst SOAK_ROUNDS times (default
 * 5) — SOAK_REQUESTS (default 3,000) generated hostile requests of every family from
 * e2e/support/fuzz.ts, seed SOAK_SEED (default 1) — and prints the RSS after each. Passes
 * when the last round's RSS is within SOAK_MAX_RATIO (default 1.25) of the first's, the
 * first round's within SOAK_MAX_WARMUP (default 2) of the baseline, and no request was
 * answered 5xx. Growth that continues is a leak; growth in the first burst that is never
 * given back (before the fix: 241 -> 693 MiB, then flat) is what the second limit catches.
 */
import { runFuzz } from "../e2e/support/fuzz";
import { startConsoleProcess } from "./console-process";

const ROUNDS = Number(process.env.SOAK_ROUNDS ?? 5);
const REQUESTS = Number(process.env.SOAK_REQUESTS ?? 3_000);
const SEED = Number(process.env.SOAK_SEED ?? 1);
const MAX_RATIO = Number(process.env.SOAK_MAX_RATIO ?? 1.25);
const MAX_WARMUP = Number(process.env.SOAK_MAX_WARMUP ?? 2);
/** Idle time before reading /proc: V8 gives unused heap back only once allocation has calmed down (its memory reducer runs seconds after a burst). */
const SETTLE_MS = 10_000;

const settle = () => new Promise((r) => setTimeout(r, SETTLE_MS));

console.log("Starting the server (building the console first if the sources changed)…");
const server = await startConsoleProcess();
const target = { host: server.host, port: server.port, console: true, actionIds: server.actionIds, sessionId: server.sessionId, adminKey: server.adminKey };
let ok = true;
try {
  // Warm-up: the pages a person opens first, so the baseline includes a rendered console.
  for (const path of ["/", "/issuers", "/rules", "/history", "/tester", "/connect"]) {
    await fetch(`http://${server.host}:${server.port}${path}`, { headers: { cookie: `wif_session=${server.sessionId}` } }).then((r) => r.arrayBuffer());
  }
  await settle();
  const baseline = server.rssMiB();
  console.log(`baseline (console rendered): RSS ${baseline.toFixed(0)} MiB`);
  const rss: number[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const started = Date.now();
    const report = await runFuzz(target, { seed: SEED, count: REQUESTS, concurrency: 8 });
    await settle();
    rss.push(server.rssMiB());
    const fiveHundreds = report.failureCount;
    if (fiveHundreds > 0) ok = false;
    console.log(`round ${round}: ${report.sent} requests in ${((Date.now() - started) / 1000).toFixed(0)} s, ${fiveHundreds} answered 5xx/dropped; RSS ${rss.at(-1)!.toFixed(0)} MiB`);
    for (const f of report.failures.slice(0, 3)) console.log(`  ${f.family} → ${f.result}: ${f.request.replace(/\r\n/g, "\n    ").slice(0, 300)}`);
  }
  const ratio = rss.at(-1)! / rss[0]!;
  const warmup = rss[0]! / baseline;
  if (ratio > MAX_RATIO || warmup > MAX_WARMUP) ok = false;
  console.log(`\nround ${ROUNDS} / round 1 = ${ratio.toFixed(2)} (limit ${MAX_RATIO}); round 1 / baseline = ${warmup.toFixed(2)} (limit ${MAX_WARMUP}); server healthy: ${await server.healthy()}`);
  if (!ok) console.log(`\nServer log (last lines):\n${server.logTail()}`);
} finally {
  await server.stop();
}
process.exit(ok ? 0 : 1);
