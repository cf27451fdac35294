/**
 * Read-only roles: a viewer sees everything but no controls that change anything, and the
 * server refuses a viewer's server-action call made without the UI (and a cross-site one).
 */
import { expect, test, type Browser, type Page } from "./support/test";
import { addUser, createIssuer, OWNER_STATE, signIn, uniqueName } from "./helpers";

test.use({ storageState: OWNER_STATE });

async function signedInPage(browser: Browser, email: string, password: string): Promise<Page> {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto("/login");
  await signIn(page, email, password);
  await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
  return page;
}

test.describe.serial("viewer", () => {
  const viewer = { name: "Vera Viewer", email: `${uniqueName("vera")}@example.com`, role: "viewer", password: "viewer passphrase 1" };
  const issuerName = uniqueName("readonly");
  let issuerId = "";
  /** A real "create issuer" server-action request, captured from the owner's form. */
  let captured: { url: string; headers: Record<string, string>; body: string };

  test("setup: the owner adds a viewer and creates an issuer (capturing the action request)", async ({ page }) => {
    await addUser(page, viewer);
    // The form first has the server check its input (checkFormAction, named by its first
    // argument, "issuer.create"); the request to capture is the one that creates.
    const request = page.waitForRequest(
      (r) => r.method() === "POST" && !!r.headers()["next-action"] && r.url().includes("/issuers/new") && !(r.postData() ?? "").includes('"issuer.create"'),
    );
    issuerId = await createIssuer(page, issuerName);
    const r = await request;
    const headers = r.headers();
    captured = {
      url: r.url(),
      headers: { "next-action": headers["next-action"]!, "content-type": headers["content-type"] ?? "text/plain;charset=UTF-8", accept: "text/x-component" },
      body: r.postData()!,
    };
    expect(captured.body).toContain(issuerName);
  });

  test("a viewer sees configuration but no create, edit or archive controls", async ({ browser }) => {
    const page = await signedInPage(browser, viewer.email, viewer.password);
    await expect(page.getByRole("link", { name: "New issuer" })).toHaveCount(0);

    await page.goto("/issuers");
    await expect(page.getByRole("link", { name: issuerName })).toBeVisible();
    await expect(page.getByRole("link", { name: /New issuer/ })).toHaveCount(0);

    await page.goto(`/issuers/${issuerId}`);
    await expect(page.getByRole("heading", { level: 1, name: issuerName })).toBeVisible();
    await expect(page.getByRole("link", { name: "Edit" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Archive" })).toHaveCount(0);
    await expect(page.getByRole("link", { name: "New rule" })).toHaveCount(0);

    for (const path of ["/rules", "/service-accounts", "/workspaces", "/api-keys"]) {
      await page.goto(path);
      await expect(page.getByRole("link", { name: /^New / })).toHaveCount(0);
      await expect(page.getByRole("button", { name: /^(Create|Archive|Deactivate)/ })).toHaveCount(0);
    }

    // Owner-only and write-only pages are refused, not just hidden from the navigation.
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" })).toHaveCount(0);
    for (const path of ["/users", "/admin-keys", "/issuers/new", `/issuers/${issuerId}/edit`]) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1, name: "You can't open that page" })).toBeVisible();
    }
    await page.context().close();
  });

  test("a viewer's direct server-action call is refused and changes nothing", async ({ browser, page: ownerPage }) => {
    const page = await signedInPage(browser, viewer.email, viewer.password);
    const sneaky = uniqueName("sneaky");
    const response = await page.request.post(captured.url, {
      headers: { ...captured.headers, origin: new URL(captured.url).origin },
      data: captured.body.replaceAll(issuerName, sneaky),
    });
    const text = await response.text();
    expect(text).toContain('"ok":false');
    expect(text).toContain('"status":403');
    expect(text).toContain("Your role (viewer) cannot do this");
    await page.context().close();

    await ownerPage.goto("/issuers");
    await expect(ownerPage.getByRole("link", { name: issuerName })).toBeVisible();
    await expect(ownerPage.getByRole("link", { name: sneaky })).toHaveCount(0);
  });

  test("an owner's server-action call from another origin is refused (CSRF)", async ({ page }) => {
    const forged = uniqueName("forged");
    const response = await page.request.post(captured.url, {
      headers: { ...captured.headers, origin: "https://evil.example" },
      data: captured.body.replaceAll(issuerName, forged),
    });
    expect(await response.text()).not.toContain('"ok":true');
    await page.goto("/issuers");
    await expect(page.getByRole("link", { name: issuerName })).toBeVisible();
    await expect(page.getByRole("link", { name: forged })).toHaveCount(0);
  });

  test("an admin demoted to viewer mid-session sees the 403 message in the form", async ({ browser, page: ownerPage }) => {
    const admin = { name: "Adam Admin", email: `${uniqueName("adam")}@example.com`, role: "admin", password: "admin passphrase 12" };
    await addUser(ownerPage, admin);
    const page = await signedInPage(browser, admin.email, admin.password);
    await page.goto("/service-accounts/new");
    await page.getByLabel("Name", { exact: true }).fill(uniqueName("late"));

    await ownerPage.goto("/users");
    const role = ownerPage.getByLabel(`Role for ${admin.email}`);
    await role.selectOption("viewer");
    await ownerPage.getByRole("button", { name: `Save role for ${admin.email}` }).click();
    await expect(ownerPage.getByRole("button", { name: `Save role for ${admin.email}` })).toHaveCount(0);

    await page.getByRole("button", { name: "Create service account" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "Your role (viewer) cannot do this" })).toBeVisible();
    await expect(page).toHaveURL(/\/service-accounts\/new$/);
    await page.context().close();
  });
});
