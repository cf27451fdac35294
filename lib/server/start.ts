/**
 * `npm start`: build the console when the sources are newer than the last build, then
 * serve console and API on PORT. `npm run dev` runs the same with Next in development mode.
 */
import "./register-server-only";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");
const { loadConfig } = await import("../config");

let config;
try {
  config = loadConfig();
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}

/** Newest modification time below `p` (files only), skipping tests. */
function newestMtime(p: string): number {
  if (!fs.existsSync(p)) return 0;
  const stat = fs.statSync(p);
  if (!stat.isDirectory()) return /\.test\.tsx?$/.test(p) ? 0 : stat.mtimeMs;
  return Math.max(0, ...fs.readdirSync(p).map((name) => newestMtime(path.join(p, name))));
}

function buildIfStale(): void {
  const buildId = path.join(root, ".next", "BUILD_ID");
  const built = fs.existsSync(buildId) ? fs.statSync(buildId).mtimeMs : 0;
  const sources = ["app", "components", "lib", "public", "next.config.ts", "package.json", "postcss.config.mjs", "tsconfig.json"];
  const newest = Math.max(...sources.map((s) => newestMtime(path.join(root, s))));
  if (built >= newest) return;
  console.log(built ? "Sources changed since the last build; rebuilding the console…" : "Building the console (first start)…");
  const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");
  const result = spawnSync(process.execPath, [nextBin, "build"], { cwd: root, stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });
  if (result.status !== 0) {
    console.error("next build failed; see the output above.");
    process.exit(result.status ?? 1);
  }
}

if (!config.dev) {
  buildIfStale();
  // tsx turns on Node's source-map support for the whole process, so Node keeps the parsed
  // map of every module it loads — Next's server chunks included — and Next's error printer
  // then builds a SourceMapConsumer per chunk map that stays for the life of the process:
  // ~80 MiB of heap (300k `Mapping` objects) after a burst of requests that Next logged as
  // errors, never given back. Production stack traces point into the built files instead.
  process.setSourceMapsEnabled(false);
}

const { serve } = await import("./serve");
const server = await serve({ config, console: true, dir: root });
console.log(`WIF Console listening on ${server.url} (database: ${config.database.kind === "sqlite" ? config.database.file : "PostgreSQL"})`);

if (config.demo) {
  const { seedDemo } = await import("./demo-seed");
  const { issuerUrl } = await seedDemo(server.runtime.store.db, server.runtime.organizationId, server.runtime.publicUrl, config);
  console.log(`Demo mode: the built-in demo issuer is ${issuerUrl}; sample rule "demo-github-main" is ready.`);
}

const { announceFirstRun } = await import("./first-run");
await announceFirstRun(server);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1);
    stopping = true;
    void server.close().then(() => process.exit(0));
  });
}
