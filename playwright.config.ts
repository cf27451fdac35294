import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";

/**
 * End-to-end journeys in a real browser against a real server (SQLite in a fresh temp
 * file). Debian's Chromium is used where present (CHROMIUM_PATH overrides); elsewhere
 * Playwright's own browser.
 */
const chromium = process.env.CHROMIUM_PATH ?? ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => fs.existsSync(p));
const port = Number(process.env.E2E_PORT ?? 3107);
// Workers load this file too: the directory is made once, in the runner, and handed to the
// workers through the environment so specs find the setup code and the owner's session.
process.env.WIF_E2E_DATA_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), "wif-e2e-"));
const dataDir = process.env.WIF_E2E_DATA_DIR;

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  reporter: process.env.CI ? "line" : "list",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: `http://localhost:${port}`,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: chromium,
      args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    },
  },
  // first-run.spec.ts creates the owner from the setup code and saves the owner's session;
  // every other spec depends on it (see e2e/helpers.ts). edge.spec.ts sends malformed and
  // fuzzed requests, which leave history rows behind: it runs last.
  projects: [
    { name: "first-run", testMatch: /first-run\.spec\.ts$/ },
    { name: "console", testIgnore: /(first-run|edge)\.spec\.ts$/, dependencies: ["first-run"] },
    { name: "edge", testMatch: /edge\.spec\.ts$/, dependencies: ["console"] },
  ],
  // The server's output goes to server.log in the run's data directory; after the run it is
  // searched for secrets (e2e/support/server-log-check.ts).
  globalTeardown: "./e2e/support/server-log-check.ts",
  webServer: {
    // Build when the sources changed since the last build (`npm start` itself never builds).
    command: `npm run build --silent -- --if-stale && npm start > "${path.join(dataDir, "server.log")}" 2>&1`,
    url: `http://localhost:${port}/healthz`,
    timeout: 600_000, // a cold `next build` on a busy 2-core machine takes minutes
    reuseExistingServer: false,
    stdout: "pipe",
    env: {
      PORT: String(port),
      DATABASE_URL: `file:${path.join(dataDir, "wif.db")}`,
      WIF_PUBLIC_URL: `http://localhost:${port}`,
      WIF_ALLOW_INSECURE_ISSUERS: "1",
      WIF_SETUP_CODE_FILE: path.join(dataDir, "setup-code"),
    },
  },
});
