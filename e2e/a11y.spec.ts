/**
 * Accessibility: axe (WCAG 2.1 A and AA rules) on every console page, signed out and signed
 * in, on desktop and phone widths; no serious or critical violations.
 */
import { expect, test, type Page } from "./support/test";
import { createIssuer, createRule, createServiceAccount, expectNoSeriousViolations, OWNER_STATE, uniqueName } from "./helpers";


test.describe("signed out", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("sign-in and setup pages", async ({ page }) => {
    for (const path of ["/login", "/setup"]) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      await expectNoSeriousViolations(page, path);
    }
    // With the error state showing, too.
    await page.goto("/login");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
    await expectNoSeriousViolations(page, "/login with errors");
  });
});

test.describe.serial("signed in as owner", () => {
  test.use({ storageState: OWNER_STATE });
  const ids = { issuer: "", account: "", rule: "", workspace: "" };

  test("setup: sample configuration", async ({ page }) => {
    ids.issuer = await createIssuer(page, uniqueName("a11y"));
    ids.account = await createServiceAccount(page, uniqueName("a11y"));
    ids.rule = await createRule(page, { name: uniqueName("a11y"), issuerId: ids.issuer, serviceAccountId: ids.account, subject: "repo:acme/a11y:ref:refs/heads/main" });
    await page.goto("/workspaces");
    ids.workspace = (await page.locator('a[href^="/workspaces/wrkspc_"]').first().getAttribute("href"))!.split("/").pop()!;
  });

  type Ids = typeof ids;
  /** A resource's list, its new form, the sample's page and its edit form. */
  const resourcePages = (base: string, id: keyof Ids): ((i: Ids) => string)[] => [() => base, () => `${base}/new`, (i) => `${base}/${i[id]}`, (i) => `${base}/${i[id]}/edit`];
  const pages: ((i: Ids) => string)[] = [
    () => "/",
    () => "/connect",
    () => "/tester",
    () => "/history",
    () => "/issuers?archived=1",
    ...resourcePages("/issuers", "issuer"),
    ...resourcePages("/service-accounts", "account"),
    ...resourcePages("/rules", "rule"),
    () => "/workspaces",
    () => "/workspaces/new",
    (i) => `/workspaces/${i.workspace}`,
    () => "/api-keys",
    () => "/admin-keys",
    () => "/users",
    () => "/denied?need=owner",
    () => "/rules/fdrl_doesnotexist",
  ];

  // One test per page and width, so a failure names the page and each has its own timeout.
  for (const width of [1280, 375]) {
    for (const pathOf of pages) {
      test(`console page ${pathOf({ issuer: "[issuer]", account: "[account]", rule: "[rule]", workspace: "[workspace]" })} at ${width} px`, async ({ page }) => {
        const path = pathOf(ids);
        await page.setViewportSize({ width, height: 900 });
        await page.goto(path);
        await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
        await expectNoSeriousViolations(page, `${path} at ${width}px`);
      });
    }
  }

  test("open dialogs and menus", async ({ page }) => {
    await page.goto(`/rules/${ids.rule}`);
    await page.getByRole("button", { name: "Archive" }).click();
    await expect(page.getByRole("dialog")).toBeVisible();
    await expectNoSeriousViolations(page, "archive dialog");
    await page.keyboard.press("Escape");
    await expect(page.getByRole("dialog")).toBeHidden();

    await page.getByRole("button", { name: /account menu/i }).click();
    await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
    await expectNoSeriousViolations(page, "account menu");

    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto("/");
    await page.getByRole("button", { name: "Open navigation" }).click();
    const nav = page.getByRole("dialog", { name: "Navigation" });
    await expect(nav.getByRole("link", { name: "Issuers" })).toBeVisible();
    await expectNoSeriousViolations(page, "phone navigation");
    await nav.getByRole("link", { name: "Issuers" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Issuers" })).toBeVisible();
  });

  test("forms with errors", async ({ page }) => {
    await page.goto("/rules/new");
    await page.getByLabel("Subject").fill("*");
    await page.getByRole("button", { name: "Create rule" }).click();
    await expect(page.getByLabel("Subject")).toHaveAttribute("aria-invalid", "true");
    await expectNoSeriousViolations(page, "rule form with errors");

    await page.goto("/issuers/new");
    await page.getByRole("radio", { name: /Inline keys/ }).check();
    await page.getByLabel("JWK set (JSON)").fill("{ not json");
    await page.getByRole("button", { name: "Create issuer" }).click();
    await expect(page.getByLabel("JWK set (JSON)")).toHaveAttribute("aria-invalid", "true");
    await expectNoSeriousViolations(page, "issuer form with errors");
  });
});
