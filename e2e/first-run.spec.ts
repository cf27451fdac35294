/**
 * First start: the one-time setup code turns the first visitor into the owner. Runs before
 * every other spec (its own Playwright project) and saves the owner's session for them.
 */
import { expect, test } from "./support/test";
import { OWNER, OWNER_STATE, readSetupCode } from "./helpers";

test.describe.serial("first-run setup", () => {
  test("before setup, console pages lead to /setup", async ({ page }) => {
    await page.goto("/issuers");
    await expect(page).toHaveURL(/\/setup$/);
    await expect(page.getByRole("heading", { name: "Create the owner account" })).toBeVisible();
  });

  test("a wrong setup code is refused next to the code field, keeping what was typed", async ({ page }) => {
    await page.goto("/setup");
    await page.getByLabel("Setup code").fill("AAAA-BBBB-CCCC-DDDD");
    await page.getByLabel("Your name").fill(OWNER.name);
    await page.getByLabel("Email").fill(OWNER.email);
    await page.getByLabel("Password").fill(OWNER.password);
    await page.getByRole("button", { name: "Create owner account" }).click();
    await expect(page.getByLabel("Setup code")).toHaveAccessibleDescription(/not the current setup code/);
    await expect(page.getByLabel("Setup code")).toHaveAttribute("aria-invalid", "true");
    await expect(page).toHaveURL(/\/setup$/);
    await expect(page.getByLabel("Email")).toHaveValue(OWNER.email);
  });

  test("the setup code creates the owner and signs them in", async ({ page }) => {
    await page.goto("/setup");
    await page.getByLabel("Setup code").fill(readSetupCode().toLowerCase());
    await page.getByLabel("Your name").fill(OWNER.name);
    await page.getByLabel("Email").fill(OWNER.email);
    await page.getByLabel("Password").fill(OWNER.password);
    await page.getByRole("button", { name: "Create owner account" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByText(`Signed in as ${OWNER.name} (owner)`)).toBeVisible();
    // A fresh installation's Overview leads to the guided setup first.
    await expect(page.getByRole("heading", { name: "Connect your first workload" })).toBeVisible();
    await expect(page.getByRole("main").getByRole("link", { name: "Connect a workload" })).toHaveAttribute("href", "/connect");
    if (process.env.E2E_SCREENSHOTS) {
      for (const width of [1280, 390]) {
        await page.setViewportSize({ width, height: 900 });
        await page.screenshot({ path: `/tmp/guidance-overview-fresh-${width}.png`, fullPage: true });
      }
    }
    await page.context().storageState({ path: OWNER_STATE });
  });

  test("once an owner exists, /setup only says setup is done", async ({ page }) => {
    await page.goto("/setup");
    await expect(page.getByRole("heading", { name: "Setup is done" })).toBeVisible();
    await expect(page.getByLabel("Setup code")).toHaveCount(0);
    await page.getByRole("link", { name: "Go to sign in" }).click();
    await expect(page).toHaveURL(/\/login$/);
  });
});
