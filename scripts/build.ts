/**
 * `npm run build`: the console and the bundled server (lib/server/build.ts).
 * `npm run build -- --if-stale` builds only when the sources changed since the last build.
 */
import path from "node:path";
import { build, buildIfStale } from "../lib/server/build";

const root = path.resolve(import.meta.dirname, "..");
try {
  if (process.argv.includes("--if-stale")) await buildIfStale(root);
  else await build(root);
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
