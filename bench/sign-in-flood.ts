/**
 * `npm run bench -- signin`: does a flood of sign-in attempts slow the token endpoint?
 * Password hashing is deliberately expensive and runs on libuv's thread pool, which the
 * token endpoint's signature checks (WebCrypto, through jose) share; before hashing was
 * queued, a flood raised the token endpoint's median latency to 0.6–2.1 s.
 *
 * The server (a child process, console included, SQLite) trusts the loopback address as a
 * proxy, so the flood's rotating `X-Forwarded-For` addresses are believed: every attempt
 * is a fresh client for a fresh email, passes every rate limit and costs a hash — the worst
 * case for the token path. A stream of token exchanges (BENCH_PROBE_CONNECTIONS clients,
 * default 2, each sending its next exchange when the last is answered) runs while idle
 * (BENCH_IDLE_SECONDS, default 5), during the flood (BENCH_SIGNIN_ATTEMPTS attempts, default
 * 200, BENCH_SIGNIN_CONCURRENCY at once, default 50) and idle again; the idle median is taken
 * over both idle phases, so a neighbour's burst on a shared machine weighs less. Goal: the
 * token endpoint's median latency during the flood stays under 2× its idle median.
 */
import "../lib/server/register-server-only";
import { spawn, type ChildProcess } from "node:child_process";
import { generateKeyPairSync, randomBytes, randomUUID, sign } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { createInterface } from "node:readline";
import { adminPost, createBenchDatabase, seedFederation } from "./admin-seed";

const { buildIfStale } = await import("../lib/server/build");
const { postPasswordSignIn } = await import("../e2e/support/server-action");

const ATTEMPTS = Number(process.env.BENCH_SIGNIN_ATTEMPTS ?? 200);
const CONCURRENCY = Number(process.env.BENCH_SIGNIN_CONCURRENCY ?? 50);
const PROBE_CONNECTIONS = Number(process.env.BENCH_PROBE_CONNECTIONS ?? 2);
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 5);
/** BENCH_SIGNIN_UNTRUSTED=1: the server trusts no proxy, so the rotating addresses are ignored and the per-client limit refuses most attempts before any hash. */
const UNTRUSTED = process.env.BENCH_SIGNIN_UNTRUSTED === "1";
const ISSUER = "https://bench.wif.test";
const AUDIENCE = "https://api.anthropic.com";
const root = path.resolve(import.meta.dirname, "..");

await buildIfStale(root);

// A fresh SQLite database with an admin key, then the server on it.
const database = await createBenchDatabase("sqlite");
const { adminKey } = database;

const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", path.join(root, "bench/console-server.ts"), database.url, UNTRUSTED ? "" : "127.0.0.1/32"], { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
process.once("exit", () => child.kill());
const url = await new Promise<string>((resolve, reject) => {
  child.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
  // Next writes its own lines to stdout too; the server prints its URL once listening.
  const lines = createInterface({ input: child.stdout! });
  lines.on("line", (line) => {
    if (/^http:\/\//.test(line)) resolve(line);
  });
});

// An issuer with an inline ES256 key and a rule, through the Admin API.
const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
const jwk = { ...publicKey.export({ format: "jwk" }), kid: "bench", alg: "ES256" };
const { ruleId } = await seedFederation(adminPost(url, adminKey), {
  name: "bench",
  issuer: { issuer_url: ISSUER, jwks: { type: "inline", keys: [jwk] }, max_jwt_lifetime_seconds: 3600 },
  match: { subject_prefix: "repo:acme/app:ref:refs/heads/*" },
  oauthScope: "workspace:developer",
});

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const header = b64({ alg: "ES256", kid: "bench", typ: "JWT" });
function exchangeBody(): string {
  const now = Math.floor(Date.now() / 1000);
  const input = `${header}.${b64({ iss: ISSUER, sub: "repo:acme/app:ref:refs/heads/main", aud: AUDIENCE, iat: now, exp: now + 900, jti: randomUUID() })}`;
  const assertion = `${input}.${sign("sha256", Buffer.from(input), { key: privateKey, dsaEncoding: "ieee-p1363" }).toString("base64url")}`;
  return JSON.stringify({ grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion, federation_rule_id: ruleId, organization_id: database.organizationId });
}

const probeAgent = new http.Agent({ keepAlive: true, maxSockets: 16 });
let probeFailures = 0;

/** One token exchange; resolves with its latency in milliseconds. */
function exchange(): Promise<number> {
  const body = exchangeBody();
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}/v1/oauth/token`, { method: "POST", agent: probeAgent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } }, (res) => {
      if (res.statusCode !== 200) probeFailures++;
      res.resume();
      res.on("end", () => resolve(Number(process.hrtime.bigint() - started) / 1e6));
    });
    req.on("error", reject);
    req.end(body);
  });
}

/**
 * Token exchanges from PROBE_CONNECTIONS clients, each sending its next one when the last
 * is answered, until `until` settles; their latencies. (Closed loop: on a shared machine an
 * open-loop rate the server cannot momentarily keep up with measures the backlog, not the
 * server.)
 */
async function probe(until: Promise<unknown>): Promise<number[]> {
  const latencies: number[] = [];
  let done = false;
  void until.finally(() => (done = true));
  const client = async () => {
    while (!done) latencies.push(await exchange());
  };
  await Promise.all(Array.from({ length: PROBE_CONNECTIONS }, client));
  return latencies;
}

const floodAgent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
const outcomes = new Map<string, number>();

/** ATTEMPTS sign-ins, CONCURRENCY at a time, each a fresh email from a fresh forwarded address. */
async function flood(attempts: number): Promise<number> {
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < attempts) {
      const i = next++;
      const ip = `198.18.${randomBytes(1)[0]}.${(randomBytes(1)[0]! % 254) + 1}`;
      const reply = await postPasswordSignIn<{ ok: boolean; error?: { status: number } }>({
        url,
        email: `flood-${i}-${randomUUID().slice(0, 8)}@example.com`,
        password: `guess number ${i}`,
        headers: { "x-forwarded-for": ip, "x-forwarded-proto": i % 2 ? "https" : "http" },
        agent: floodAgent,
      });
      const outcome = reply.result ? (reply.result.ok ? "signed in" : String(reply.result.error?.status)) : `HTTP ${reply.status}`;
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, attempts) }, worker));
  return performance.now() - started;
}

/** CPU seconds (user + system) the server has used so far: its main thread (the event loop) and all its threads; undefined off Linux. */
function serverCpu(): { main: number; all: number } | undefined {
  const seconds = (file: string) => {
    const stat = fs.readFileSync(file, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // USER_HZ is 100 on Linux
  };
  try {
    return { main: seconds(`/proc/${child.pid}/task/${child.pid}/stat`), all: seconds(`/proc/${child.pid}/stat`) };
  } catch {
    return undefined;
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length % 2 ? sorted[(sorted.length - 1) / 2]! : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
};
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))]!;
const describe = (values: number[]) => `median ${median(values).toFixed(2)} ms, p90 ${percentile(values, 90).toFixed(2)} ms, p99 ${percentile(values, 99).toFixed(2)} ms over ${values.length} exchanges`;

// Warm both paths (Next loads the login page's action module on first use).
await probe(new Promise((r) => setTimeout(r, 1000)));
await flood(5);
outcomes.clear();

const idleBefore = await probe(new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000)));
let floodMs = 0;
const cpuBefore = serverCpu();
const during = await probe(flood(ATTEMPTS).then((ms) => (floodMs = ms)));
const cpuAfter = serverCpu();
const idleAfter = await probe(new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000)));
const idle = [...idleBefore, ...idleAfter];

child.kill("SIGINT");
await new Promise((r) => child.once("exit", r));
probeAgent.destroy();
floodAgent.destroy();
await database.drop();

const ratio = median(during) / median(idle);
console.log(
  `\nSign-in flood: ${ATTEMPTS} attempts, ${CONCURRENCY} at once, each a fresh email from a fresh X-Forwarded-For address (${UNTRUSTED ? "ignored: the server trusts no proxy" : "believed: the server trusts loopback as a proxy"}).`,
);
console.log(`  flood took ${(floodMs / 1000).toFixed(1)} s (${(ATTEMPTS / (floodMs / 1000)).toFixed(0)} attempts/s); outcomes: ${[...outcomes].map(([o, n]) => `${o} × ${n}`).join(", ")}`);
if (cpuBefore && cpuAfter) {
  const perAttempt = (key: "main" | "all") => (((cpuAfter[key] - cpuBefore[key]) * 1000) / ATTEMPTS).toFixed(1);
  console.log(`  server CPU during the flood, per attempt (token exchanges included): ${perAttempt("all")} ms in all, ${perAttempt("main")} ms on the event loop`);
}
console.log(`Token endpoint, ${PROBE_CONNECTIONS} clients exchanging back to back:`);
console.log(`  idle, before: ${describe(idleBefore)}`);
console.log(`  idle, after:  ${describe(idleAfter)}`);
console.log(`  idle, both:   ${describe(idle)}`);
console.log(`  during flood: ${describe(during)}`);
console.log(`  median during flood / idle median: ${ratio.toFixed(2)}× — goal (< 2×) ${ratio < 2 ? "met" : "NOT met"}`);
if (probeFailures > 0) {
  console.error(`${probeFailures} token exchanges were not granted; the figures above are not comparable.`);
  process.exitCode = 1;
}
