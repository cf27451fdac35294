/**
 * The built artifact: `next build` (the console) and the server bundled with esbuild into
 * `.next/wif-server/start.mjs`, which `npm start` runs without building anything. One place
 * decides whether the build is stale — `npm run build -- --if-stale`, the Playwright web
 * server, the tests and benchmarks that serve the console all ask here.
 * @see docs/architecture.md#the-built-artifact
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

/** The bundled server, relative to the project root (the same two levels deep as lib/server/start.ts). */
export const SERVER_BUNDLE = path.join(".next", "wif-server", "start.mjs");

/** What the build is made from: a change to any of these makes it stale. */
const SOURCES = ["app", "components", "lib", "public", "next.config.ts", "package.json", "postcss.config.mjs", "proxy.ts", "tsconfig.json"];

/** Newest modification time below `p` (files only), skipping tests. */
function newestMtime(p: string): number {
  if (!fs.existsSync(p)) return 0;
  const stat = fs.statSync(p);
  if (!stat.isDirectory()) return /\.test\.tsx?$/.test(p) ? 0 : stat.mtimeMs;
  return Math.max(0, ...fs.readdirSync(p).map((name) => newestMtime(path.join(p, name))));
}

const mtimeOf = (file: string) => (fs.existsSync(file) ? fs.statSync(file).mtimeMs : 0);

/** Whether the console build or the server bundle under `root/.next` is missing or older than the sources. */
export function isBuildStale(root: string): boolean {
  const built = Math.min(mtimeOf(path.join(root, ".next", "BUILD_ID")), mtimeOf(path.join(root, SERVER_BUNDLE)));
  return built < Math.max(...SOURCES.map((s) => newestMtime(path.join(root, s))));
}

/** Whether `root` holds a complete build (fresh or not): what `npm start` needs. */
export function isBuilt(root: string): boolean {
  return fs.existsSync(path.join(root, ".next", "BUILD_ID")) && fs.existsSync(path.join(root, SERVER_BUNDLE));
}

/** `next build`, then the server bundle (next build empties `.next` first). Throws when a step fails; their output goes to ours. */
export async function build(root: string): Promise<void> {
  const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");
  const result = spawnSync(process.execPath, [nextBin, "build"], { cwd: root, stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });
  if (result.status !== 0) throw new Error("next build failed; see the output above.");
  await bundleServer(root);
}

/** Build when stale; says why it builds. */
export async function buildIfStale(root: string): Promise<void> {
  if (!isBuildStale(root)) return;
  console.log(isBuilt(root) ? "Sources changed since the last build; rebuilding…" : "Building the console and the server…");
  await build(root);
}

/**
 * Bundle lib/server/start.ts and everything of ours it imports into one ES module. npm
 * packages stay external — native ones (better-sqlite3, @node-rs/argon2) cannot be bundled
 * and Next must find its own files — so the artifact runs on the production dependencies.
 */
async function bundleServer(root: string): Promise<void> {
  const { build: esbuild } = await import("esbuild");
  await esbuild({
    entryPoints: [path.join(root, "lib", "server", "start.ts")],
    outfile: path.join(root, SERVER_BUNDLE),
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    sourcemap: "linked",
    logLevel: "warning",
    // Our modules mark themselves "server-only" for Next; outside Next that package throws on
    // import (lib/server/register-server-only.ts), and in a bundle its import would run before
    // any hook could be registered: here it is the empty module it is in Next's server bundles.
    plugins: [
      {
        // Next has no `exports` map: Node's ESM loader needs the file's extension on deep imports.
        name: "next-deep-imports",
        setup(b) {
          b.onResolve({ filter: /^next\/dist\// }, (args) => ({ path: args.path.endsWith(".js") ? args.path : `${args.path}.js`, external: true }));
        },
      },
      {
        name: "server-only",
        setup(b) {
          b.onResolve({ filter: /^server-only$/ }, () => ({ path: "server-only", namespace: "empty" }));
          b.onLoad({ filter: /.*/, namespace: "empty" }, () => ({ contents: "" }));
        },
      },
    ],
  });
}
