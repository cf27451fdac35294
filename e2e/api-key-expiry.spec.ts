/**
 * API key expiry in the console: a key created with an expiry date a few days out is marked
 * "Expires soon" and named in the page's banner; a past date is refused on the form; a key
 * past its expiry is listed as Expired. Screenshots at 1280 and 390 px.
 */
import path from "node:path";
import SQLite from "better-sqlite3";
import { expect, test } from "./support/test";
import { createKeyInConsole, KEY_FORMS, OWNER_STATE, uniqueName } from "./helpers";

test.use({ storageState: OWNER_STATE });

const DAY = 86_400_000;
const dateIn = (days: number) => new Date(Date.now() + days * DAY).toISOString().slice(0, 10);

test.describe.serial("API key expiry", () => {
  const soon = uniqueName("expiring-job");
  const lapsed = uniqueName("lapsed-job");

  test("a key expiring within a week is badged and named in the banner", async ({ page }) => {
    await createKeyInConsole(page, "api", soon, dateIn(3));
    await page.reload();
    const row = page.getByRole("row").filter({ hasText: soon });
    await expect(row.getByText("Expires soon")).toBeVisible();
    const banner = page.getByText(/expires? within a week/).locator("..");
    await expect(banner).toContainText(soon);
  });

  test("a past date is refused on the form", async ({ page }) => {
    await page.goto("/api-keys");
    await page.getByLabel("Name", { exact: true }).fill(uniqueName("too-late"));
    await page.getByLabel(/^Expires/).fill(dateIn(-2));
    await page.getByRole("button", { name: "Create API key" }).click();
    await expect(page.getByText("must be in the future")).toBeVisible();
    await expect(page.getByText(KEY_FORMS.api.secret)).toHaveCount(0);
  });

  test("a key past its expiry is listed as Expired", async ({ page }) => {
    await createKeyInConsole(page, "api", lapsed, dateIn(30));
    // Time passes: the key's expiry moves into the past, as the clock would move it.
    const db = new SQLite(path.join(process.env.WIF_E2E_DATA_DIR!, "wif.db"));
    db.prepare("UPDATE api_keys SET expires_at = ? WHERE name = ?").run(new Date(Date.now() - DAY).toISOString(), lapsed);
    db.close();
    await page.reload();
    const row = page.getByRole("row").filter({ hasText: lapsed });
    await expect(row.getByText("expired", { exact: true })).toBeVisible();
    await expect(row.getByText("Expires soon")).toHaveCount(0);

    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: test.info().outputPath("api-keys-1280.png"), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: test.info().outputPath("api-keys-390.png"), fullPage: true });
  });
});
