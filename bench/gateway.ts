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
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import autocannon from "autocannon";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { Agent, Client } from "undici";

const { createAdminKey } = await import("../lib/services/api-keys");
const { ensureOrganization } = await import("../lib/services/organization");
const { openStore } = await import("../lib/store/db");
const { createTestDatabase } = await import("../e2e/support/test-server");

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const DURATION = Number(process.env.BENCH_SECONDS ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const STREAMS = Number(process.env.BENCH_STREAMS ?? 1000);
const SEQUENTIAL = 2000;
const root = path.resolve(import.meta.dirname, "..");
const UPSTREAM_KEY = "sk-ant-api03-bench-upstream-key";
const BODY = JSON.stringify({ model: "claude-bench", max_tokens: 16, messages: [{ role: "user", content: "hi" }] });
const STREAM_BODY = JSON.stringify({ model: "claude-bench", max_tokens: 16, stream: true, messages: [{ role: "user", content: "hi" }] });

interface Child {
  url: string;
  child: ChildProcess;
}

/** BENCH_CPU_PROF=<dir>: the gateway's process writes a CPU profile there when it stops (open it in Chrome's DevTools). */
const CPU_PROF_DIR = process.env.BENCH_CPU_PROF;

function startChild(args: string[], profile = false): Promise<Child> {
  const flags = profile && CPU_PROF_DIR ? ["--cpu-prof", `--cpu-prof-dir=${CPU_PROF_DIR}`] : [];
  const child = spawn(process.execPath, [...flags, "--import", "tsx", ...args], { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
  process.once("exit", () => child.kill());
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`${args[0]} exited with ${code}`)));
    createInterface({ input: child.stdout! }).once("line", (url) => resolve({ url, child }));
  });
}

function stopChild({ child }: Child): Promise<void> {
  child.removeAllListeners("exit");
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGINT");
  return exited;
}

const rssMiB = (pid: number | undefined) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))]!;

// The servers: upstream, bare proxy, ours on a fresh SQLite database.
const upstream = await startChild([path.join(root, "bench/upstream-server.ts")]);
const bare = await startChild([path.join(root, "bench/gateway-baseline.ts"), upstream.url, UPSTREAM_KEY]);
const database = await createTestDatabase("sqlite");
const dbFile = database.url.slice("file:".length);
let store = await openStore({ kind: "sqlite", file: dbFile });
const org = await ensureOrganization(store.db);
const { key: adminKey } = await createAdminKey(store.db, org.id, "bench", { type: "system" });
await store.close();
const ours = await startChild([path.join(root, "bench/api-server.ts"), database.url, upstream.url], true);

const admin = async (p: string, body: unknown) => {
  const res = await fetch(`${ours.url}/v1/organizations${p}`, { method: "POST", headers: { authorization: `Bearer ${adminKey}`, "content-type": "application/json" }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${p}: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string };
};
await admin("/gateway/upstream", { api_key: UPSTREAM_KEY });
const { privateKey, publicKey } = await generateKeyPair("ES256");
const issuer = await admin("/federation_issuers", { name: "bench", issuer_url: "https://bench.wif.test", jwks: { type: "inline", keys: [{ ...(await exportJWK(publicKey)), kid: "b", alg: "ES256" }] } });
const sa = await admin("/service_accounts", { name: "bench" });
const rule = await admin("/federation_rules", {
  name: "bench",
  issuer_id: issuer.id,
  match: { subject_prefix: "repo:acme/app:ref:refs/heads/main" },
  target: { type: "service_account", service_account_id: sa.id },
  oauth_scope: "workspace:inference",
  workspace_id: "default",
});
const now = Math.floor(Date.now() / 1000);
const assertion = await new SignJWT({ iss: "https://bench.wif.test", sub: "repo:acme/app:ref:refs/heads/main", aud: "https://api.anthropic.com", iat: now, exp: now + 3000, jti: crypto.randomUUID() })
  .setProtectedHeader({ alg: "ES256", kid: "b" })
  .sign(privateKey);
const exchanged = await fetch(`${ours.url}/v1/oauth/token`, {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion, federation_rule_id: rule.id, organization_id: org.id }),
});
const token = ((await exchanged.json()) as { access_token: string }).access_token;
const headers = { authorization: `Bearer ${token}`, "content-type": "application/json", "anthropic-version": "2023-06-01" };

/** Requests each server was sent and answered, to compare with the audit rows. */
let oursAnswered = 0;

async function throughput(server: Child, seconds: number): Promise<autocannon.Result> {
  const result = await autocannon({ url: `${server.url}/v1/messages`, connections: CONNECTIONS, duration: seconds, method: "POST", headers, body: BODY });
  if (server === ours) oursAnswered += result.requests.total;
  return result;
}

/** Sequential requests on one keep-alive connection: per-request latency in ms (and, streaming, time to the first body byte). */
async function sequential(server: Child, count: number, streaming: boolean): Promise<number[]> {
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
store = await openStore({ kind: "sqlite", file: dbFile });
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
