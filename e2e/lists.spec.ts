/**
 * Keys shown once, and lists that page: an owner creates an admin key in the console, uses it
 * on the Admin API to create more workspaces than one page holds, then "Load more" shows them.
 */
import { expect, test } from "./support/test";
import { createKeyInConsole, OWNER_STATE, uniqueName } from "./helpers";

test.use({ storageState: OWNER_STATE });

test.describe.serial("keys and paging", () => {
  let adminKey = "";
  const keyName = uniqueName("automation");
  const prefix = uniqueName("paged");

  test("an owner creates an admin key; the secret is shown once", async ({ page }) => {
    adminKey = await createKeyInConsole(page, "admin", keyName);
    await expect(page.getByRole("button", { name: "Copy key" })).toBeVisible();

    await page.reload();
    await expect(page.getByRole("cell", { name: keyName })).toBeVisible();
    await expect(page.getByText(adminKey)).toHaveCount(0);
  });

  test("more workspaces than one page holds load with Load more", async ({ page, request }) => {
    for (let i = 1; i <= 21; i++) {
      const res = await request.post("/v1/organizations/workspaces", { headers: { "x-api-key": adminKey }, data: { name: `${prefix}-${i}` } });
      expect(res.status()).toBe(200);
    }
    await page.goto("/workspaces");
    const rows = page.getByRole("region", { name: "Workspaces" }).locator("tbody tr");
    await expect(rows).toHaveCount(20);
    await page.getByRole("button", { name: "Load more" }).click();
    await expect(page.getByRole("link", { name: `${prefix}-1`, exact: true })).toBeVisible();
    expect(await rows.count()).toBeGreaterThanOrEqual(22);
  });

  test("a deactivated admin key stops working", async ({ page, request }) => {
    await page.goto("/admin-keys");
    const row = page.getByRole("row").filter({ hasText: keyName });
    await row.getByRole("button", { name: "Deactivate" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Deactivate" }).click();
    await expect(row.getByText("Inactive")).toBeVisible();
    const res = await request.get("/v1/organizations/workspaces", { headers: { "x-api-key": adminKey } });
    expect(res.status()).toBe(401);
  });

  test("an API key is shown once, then only its hint", async ({ page }) => {
    const name = uniqueName("legacy-job");
    const value = await createKeyInConsole(page, "api", name);
    await page.reload();
    await expect(page.getByRole("cell", { name })).toBeVisible();
    await expect(page.getByText(value)).toHaveCount(0);
    await expect(page.getByRole("cell", { name: `${value.slice(0, 16)}…${value.slice(-3)}` })).toBeVisible();
  });
});
