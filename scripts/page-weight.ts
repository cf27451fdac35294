/**
 * `npm run weight`: how much JavaScript each console page makes a first-time visitor download,
 * gzipped, in Chromium, beside a blank Next page of the same build (the root not-found page:
 * Next's runtime and the root layout, nothing of ours). Starts the real server the way
 * `npm start` does (building the console when stale), signs in as the owner, and loads every
 * page in a fresh browser context, so nothing is cached. `--check` exits 1 when a page ships
 * more than the budget above the blank page.
 * @see docs/architecture.md#page-weight
 */
import { gzipSync } from "node:zlib";
import fs from "node:fs";
import { chromium, type Browser } from "@playwright/test";
import { startConsoleProcess } from "../bench/console-process";

/** What a page may add to a blank Next page, gzipped (issue 15's budget). */
const BUDGET_BYTES = 60 * 1024;
const CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => fs.existsSync(p));

/** The JavaScript one first visit to `url` downloads: each script's body gzipped, summed. */
async function scriptBytes(browser: Browser, url: string, cookie: { name: string; value: string; url: string }): Promise<{ gzip: number; scripts: number }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addCookies([cookie]);
  const page = await context.newPage();
  const bodies: Array<Promise<Buffer | null>> = [];
  page.on("response", (response) => {
    if (response.request().resourceType() === "script") bodies.push(response.body().catch(() => null));
  });
  const response = await page.goto(url, { waitUntil: "networkidle" });
  if (!response || response.status() >= 500) throw new Error(`${url} answered ${response?.status()}`);
  const all = (await Promise.all(bodies)).filter((b): b is Buffer => b !== null);
  await context.close();
  return { gzip: all.reduce((sum, body) => sum + gzipSync(body).length, 0), scripts: all.length };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;

// WEIGHT_PORT: where to listen, on machines whose ports are assigned; a free one otherwise.
const server = await startConsoleProcess(process.env.WEIGHT_PORT ? { PORT: process.env.WEIGHT_PORT } : {});
const browser = await chromium.launch({ ...(CHROMIUM ? { executablePath: CHROMIUM } : {}), args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
try {
  const base = `http://${server.host}:${server.port}`;
  const admin = async (path: string, body: unknown) => {
    const res = await fetch(`${base}/v1/organizations${path}`, { method: "POST", headers: { authorization: `Bearer ${server.adminKey}`, "content-type": "application/json" }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as { id: string };
  };
  // One of each resource, so the detail pages exist (inline keys: nothing is fetched).
  const { generateKeyPairSync } = await import("node:crypto");
  const jwk = { ...(generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ format: "jwk" }) as Record<string, unknown>), kid: "weight" };
  const issuer = await admin("/federation_issuers", { name: "weight", issuer_url: "https://weight.example.com", jwks: { type: "inline", keys: [jwk] } });
  const account = await admin("/service_accounts", { name: "weight" });
  const rule = await admin("/federation_rules", {
    name: "weight",
    issuer_id: issuer.id,
    match: { subject_prefix: "repo:acme/app:ref:refs/heads/main" },
    target: { type: "service_account", service_account_id: account.id },
    oauth_scope: "workspace:developer",
    workspace_id: "default",
  });

  const pages = [
    "/",
    "/connect",
    `/connect/done?rule=${rule.id}&provider=github-actions`,
    "/issuers",
    "/issuers/new",
    `/issuers/${issuer.id}`,
    "/service-accounts",
    `/service-accounts/${account.id}`,
    "/rules",
    "/rules/new",
    `/rules/${rule.id}`,
    `/rules/${rule.id}/edit`,
    "/tester",
    "/history",
    "/api-keys",
    "/admin-keys",
    "/users",
    "/workspaces",
  ];
  const cookie = { name: "wif_session", value: server.sessionId, url: base };
  const blank = await scriptBytes(browser, `${base}/weight-blank-page-${Date.now()}`, cookie);
  const rows: Array<{ page: string; gzip: number; over: number }> = [];
  for (const path of pages) {
    const { gzip } = await scriptBytes(browser, `${base}${path}`, cookie);
    rows.push({ page: path.replace(/(fd[a-z]{2}|svac)_[0-9A-Za-z]+/g, "[id]"), gzip, over: gzip - blank.gzip });
  }

  console.log(`First-visit JavaScript, gzipped (Chromium), against a blank Next page of ${kb(blank.gzip)} (${blank.scripts} scripts); budget +${kb(BUDGET_BYTES)}\n`);
  console.log(`${"page".padEnd(36)} ${"gzipped".padStart(10)} ${"over blank".padStart(11)}`);
  for (const r of rows) console.log(`${r.page.padEnd(36)} ${kb(r.gzip).padStart(10)} ${`+${kb(r.over)}`.padStart(11)}${r.over > BUDGET_BYTES ? "  over budget" : ""}`);
  const over = rows.filter((r) => r.over > BUDGET_BYTES);
  if (process.argv.includes("--check") && over.length > 0) process.exitCode = 1;
} finally {
  await browser.close();
  await server.stop();
}
