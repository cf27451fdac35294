/**
 * Build the console (`next build`) when its sources are newer than the last build: for
 * `npm start`, and for the tests and benchmarks that run the console in a real server.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { logger } from "../observability/log";

/** Newest modification time below `p` (files only), skipping tests. */
function newestMtime(p: string): number {
  if (!fs.existsSync(p)) return 0;
  const stat = fs.statSync(p);
  if (!stat.isDirectory()) return /\.test\.tsx?$/.test(p) ? 0 : stat.mtimeMs;
  return Math.max(0, ...fs.readdirSync(p).map((name) => newestMtime(path.join(p, name))));
}

/** Whether `root/.next` is missing or older than the sources it is built from. */
export function isConsoleBuildStale(root: string): boolean {
  const buildId = path.join(root, ".next", "BUILD_ID");
  const built = fs.existsSync(buildId) ? fs.statSync(buildId).mtimeMs : 0;
  const sources = ["app", "components", "lib", "public", "next.config.ts", "package.json", "postcss.config.mjs", "tsconfig.json"];
  return built < Math.max(...sources.map((s) => newestMtime(path.join(root, s))));
}

/** Run `next build` in `root` if the build is stale; throws when it fails (its output went to ours). */
export function buildConsoleIfStale(root: string): void {
  if (!isConsoleBuildStale(root)) return;
  const first = !fs.existsSync(path.join(root, ".next", "BUILD_ID"));
  logger().info(first ? "building the console (first start)" : "sources changed since the last build; rebuilding the console");
  const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");
  // Its output goes to stderr: stdout carries the server's JSON log lines only.
  const result = spawnSync(process.execPath, [nextBin, "build"], { cwd: root, stdio: ["ignore", process.stderr, process.stderr], env: { ...process.env, NODE_ENV: "production" } });
  if (result.status !== 0) throw new Error("next build failed; see the output above.");
}
