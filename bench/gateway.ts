/**
 * `npm run bench -- gateway`: the Claude API gateway against a bare node:http + undici proxy,
 * both in front of the same local upstream (e2e/support/test-upstream.ts), each in its own
 * process. The gateway also authenticates a federated token, checks its scope, reads usage and
 * writes an audit row per request (SQLite, batched). Measured in one run:
 *
 * - throughput at BENCH_CONNECTIONS (32) on `POST /v1/messages`, rounds alternating (goal ≥ 0.7×);
 * - added latency: p50 of sequential requests on one connection, ours − bare (goal ≤ 1 ms);
 * - streaming time to first byte, sequential, ours − bare (goal within 2 ms);
 * - 1,000 concurrent streams (two seconds each) through the gateway: RSS growth (goal ≤ 200 MiB);
 * - audit rows = requests (the server is stopped gracefully first, so every row is written).
 *
 * BENCH_SECONDS (default 8) per throughput run, BENCH_ROUNDS (default 3), BENCH_STREAMS (1000),
 * BENCH_CPU_PROF (a directory for the gateway process's CPU profile).
 */
import "../lib/server/register-server-only";
import fs from "node:fs";
import path from "node:path";
import autocannon from "autocannon";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { Agent, Client } from "undici";
import { adminPost, createBenchDatabase, seedFederation } from "./admin-seed";
import { startChildServer, stopChildServer, type ChildServer } from "./child-server";
import { loadSettings } from "./load-settings";

const { openStore } = await import("../lib/store/db");

const { connections: CONNECTIONS, seconds: DURATION, rounds: ROUNDS } = loadSettings({ connections: 32, seconds: 8, rounds: 3 });
const STREAMS = Number(process.env.BENCH_STREAMS ?? 1000);
const SEQUENTIAL = 2000;
const root = path.resolve(import.meta.dirname, "..");
const UPSTREAM_KEY = "sk-ant-api03-bench-upstream-key";
const BODY = JSON.stringify({ model: "claude-bench", max_tokens: 16, messages: [{ role: "user", content: "hi" }] });
const STREAM_BODY = JSON.stringify({ model: "claude-bench", max_tokens: 16, stream: true, messages: [{ role: "user", content: "hi" }] });

/** BENCH_CPU_PROF=<dir>: the gateway's process writes a CPU profile there when it stops (open it in Chrome's DevTools). */
const CPU_PROF_DIR = process.env.BENCH_CPU_PROF;

const startChild = (args: string[], profile = false) => startChildServer(args, profile && CPU_PROF_DIR ? ["--cpu-prof", `--cpu-prof-dir=${CPU_PROF_DIR}`] : []);
const stopChild = stopChildServer;

const rssMiB = (pid: number | undefined) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))]!;

// The servers: upstream, bare proxy, ours on a fresh SQLite database.
const upstream = await startChild([path.join(root, "bench/upstream-server.ts")]);
const bare = await startChild([path.join(root, "bench/gateway-baseline.ts"), upstream.url, UPSTREAM_KEY]);
const database = await createBenchDatabase("sqlite");
const { adminKey } = database;
const ours = await startChild([path.join(root, "bench/api-server.ts"), database.url, upstream.url], true);

const admin = adminPost(ours.url, adminKey);
await admin("/gateway/upstream", { api_key: UPSTREAM_KEY });
const { privateKey, publicKey } = await generateKeyPair("ES256");
const { ruleId } = await seedFederation(admin, {
  name: "bench",
  issuer: { issuer_url: "https://bench.wif.test", jwks: { type: "inline", keys: [{ ...(await exportJWK(publicKey)), kid: "b", alg: "ES256" }] } },
  match: { subject_prefix: "repo:acme/app:ref:refs/heads/main" },
  oauthScope: "workspace:inference",
});
const now = Math.floor(Date.now() / 1000);
const assertion = await new SignJWT({ iss: "https://bench.wif.test", sub: "repo:acme/app:ref:refs/heads/main", aud: "https://api.anthropic.com", iat: now, exp: now + 3000, jti: crypto.randomUUID() })
  .setProtectedHeader({ alg: "ES256", kid: "b" })
  .sign(privateKey);
const exchanged = await fetch(`${ours.url}/v1/oauth/token`, {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion, federation_rule_id: ruleId, organization_id: database.organizationId }),
});
const token = ((await exchanged.json()) as { access_token: string }).access_token;
const headers = { authorization: `Bearer ${token}`, "content-type": "application/json", "anthropic-version": "2023-06-01" };

/** Requests each server was sent and answered, to compare with the audit rows. */
let oursAnswered = 0;

async function throughput(server: ChildServer, seconds: number): Promise<autocannon.Result> {
  const result = await autocannon({ url: `${server.url}/v1/messages`, connections: CONNECTIONS, duration: seconds, method: "POST", headers, body: BODY });
  if (server === ours) oursAnswered += result.requests.total;
  return result;
}

/** Sequential requests on one keep-alive connection: per-request latency in ms (and, streaming, time to the first body byte). */
async function sequential(server: ChildServer, count: number, streaming: boolean): Promise<number[]> {
  const client = new Client(server.url, { pipelining: 1 });
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    const res = await client.request({ path: "/v1/messages", method: "POST", headers, body: streaming ? STREAM_BODY : BODY });
    let first = 0;
    for await (const chunk of res.body) if (!first && chunk.length) first = performance.now();
    out.push(streaming ? first - t0 : performance.now() - t0);
    if (res.statusCode !== 200) throw new Error(`sequential: ${res.statusCode}`);
  }
  await client.close();
  if (server === ours) oursAnswered += count;
  return out;
}

console.log("Warming up…");
await throughput(bare, 2);
await throughput(ours, 2);
await sequential(bare, 200, true);
await sequential(ours, 200, true);

const rounds: Array<{ base: autocannon.Result; real: autocannon.Result }> = [];
for (let round = 0; round < ROUNDS; round++) rounds.push({ base: await throughput(bare, DURATION), real: await throughput(ours, DURATION) });

const latency = { bare: await sequential(bare, SEQUENTIAL, false), ours: await sequential(ours, SEQUENTIAL, false) };
const ttfb = { bare: await sequential(bare, SEQUENTIAL / 2, true), ours: await sequential(ours, SEQUENTIAL / 2, true) };

// Many long streams at once through the gateway.
const rssBefore = rssMiB(ours.child.pid);
let rssPeak = rssBefore;
const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssMiB(ours.child.pid))), 100);
const agent = new Agent({ connections: STREAMS + 10 });
const streamBody = JSON.stringify({ model: "drip-stream", max_tokens: 16, stream: true, messages: [{ role: "user", content: "hi" }] });
const streamResults = await Promise.all(
  Array.from({ length: STREAMS }, async () => {
    const res = await agent.request({ origin: ours.url, path: "/v1/messages", method: "POST", headers, body: streamBody });
    const text = await res.body.text();
    return res.statusCode === 200 && text.includes("message_stop");
  }),
);
clearInterval(sampler);
await agent.close();
oursAnswered += STREAMS;
const streamsOk = streamResults.filter(Boolean).length;

await stopChild(bare);
await stopChild(ours); // graceful: queued audit rows are written first
await stopChild(upstream);
const store = await openStore({ kind: "sqlite", file: database.url.slice("file:".length) });
const rows = await store.db.selectFrom("gateway_requests").select((eb) => [eb.fn.countAll<number>().as("n"), eb.fn.sum<number>(eb.case().when("outcome", "=", "completed").then(1).else(0).end()).as("completed")]).executeTakeFirstOrThrow();
await store.close();
await database.drop();

const row = (name: string, r: autocannon.Result) =>
  `  ${name.padEnd(30)} ${String(Math.round(r.requests.average)).padStart(7)} req/s   p50 ${String(r.latency.p50).padStart(3)} ms   p99 ${String(r.latency.p99).padStart(3)} ms   non-2xx ${r.non2xx}   errors ${r.errors}`;
console.log(`\nGateway, POST /v1/messages (JSON reply), ${CONNECTIONS} connections, ${DURATION}s per run; same local upstream; ours on SQLite.`);
rounds.forEach(({ base, real }, i) => {
  console.log(`round ${i + 1}:`);
  console.log(row("bare node:http + undici proxy", base));
  console.log(row("WIF Console gateway", real));
  console.log(`  ratio (ours / bare): ${(real.requests.average / base.requests.average).toFixed(2)}×`);
});
const ratios = rounds.map(({ base, real }) => real.requests.average / base.requests.average);
const medianRatio = percentile(ratios, 0.5);
const addedP50 = percentile(latency.ours, 0.5) - percentile(latency.bare, 0.5);
const addedTtfb = percentile(ttfb.ours, 0.5) - percentile(ttfb.bare, 0.5);
const growth = rssPeak - rssBefore;
const verdict = (ok: boolean) => (ok ? "met" : "NOT met");
console.log(`throughput: median ratio ${medianRatio.toFixed(2)}× (rounds ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}×) — goal ≥ 0.70× ${verdict(medianRatio >= 0.7)}`);
console.log(
  `latency, sequential, one connection (${SEQUENTIAL}): p50 bare ${percentile(latency.bare, 0.5).toFixed(2)} ms, ours ${percentile(latency.ours, 0.5).toFixed(2)} ms — added ${addedP50.toFixed(2)} ms, goal ≤ 1 ms ${verdict(addedP50 <= 1)}`,
);
console.log(
  `streaming time to first byte (${SEQUENTIAL / 2}): p50 bare ${percentile(ttfb.bare, 0.5).toFixed(2)} ms, ours ${percentile(ttfb.ours, 0.5).toFixed(2)} ms — added ${addedTtfb.toFixed(2)} ms, goal within 2 ms ${verdict(addedTtfb <= 2)}`,
);
console.log(`${STREAMS} concurrent two-second streams: ${streamsOk} completed; RSS ${rssBefore.toFixed(0)} → peak ${rssPeak.toFixed(0)} MiB, growth ${growth.toFixed(0)} MiB — goal ≤ 200 MiB ${verdict(growth <= 200 && streamsOk === STREAMS)}`);
console.log(
  `audit rows: ${rows.n} (completed ${rows.completed}) for ${oursAnswered} answered requests (plus at most ${CONNECTIONS} per throughput run cut at its end, each recorded as client_closed) — ${verdict(Number(rows.completed) >= oursAnswered)}`,
);
if (rounds.some(({ real }) => real.non2xx > 0 || real.errors > 0)) {
  console.error("The gateway refused or failed some requests during the run; the figures above are not comparable.");
  process.exitCode = 1;
}
