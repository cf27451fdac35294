/**
 * `npm run weight`: how much JavaScript each console page makes a first-time visitor download,
 * gzipped, in Chromium, beside a blank Next page of the same build (the root not-found page:
 * Next's runtime and the root layout, nothing of ours). Starts the real server the way
 * `npm start` does (building the console when stale), signs in as the owner, and loads every
 * page in a fresh browser context, so nothing is cached. Link prefetches are refused: what a
 * prefetch would download is the linked page's weight, not this one's (the blank page's own
 * "Go to the overview" link would otherwise count the console's frame into the baseline).
 * `--check` exits 1 when a page ships more than the budget above the blank page.
 * @see docs/architecture.md#page-weight
 */
import { gzipSync } from "node:zlib";
import fs from "node:fs";
import { chromium, type Browser } from "@playwright/test";
import { adminPost, seedFederation } from "../bench/admin-seed";
import { ISSUER, jwk, signAssertions, SUBJECT } from "../bench/assertions";
import { startConsoleProcess } from "../bench/console-process";

/** What a page may add to a blank Next page, gzipped (issue 15's budget). */
const BUDGET_BYTES = 60 * 1024;
const PAGES_AT_ONCE = 4;
const CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => fs.existsSync(p));

/** The JavaScript one first visit to `url` downloads: each script's body gzipped, summed. */
async function scriptBytes(browser: Browser, url: string, cookie: { name: string; value: string; url: string }): Promise<{ gzip: number; scripts: number }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addCookies([cookie]);
  const page = await context.newPage();
  await page.route("**/*", (route) => (route.request().headers()["next-router-prefetch"] ? route.abort() : route.continue()));
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

/** The path of the history's newest entry (its page is the one place an exchange's ID shows). */
async function firstHistoryEntry(browser: Browser, url: string, cookie: { name: string; value: string; url: string }): Promise<string> {
  const context = await browser.newContext();
  await context.addCookies([cookie]);
  const page = await context.newPage();
  await page.goto(url);
  const href = await page.locator('a[href^="/history/authev_"]').first().getAttribute("href");
  await context.close();
  if (!href) throw new Error("the history lists no exchange");
  return href;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;

// WEIGHT_PORT: where to listen, on machines whose ports are assigned; a free one otherwise.
const server = await startConsoleProcess(process.env.WEIGHT_PORT ? { PORT: process.env.WEIGHT_PORT } : {});
const browser = await chromium.launch({ ...(CHROMIUM ? { executablePath: CHROMIUM } : {}), args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
try {
  const base = `http://${server.host}:${server.port}`;
  // One of each resource, so the detail pages exist (inline keys: nothing is fetched), and one
  // exchange, so the history has an entry to open.
  const admin = adminPost(base, server.adminKey);
  const seeded = await seedFederation(admin, {
    name: "weight",
    issuer: { issuer_url: ISSUER, jwks: { type: "inline", keys: [jwk] } },
    match: { subject_prefix: SUBJECT },
    oauthScope: "workspace:developer",
  });
  const workspace = await admin("/workspaces", { name: "weight" });
  const organization = (await (await fetch(`${base}/v1/organizations/me`, { headers: { authorization: `Bearer ${server.adminKey}` } })).json()) as { id: string };
  const exchange = await fetch(`${base}/v1/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion: signAssertions(1)[0], federation_rule_id: seeded.ruleId, organization_id: organization.id }),
  });
  if (!exchange.ok) throw new Error(`the seeding exchange answered ${exchange.status}: ${await exchange.text()}`);

  const cookie = { name: "wif_session", value: server.sessionId, url: base };
  const historyEntry = await firstHistoryEntry(browser, `${base}/history`, cookie);
  const pages = [
    "/",
    "/connect",
    `/connect/done?rule=${seeded.ruleId}&provider=github-actions`,
    "/issuers",
    "/issuers/new",
    `/issuers/${seeded.issuerId}`,
    `/issuers/${seeded.issuerId}/edit`,
    "/service-accounts",
    "/service-accounts/new",
    `/service-accounts/${seeded.serviceAccountId}`,
    `/service-accounts/${seeded.serviceAccountId}/edit`,
    "/rules",
    "/rules/new",
    `/rules/${seeded.ruleId}`,
    `/rules/${seeded.ruleId}/edit`,
    "/tester",
    "/history",
    historyEntry,
    "/requests",
    "/workspaces",
    "/workspaces/new",
    `/workspaces/${workspace.id}`,
    "/api-keys",
    "/admin-keys",
    "/users",
    "/upstream",
    "/settings/sign-in",
    "/account",
    "/denied?need=owner",
  ];
  const blank = await scriptBytes(browser, `${base}/weight-blank-page-${Date.now()}`, cookie);
  // A few pages at a time: what a page downloads does not depend on how fast it loads.
  const measured: Array<{ gzip: number }> = [];
  for (let i = 0; i < pages.length; i += PAGES_AT_ONCE) {
    measured.push(...(await Promise.all(pages.slice(i, i + PAGES_AT_ONCE).map((path) => scriptBytes(browser, `${base}${path}`, cookie)))));
  }
  const rows = pages.map((path, i) => ({ page: path.replace(/(fd[a-z]{2}|svac|wrkspc|authev)_[0-9A-Za-z]+/g, "[id]"), gzip: measured[i]!.gzip, over: measured[i]!.gzip - blank.gzip }));

  console.log(`First-visit JavaScript, gzipped (Chromium), against a blank Next page of ${kb(blank.gzip)} (${blank.scripts} scripts); budget +${kb(BUDGET_BYTES)}\n`);
  console.log(`${"page".padEnd(48)} ${"gzipped".padStart(10)} ${"over blank".padStart(11)}`);
  for (const r of rows) console.log(`${r.page.padEnd(48)} ${kb(r.gzip).padStart(10)} ${`+${kb(r.over)}`.padStart(11)}${r.over > BUDGET_BYTES ? "  over budget" : ""}`);
  const over = rows.filter((r) => r.over > BUDGET_BYTES);
  if (process.argv.includes("--check") && over.length > 0) {
    console.error(`\n${over.length} page(s) over the budget of +${kb(BUDGET_BYTES)}: ${over.map((r) => r.page).join(", ")} (docs/architecture.md#page-weight says what keeps pages light)`);
    process.exitCode = 1;
  }
} finally {
  await browser.close();
  await server.stop();
}
