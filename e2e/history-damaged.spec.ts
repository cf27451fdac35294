/**
 * The console's History pages with hostile and damaged entries: a refused token with a
 * 9,000-character subject, a granted one with 300 claims, and a row an older version stored
 * cut mid-string (inserted into the database directly). The list, each entry's page and both
 * exports still work; what was cut is marked, and the damaged claims show as unreadable.
 */
import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import { expect, test, type Page } from "./support/test";
import { generateKeyPair } from "jose";
import { newId } from "../lib/core/ids";
import { OWNER_STATE, uniqueName } from "./helpers";
import { setUpWorkload } from "./workload";

test.use({ storageState: OWNER_STATE });

test.describe.serial("history with hostile and damaged entries", () => {
  const name = uniqueName("damaged");
  const prefix = `repo:acme/${name}:`;
  const longSubject = `${prefix}${"x".repeat(9000)}`;
  let ruleId = "";
  const requests = { long: "", many: "", damaged: "" };

  const rows = (page: Page) => page.getByRole("region", { name: "Exchange list" }).locator("tbody tr");

  test("setup: two hostile exchanges and a row damaged by an older version", async ({ page, request }) => {
    const workload = await setUpWorkload(page, request, { name, subject: `${prefix}main`, rule: { match: { subject_prefix: `${prefix}*` } } });
    const { organizationId } = workload;
    ruleId = workload.ids.rule;
    const strangerKey = (await generateKeyPair("ES256")).privateKey;
    requests.long = (await workload.exchange(request, await workload.sign({ sub: longSubject }, strangerKey), 401)).requestId;
    requests.many = (await workload.exchange(request, await workload.sign(Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`c${i}`, "v"]))), 200)).requestId;

    // What the cap before this version stored for the long subject: JSON cut mid-string.
    requests.damaged = newId("request");
    const db = new SQLite(path.join(process.env.WIF_E2E_DATA_DIR!, "wif.db"));
    try {
      db.pragma("busy_timeout = 5000");
      db.prepare(
        `insert into auth_events (id, organization_id, occurred_at, request_id, outcome, reason, detail, federation_rule_id, issuer_id, service_account_id, workspace_id, subject, claims, claims_verified, access_token_id, client_ip)
         values (?, ?, ?, ?, 'denied', 'signature_invalid', 'stored by an older version', ?, null, null, null, ?, ?, 0, null, null)`,
      ).run(newId("authEvent"), organizationId, new Date().toISOString(), requests.damaged, ruleId, longSubject.slice(0, 1024), JSON.stringify({ _truncated: true, sub: longSubject }).slice(0, 8192));
    } finally {
      db.close();
    }
  });

  test("the list shows all three entries", async ({ page }) => {
    await page.goto(`/history?federation_rule_id=${ruleId}`);
    await expect(page.getByRole("heading", { level: 1, name: "History" })).toBeVisible();
    await expect(rows(page)).toHaveCount(3);
  });

  test("the damaged entry's page shows its claims as unreadable, and the rest of it", async ({ page }) => {
    await page.goto(`/history?request_id=${requests.damaged}`);
    await rows(page).first().getByRole("link").first().click();
    await expect(page.getByRole("heading", { level: 1, name: "Denied: Bad signature" })).toBeVisible();
    await expect(page.getByText("Claims unreadable")).toBeVisible();
    await expect(page.getByText(requests.damaged)).toBeVisible();
    await expect(page.getByRole("link", { name: "Open in token tester" })).toHaveCount(0);
  });

  test("the long subject's page shows the cut claim and says what was cut", async ({ page }) => {
    await page.goto(`/history?request_id=${requests.long}`);
    await rows(page).first().getByRole("link").first().click();
    const claims = page.getByRole("region", { name: "Claims", exact: true });
    await expect(claims.getByRole("row").filter({ hasText: "_truncated" })).toContainText('["sub"]');
    await expect(claims.getByRole("row").filter({ hasText: /^sub/ })).toContainText(`[cut ${longSubject.length - 1024} characters]`);
    await expect(page.getByText(/they were cut, and _truncated lists where/)).toBeVisible();
  });

  test("the exports carry every entry", async ({ page }) => {
    await page.goto(`/history?federation_rule_id=${ruleId}`);
    const csvDownload = page.waitForEvent("download");
    await page.getByRole("link", { name: "Export CSV" }).click();
    const csvText = fs.readFileSync((await (await csvDownload).path())!, "utf8");
    for (const id of Object.values(requests)) expect(csvText).toContain(id);

    const ndjsonDownload = page.waitForEvent("download");
    await page.getByRole("link", { name: "Export NDJSON" }).click();
    const lines = fs
      .readFileSync((await (await ndjsonDownload).path())!, "utf8")
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as { request_id: string; claims_unreadable: boolean; claims: Record<string, unknown> | null });
    expect(lines.map((l) => [l.request_id, l.claims_unreadable]).sort()).toEqual(
      [
        [requests.long, false],
        [requests.many, false],
        [requests.damaged, true],
      ].sort(),
    );
    expect(lines.find((l) => l.request_id === requests.many)!.claims!._truncated).toHaveLength(51);
  });
});
