/**
 * The console says what is wrong where people look (issue 15): an issuer whose keys cannot be
 * fetched shows it on the list and its page; the tester and the live exchange name the URL and
 * the failure; an issuer URL at a metadata address is refused as typed; the guided setup stops
 * at a failed key check. Each message is screenshotted at desktop and phone width (E2E_SCREENSHOTS).
 */
import { generateKeyPair, SignJWT } from "jose";
import { expect, test, type Page } from "./support/test";
import { createRule, createServiceAccount, OWNER_STATE, uniqueName } from "./helpers";

test.use({ storageState: OWNER_STATE });

const SCREENSHOTS = !!process.env.E2E_SCREENSHOTS;
/** Nothing listens on port 1: every fetch there is refused at once. */
const DEAD_KEYS = "http://127.0.0.1:1/keys.json";

async function snap(page: Page, name: string) {
  if (!SCREENSHOTS) return;
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    await page.screenshot({ path: `/tmp/guidance-${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

test.describe.serial("guidance where users look", () => {
  const name = uniqueName("dead-keys");
  const issuerUrl = `https://${name}.example.com`;
  let issuerId = "";
  let ruleId = "";

  test("an issuer whose keys cannot be fetched is shown failing, with the error, on the list and its page", async ({ page }) => {
    await page.goto("/issuers/new");
    await page.getByLabel("Name", { exact: true }).fill(name);
    await page.getByLabel("Issuer URL").fill(issuerUrl);
    await page.getByRole("radio", { name: /JWKS URL/ }).check();
    await page.getByLabel("JWKS URL", { exact: true }).fill(DEAD_KEYS);
    await page.getByRole("button", { name: "Create issuer" }).click();
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    issuerId = page.url().split("/").pop()!;

    // The background poller fetches a new issuer's keys within a few seconds.
    await expect(async () => {
      await page.reload();
      await expect(page.getByText("The last key fetch failed")).toBeVisible({ timeout: 1000 });
    }).toPass({ timeout: 30_000 });
    await expect(page.getByText(`fetching the key set ${DEAD_KEYS}: could not reach 127.0.0.1:1`).first()).toBeVisible();
    await expect(page.getByText("Key fetch failing")).toBeVisible();
    await snap(page, "issuer-failing");

    await page.goto("/issuers");
    const row = page.getByRole("row").filter({ hasText: name });
    await expect(row.getByText("Key fetch failing")).toBeVisible();
    await expect(row).toContainText("could not reach 127.0.0.1:1");
    await expect(row).toContainText("next try");
    await snap(page, "issuer-list");
  });

  test("the tester and the live exchange say which URL failed and what to do", async ({ page }) => {
    const account = await createServiceAccount(page, uniqueName("dead-sa"));
    ruleId = await createRule(page, { name: uniqueName("dead-rule"), issuerId, serviceAccountId: account, subject: "repo:acme/app:ref:refs/heads/main" });
    const { privateKey } = await generateKeyPair("ES256");
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: "ES256", kid: "k1" })
      .setIssuer(issuerUrl)
      .setSubject("repo:acme/app:ref:refs/heads/main")
      .setAudience(new URL(page.url()).origin)
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .sign(privateKey);

    await page.goto(`/tester?rule=${ruleId}`);
    await page.getByLabel("Identity token (JWT)").fill(token);
    await page.getByRole("button", { name: "Test token" }).click();
    await expect(page.getByText("The exchange would refuse it: Issuer keys could not be fetched")).toBeVisible();
    await expect(page.getByText(/What happened: keys of .* could not be fetched: fetching the key set http:\/\/127\.0\.0\.1:1\/keys\.json/)).toBeVisible();
    await expect(page.getByText(/Open the issuer's page: it shows the last fetch's error/).first()).toBeVisible();
    await snap(page, "tester-jwks-unavailable");

    await page.getByRole("button", { name: "Run live exchange" }).click();
    const result = page.getByRole("region", { name: "Live exchange result" });
    await expect(result.getByText("Refused: Issuer keys could not be fetched")).toBeVisible();
    await expect(result.getByText(/What happened: keys of .*fetching the key set http:\/\/127\.0\.0\.1:1\/keys\.json/)).toBeVisible();
    await snap(page, "live-jwks-unavailable");

    // A new run clears the last report first: a malformed token shows only its own refusal.
    await page.getByLabel("Identity token (JWT)").fill("not-a-token");
    await page.getByRole("button", { name: "Test token" }).click();
    await expect(page.getByText(/Not a token the exchange can read/)).toBeVisible();
    await expect(page.getByText("The exchange would refuse it: Issuer keys could not be fetched")).toHaveCount(0);
  });

  test("an issuer URL at the cloud metadata address is refused as typed, with the reason", async ({ page }) => {
    await page.goto("/issuers/new");
    await page.getByLabel("Name", { exact: true }).fill(uniqueName("metadata"));
    await page.getByLabel("Issuer URL").fill("https://169.254.169.254/");
    await page.getByRole("button", { name: "Create issuer" }).click();
    await expect(page.getByLabel("Issuer URL")).toHaveAccessibleDescription(/169\.254\.169\.254 is a link-local, cloud metadata or reserved address/);
    await snap(page, "issuer-metadata-refused");
  });

  test("the guided setup stops at a failed key check and offers Retry or Continue anyway", async ({ page }) => {
    await page.goto("/connect");
    await page.getByRole("radio", { name: /^Other OIDC provider/ }).check();
    await page.getByRole("button", { name: "Continue", exact: true }).click();
    await page.getByLabel(/Issuer URL/).first().fill(`https://${uniqueName("nokeys")}.example.com`);
    await page.getByRole("radio", { name: /JWKS URL/ }).check();
    await page.getByLabel("JWKS URL", { exact: true }).fill(DEAD_KEYS);
    await page.getByRole("button", { name: "Check the issuer's keys" }).click();
    await expect(page.getByText("The keys could not be checked")).toBeVisible();
    await page.getByRole("button", { name: "Continue", exact: true }).click();
    await expect(page.getByText(/The setup stops here/)).toBeVisible();
    await expect(page.getByRole("button", { name: "Retry the check" })).toBeVisible();
    await snap(page, "connect-key-check-stopped");
    await page.getByRole("button", { name: "Continue anyway" }).click();
    await page.getByRole("button", { name: "Continue", exact: true }).click();
    await expect(page.getByRole("heading", { level: 2, name: /^\d\. Service account/ })).toBeVisible();
  });
});
