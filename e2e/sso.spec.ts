/**
 * Console single sign-on through Chromium against a real OIDC provider (oidc-provider on
 * loopback): first sign-in creates the user with the role their groups map to, the role
 * follows the groups at the next sign-in, someone no mapping admits is refused and their
 * session ends; owners keep password sign-in when SSO is required. Then TOTP for a local
 * account: enrolment, sign-in with a code otplib generates, a recovery code that works once.
 */
import { generate } from "otplib";
import { expect, test, type Browser, type Page } from "./support/test";
import { addUser, OWNER, OWNER_STATE, signIn, uniqueName } from "./helpers";
import { startOidcProvider, type TestOidcProvider } from "./support/oidc-provider";

const E2E_PORT = Number(process.env.E2E_PORT ?? 3107);
/** The provider's port: the next one after the console's (each helper owns a block of ports). */
const OP_PORT = Number(process.env.E2E_OIDC_PORT ?? E2E_PORT + 1);
const PROVIDER_NAME = "Acme IdP";

test.use({ storageState: OWNER_STATE });

let op: TestOidcProvider;
test.beforeAll(async () => {
  op = await startOidcProvider({ port: OP_PORT, redirectUri: `http://localhost:${E2E_PORT}/auth/sso/callback` });
});
test.afterAll(async () => {
  await op?.close();
});

async function freshPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  return context.newPage();
}

/** Through the sign-in button, the provider's login and consent pages (each when it asks), and back to the console. */
async function signInWithSso(page: Page, login: string): Promise<void> {
  await page.goto("/login");
  await page.getByRole("link", { name: `Sign in with ${PROVIDER_NAME}` }).click();
  // The provider's pages, or — when it remembers this browser and asks nothing — straight back to us.
  await page.waitForURL((u) => u.port === String(OP_PORT) || u.pathname === "/auth/sso/callback" || u.searchParams.has("sso_error") || u.pathname === "/");
  if (new URL(page.url()).port !== String(OP_PORT)) return;
  const loginField = page.locator('input[name="login"]');
  const consent = page.getByRole("button", { name: "Continue" });
  // Our pages mark <html data-hydrated>; the provider's never do.
  const console = page.locator("html[data-hydrated]");
  await expect(loginField.or(consent).or(console)).toBeVisible();
  if (await loginField.isVisible()) {
    await loginField.fill(login);
    await page.locator('input[name="password"]').fill("any");
    await page.getByRole("button", { name: "Sign-in" }).click();
    await expect(consent.or(console)).toBeVisible();
  }
  if (await consent.isVisible()) await consent.click();
}

test.describe.serial("single sign-on", () => {
  const login = uniqueName("dana");
  const email = `${login}@acme.example`;

  test("the owner adds the provider with group mappings and tries a sample token", async ({ page }) => {
    await page.goto("/settings/sign-in");
    await expect(page.getByText(`http://localhost:${E2E_PORT}/auth/sso/callback`)).toBeVisible();
    const form = page.getByRole("form", { name: "Add a provider" });
    await form.getByLabel("Name").fill(PROVIDER_NAME);
    await form.getByLabel("Issuer URL").fill(op.issuer);
    await form.getByLabel("Client ID").fill(op.clientId);
    await form.getByLabel("Client secret").fill(op.clientSecret);
    await form.getByLabel("Allowed email domains").fill("acme.example");
    await form.getByLabel("Mapping 1 role").selectOption("admin");
    await form.getByLabel("Mapping 1 condition").fill('"platform-admins" in claims.groups');
    await form.getByRole("button", { name: "Add a mapping" }).click();
    await form.getByLabel("Mapping 2 role").selectOption("viewer");
    await form.getByLabel("Mapping 2 condition").fill('"engineering" in claims.groups');
    await form.getByRole("button", { name: "Add provider" }).click();
    await expect(page.getByText(`Provider ${PROVIDER_NAME} added.`)).toBeVisible();
    // The secret is never shown back.
    await expect(page.getByText(op.clientSecret)).toHaveCount(0);
    expect(await page.content()).not.toContain(op.clientSecret);

    await page.getByLabel("Sample ID-token claims (JSON)").fill(JSON.stringify({ sub: "x", email: "a@acme.example", groups: ["engineering"] }));
    await page.getByRole("button", { name: "Try the mappings" }).click();
    await expect(page.getByText("Role: viewer")).toBeVisible();
    await expect(page.getByText("Mapping 1 (admin)")).toBeVisible();
  });

  test("first sign-in creates the user with the role their group maps to; the next sign-in follows a group change", async ({ browser }) => {
    op.setAccount(login, { email, name: "Dana SSO", groups: ["engineering"] });
    const page = await freshPage(browser);
    await signInWithSso(page, login);
    await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
    await expect(page.getByText("Signed in as Dana SSO (viewer)")).toBeVisible();
    await page.screenshot({ path: test.info().outputPath("sso-signed-in-1280.png"), fullPage: false });

    op.setAccount(login, { email, name: "Dana SSO", groups: ["engineering", "platform-admins"] });
    const again = await freshPage(browser);
    await signInWithSso(again, login);
    await expect(again.getByText("Signed in as Dana SSO (admin)")).toBeVisible();
    await page.context().close();
    await again.context().close();
  });

  test("someone no mapping admits any more is refused with a message, and their open session ends", async ({ browser }) => {
    const page = await freshPage(browser);
    await signInWithSso(page, login);
    await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();

    op.setAccount(login, { email, name: "Dana SSO", groups: ["contractors"] });
    const refused = await freshPage(browser);
    await signInWithSso(refused, login);
    await expect(refused).toHaveURL(/\/login\?sso_error=no_role$/);
    await expect(refused.getByRole("alert").filter({ hasText: "does not match any of this console's role mappings" })).toBeVisible();
    await refused.setViewportSize({ width: 390, height: 844 });
    await refused.screenshot({ path: test.info().outputPath("sso-refused-390.png"), fullPage: true });

    await page.reload();
    await expect(page).toHaveURL(/\/login/);
    await page.context().close();
    await refused.context().close();
  });

  test("the user appears in the audit log with how they signed in and why they were refused", async ({ page }) => {
    await page.goto("/history?tab=changes");
    await expect(page.getByText("user.role_changed_by_mapping").first()).toBeVisible();
  });

  test("with SSO required, a local non-owner is refused a password sign-in and the owner is not", async ({ page, browser }) => {
    const local = { name: "Lee Local", email: `${uniqueName("lee")}@example.com`, password: "local passphrase 12" };
    await addUser(page, { ...local, role: "developer" });

    await page.goto("/settings/sign-in");
    await page.getByLabel("Require single sign-on").check();
    await page.getByRole("button", { name: "Save policy" }).click();
    await expect(page.getByText("Sign-in policy saved.")).toBeVisible();

    const other = await freshPage(browser);
    await other.goto("/login");
    await signIn(other, local.email, local.password);
    await expect(other.getByText(/signs in with single sign-on/)).toBeVisible();
    await other.setViewportSize({ width: 1280, height: 900 });
    await other.screenshot({ path: test.info().outputPath("sso-login-1280.png"), fullPage: true });

    const owner = await freshPage(browser);
    await owner.goto("/login");
    await signIn(owner, OWNER.email, OWNER.password);
    await expect(owner.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();

    await page.getByLabel("Require single sign-on").uncheck();
    await page.getByRole("button", { name: "Save policy" }).click();
    await expect(page.getByText("Sign-in policy saved.")).toBeVisible();
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: test.info().outputPath("sso-settings-1280.png"), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: test.info().outputPath("sso-settings-390.png"), fullPage: true });
    await other.context().close();
    await owner.context().close();
  });
});

test.describe.serial("TOTP second factor for a local account", () => {
  const user = { name: "Tom Totp", email: `${uniqueName("tom")}@example.com`, password: "totp passphrase 123" };
  let secret = "";
  let recoveryCodes: string[] = [];

  test("a local user sets up an authenticator app and gets ten recovery codes, shown once", async ({ page, browser }) => {
    await addUser(page, { ...user, role: "viewer" });

    const me = await freshPage(browser);
    await me.goto("/login");
    await signIn(me, user.email, user.password);
    await expect(me.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
    await me.goto("/account");
    await me.getByRole("button", { name: "Set up authenticator app" }).click();
    await expect(me.getByRole("img", { name: "QR code to scan with your authenticator app" })).toBeVisible();
    secret = (await me.getByLabel("Secret").textContent())!.trim();
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    await me.screenshot({ path: test.info().outputPath("totp-enrol-1280.png"), fullPage: true });
    await me.getByLabel("Code from your app").fill(await generate({ secret }));
    await me.getByRole("button", { name: "Confirm" }).click();
    const list = me.getByRole("list", { name: "Recovery codes" });
    await expect(list.getByRole("listitem")).toHaveCount(10);
    recoveryCodes = (await list.getByRole("listitem").allTextContents()).map((c) => c.trim());
    await me.setViewportSize({ width: 390, height: 844 });
    await me.screenshot({ path: test.info().outputPath("totp-codes-390.png"), fullPage: true });
    await me.getByRole("button", { name: "I have saved them" }).click();
    await expect(me.getByText("Authenticator app is on")).toBeVisible();
    await expect(me.getByText(recoveryCodes[0]!)).toHaveCount(0);
    await me.context().close();
  });

  test("sign-in asks for the code after the password, and no session exists before it", async ({ browser }) => {
    const page = await freshPage(browser);
    await page.goto("/login");
    await signIn(page, user.email, user.password);
    await expect(page.getByLabel("Authentication code")).toBeVisible();
    expect((await page.context().cookies()).map((c) => c.name)).not.toContain("wif_session");
    await page.goto("/");
    await expect(page).toHaveURL(/\/login/);

    await page.goto("/login");
    await signIn(page, user.email, user.password);
    await page.getByLabel("Authentication code").fill("000000");
    await page.getByRole("button", { name: "Verify" }).click();
    await expect(page.getByLabel("Authentication code")).toHaveAccessibleDescription(/not right/);
    // The next time step's code (the enrolment used this one; a used step is refused).
    await page.getByLabel("Authentication code").fill(await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 }));
    await page.getByRole("button", { name: "Verify" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
    await page.context().close();
  });

  test("a recovery code works once", async ({ browser }) => {
    const first = await freshPage(browser);
    await first.goto("/login");
    await signIn(first, user.email, user.password);
    await first.getByLabel("Authentication code").fill(recoveryCodes[3]!);
    await first.getByRole("button", { name: "Verify" }).click();
    await expect(first.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();

    const second = await freshPage(browser);
    await second.goto("/login");
    await signIn(second, user.email, user.password);
    await second.getByLabel("Authentication code").fill(recoveryCodes[3]!);
    await second.getByRole("button", { name: "Verify" }).click();
    await expect(second.getByLabel("Authentication code")).toHaveAccessibleDescription(/not right/);
    await first.context().close();
    await second.context().close();
  });

  test("removing the factor asks for a code: a missing or wrong one is named beside the field, a recovery code removes it", async ({ browser }) => {
    const me = await freshPage(browser);
    await me.goto("/login");
    await signIn(me, user.email, user.password);
    await me.getByLabel("Authentication code").fill(recoveryCodes[4]!);
    await me.getByRole("button", { name: "Verify" }).click();
    await expect(me.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
    await me.goto("/account");
    const code = me.getByLabel("Code from your app, or a recovery code");
    await me.getByRole("button", { name: "Remove second factor" }).click();
    await expect(code).toHaveAccessibleDescription(/required/i);
    await code.fill("000000");
    await me.getByRole("button", { name: "Remove second factor" }).click();
    await expect(code).toHaveAccessibleDescription(/not right/);
    await me.setViewportSize({ width: 390, height: 844 });
    await me.screenshot({ path: test.info().outputPath("totp-remove-wrong-390.png"), fullPage: true });
    await expect(me.getByText("Authenticator app is on")).toBeVisible();
    await code.fill(recoveryCodes[5]!);
    await me.getByRole("button", { name: "Remove second factor" }).click();
    await expect(me.getByRole("button", { name: "Set up authenticator app" })).toBeVisible();
    await me.context().close();
  });
});
