#!/usr/bin/env node
// `npm start`: run the built server (.next/wif-server/start.mjs, made by `npm run build`).
// It never builds: a container or a fresh instance must be serving in seconds, not minutes.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const root = path.resolve(import.meta.dirname, "..");
const bundle = path.join(root, ".next", "wif-server", "start.mjs");
if (!fs.existsSync(bundle) || !fs.existsSync(path.join(root, ".next", "BUILD_ID"))) {
  console.error("WIF Console is not built: run `npm run build` first (`npm run build -- --if-stale` builds only when the sources changed).");
  process.exit(1);
}
await import(pathToFileURL(bundle).href);
