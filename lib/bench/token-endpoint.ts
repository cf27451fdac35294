/**
 * `npm run bench`: the token endpoint's throughput and latency side by side, in one run,
 * with a bare node:http + jose server doing the same verification and minting; plus the
 * cost of rule evaluation. Servers run in child processes; the load generator here.
 */
import "../server/register-server-only";
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { createInterface } from "node:readline";
import autocannon from "autocannon";
import { exportJWK, generateKeyPair, SignJWT } from "jose";

const { createAdminKey } = await import("../admin/api-keys");
const { ensureOrganization } = await import("../admin/organization");
const { openStore } = await import("../store/db");
const { createTestDatabase } = await import("../server/test-server");
const { explainRuleMatch, firstFailure } = await import("../federation/match");

const CONNECTIONS = 32;
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const ISSUER = "https://bench.wif.test";
const SUBJECT = "repo:acme/app:ref:refs/heads/main";
const root = path.resolve(import.meta.dirname, "../..");

/** Set BENCH_CPU_PROF=DIR to write a V8 CPU profile of each server into DIR (open in Chrome DevTools). */
const cpuProfDir = process.env.BENCH_CPU_PROF;

function startChild(args: string[]): Promise<{ url: string; child: ChildProcess }> {
  const profile = cpuProfDir ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(cpuProfDir)}`] : [];
  const child = spawn(process.execPath, [...profile, "--import", "tsx", ...args], { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
    createInterface({ input: child.stdout! }).once("line", (url) => resolve({ url, child }));
  });
}

/** SIGINT lets the child exit normally, so `--cpu-prof` can write its profile. */
function stopChild(child: ChildProcess): Promise<void> {
  child.removeAllListeners("exit");
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGINT");
  return exited;
}

const { publicKey, privateKey } = await generateKeyPair("ES256", { extractable: true });
const jwk = { ...(await exportJWK(publicKey)), kid: "bench", alg: "ES256" };

console.log(`Signing assertions…`);
const now = Math.floor(Date.now() / 1000);
const POOL = 60_000;
const assertions: string[] = [];
for (let i = 0; i < POOL; i++) {
  assertions.push(
    await new SignJWT({ iss: ISSUER, sub: SUBJECT, aud: "https://api.anthropic.com", iat: now, exp: now + 900, jti: randomUUID(), repository_owner: "acme", ref: "refs/heads/main" })
      .setProtectedHeader({ alg: "ES256", kid: "bench" })
      .sign(privateKey),
  );
}

// Shared across runs: a single-use jti must never be presented twice (warm-up included).
let next = 0;
async function load(url: string, body: (assertion: string) => string, seconds: number) {
  return autocannon({
    url: `${url}/v1/oauth/token`,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        setupRequest: (req) => ({ ...req, body: body(assertions[next++ % POOL]!) }),
      },
    ],
  });
}

// Baseline
const baseline = await startChild([path.join(root, "lib/bench/baseline-server.ts"), JSON.stringify(jwk), ISSUER]);
await load(baseline.url, (a) => JSON.stringify({ assertion: a }), 2);
const base = await load(baseline.url, (a) => JSON.stringify({ assertion: a }), DURATION);
await stopChild(baseline.child);

// The real server on a fresh SQLite database
const database = await createTestDatabase("sqlite");
const store = await openStore({ kind: "sqlite", file: database.url.slice("file:".length) });
const org = await ensureOrganization(store.db);
const { key: adminKey } = await createAdminKey(store.db, org.id, "bench", { type: "system" });
await store.close();
const ours = await startChild([path.join(root, "lib/bench/api-server.ts"), database.url]);
const admin = async (p: string, body: unknown) => {
  const res = await fetch(`${ours.url}/v1/organizations${p}`, { method: "POST", headers: { authorization: `Bearer ${adminKey}`, "content-type": "application/json" }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${p}: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string };
};
const issuer = await admin("/federation_issuers", { name: "bench", issuer_url: ISSUER, jwks: { type: "inline", keys: [jwk] }, max_jwt_lifetime_seconds: 3600 });
const sa = await admin("/service_accounts", { name: "bench" });
const rule = await admin("/federation_rules", {
  name: "bench",
  issuer_id: issuer.id,
  match: { subject_prefix: "repo:acme/app:ref:refs/heads/*", claims: { repository_owner: "acme" }, condition: 'claims.ref.startsWith("refs/heads/")' },
  target: { type: "service_account", service_account_id: sa.id },
  oauth_scope: "workspace:developer",
  workspace_id: "default",
});
const exchangeBody = (a: string) => JSON.stringify({ grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion: a, federation_rule_id: rule.id, organization_id: org.id });
await load(ours.url, exchangeBody, 2);
const real = await load(ours.url, exchangeBody, DURATION);
await stopChild(ours.child);
await database.drop();

// Rule evaluation alone
const claims = { iss: ISSUER, sub: SUBJECT, aud: "https://api.anthropic.com", repository_owner: "acme", ref: "refs/heads/main" };
const match = { subject_prefix: "repo:acme/app:ref:refs/heads/*", claims: { repository_owner: "acme" }, condition: 'claims.ref.startsWith("refs/heads/")' };
const N = 200_000;
for (let i = 0; i < 10_000; i++) firstFailure(explainRuleMatch(match, claims, { defaultAudience: "https://api.anthropic.com" }));
const t0 = process.hrtime.bigint();
for (let i = 0; i < N; i++) firstFailure(explainRuleMatch(match, claims, { defaultAudience: "https://api.anthropic.com" }));
const perEval = Number(process.hrtime.bigint() - t0) / N;

const row = (name: string, r: autocannon.Result) =>
  `${name.padEnd(34)} ${String(Math.round(r.requests.average)).padStart(8)} req/s   p50 ${String(r.latency.p50).padStart(4)} ms   p99 ${String(r.latency.p99).padStart(4)} ms   non-2xx ${r.non2xx}   errors ${r.errors}`;
console.log(`\nToken exchange, ${CONNECTIONS} connections, ${DURATION}s each, ES256 assertions, SQLite (WAL):`);
console.log(row("bare node:http + jose (baseline)", base));
console.log(row("WIF Console /v1/oauth/token", real));
console.log(`ratio (ours / baseline): ${(real.requests.average / base.requests.average).toFixed(2)}×  — goal ≥ 0.50×, p99 < 25 ms`);
console.log(`\nRule evaluation (subject prefix + claim + CEL condition): ${(perEval / 1000).toFixed(2)} µs per evaluation, ${Math.round(1e9 / perEval).toLocaleString()} /s`);
if (real.non2xx > 0 || real.errors > 0) {
  console.error("The token endpoint refused or failed some requests during the run; the figures above are not comparable.");
  process.exitCode = 1;
}
