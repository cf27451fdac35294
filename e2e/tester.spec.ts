/**
 * The token tester journey on the built-in demo issuer: a sample token whose branch does not
 * match fails on the subject with found vs expected; after fixing the rule it passes, and the
 * live exchange is granted with a request-id linked to the history.
 */
import { expect, test, type Page } from "./support/test";
import { createIssuer, createRule, createServiceAccount, expectNoSeriousViolations, OWNER_STATE, uniqueName } from "./helpers";

test.use({ storageState: OWNER_STATE });

const SCREENSHOTS = "/tmp/tester";

/** Screenshots at desktop and phone width, each checked with axe. */
async function screenshots(page: Page, name: string) {
  for (const [width, height] of [
    [1280, 900],
    [390, 844],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.screenshot({ path: `${SCREENSHOTS}-${name}-${width}.png`, fullPage: true });
    await expectNoSeriousViolations(page, `${name} at ${width} px`);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

test("mint a sample token, see the subject fail, fix the rule, pass and exchange it live", async ({ page, baseURL }) => {
  // A long journey with four axe scans of a large page, on a shared 2-core machine.
  test.setTimeout(240_000);
  const issuerName = uniqueName("demo");
  const ruleName = uniqueName("deploy-main");
  const issuerId = await createIssuer(page, issuerName, `${baseURL}/demo-issuer`);
  const accountId = await createServiceAccount(page, uniqueName("deployer"));
  const ruleId = await createRule(page, { name: ruleName, issuerId, serviceAccountId: accountId, subject: "repo:acme/demo-app:ref:refs/heads/main" });

  await page.getByRole("link", { name: "Test a token" }).click();
  await expect(page).toHaveURL(new RegExp(`/tester\\?rule=${ruleId}$`));
  await expect(page.getByLabel("Check against")).toHaveValue(ruleId);
  await expect(page.getByRole("heading", { name: `Which GitHub triggers ${ruleName} admits` })).toBeVisible();

  // A sample token from a push to another branch.
  await page.getByRole("button", { name: "Mint a sample token" }).click();
  const minter = page.getByRole("form", { name: "Mint a sample token" });
  await minter.getByLabel("Ref", { exact: true }).fill("refs/heads/feature-x");
  await expect(minter.getByLabel("Subject (sub)")).toHaveValue("repo:acme/demo-app:ref:refs/heads/feature-x");
  await minter.getByRole("button", { name: "Mint sample token" }).click();
  await expect(minter.getByRole("status")).toContainText("Sample token minted");
  const token = await page.getByLabel("Identity token (JWT)").inputValue();
  expect(token).toMatch(/^eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+$/);

  await page.getByRole("button", { name: "Test token" }).click();
  await expect(page.getByText("The exchange would refuse it: Subject does not match")).toBeVisible();
  const checks = page.getByRole("region", { name: `Checks of rule ${ruleName}` });
  const subject = checks.getByRole("row", { name: /Subject \(sub\)/ });
  await expect(subject.getByText("Fail")).toBeVisible();
  await expect(subject.getByText("repo:acme/demo-app:ref:refs/heads/feature-x", { exact: true })).toBeVisible();
  await expect(subject.getByText("repo:acme/demo-app:ref:refs/heads/main", { exact: true })).toBeVisible();
  await expect(subject.getByText("match_subject_prefix")).toBeVisible();
  await expect(checks.getByText(/rule expects a push to branch main, this token comes from a push to branch feature-x/)).toBeVisible();
  await expect(checks.getByRole("row", { name: /^Signature/ }).getByText("Pass")).toBeVisible();
  await screenshots(page, "fail");

  // Fix the rule: any branch of the repository.
  await page.goto(`/rules/${ruleId}/edit`);
  await page.getByLabel("Subject").fill("repo:acme/demo-app:ref:refs/heads/*");
  await page.getByRole("button", { name: "Save changes" }).click();
  // Every branch is a danger finding: saving asks first, naming it.
  const confirm = page.getByRole("dialog");
  await expect(confirm).toContainText("Admits every branch of acme/demo-app, including ones any contributor can push");
  await screenshots(page, "danger-confirm");
  await confirm.getByRole("button", { name: "Save anyway" }).click();
  await expect(page.getByRole("heading", { level: 1, name: ruleName })).toBeVisible();

  await page.goto(`/tester?rule=${ruleId}`);
  await page.getByLabel("Identity token (JWT)").fill(token);
  await page.getByRole("button", { name: "Test token" }).click();
  await expect(page.getByText("The exchange would grant an access token")).toBeVisible();
  // A 5-minute sample under a rule of an hour: the effective lifetime and why it is shorter.
  await expect(page.getByText(/Effective lifetime .+, shorter than the rule's 1 h: an access token lives at most twice its identity token's remaining validity/)).toBeVisible();
  await expect(page.getByRole("region", { name: `Checks of rule ${ruleName}` }).getByText("Fail")).toHaveCount(0);

  // The real exchange over HTTP, against this server's token endpoint.
  const live = page.getByRole("form", { name: "Live exchange" });
  await expect(live.getByLabel("Federation rule")).toHaveValue(ruleId);
  await live.getByRole("button", { name: "Run live exchange" }).click();
  const result = page.getByRole("region", { name: "Live exchange result" });
  await expect(result.getByText("Granted", { exact: true })).toBeVisible();
  await expect(result.getByText("HTTP 200").first()).toBeVisible();
  const requestId = result.getByRole("link", { name: /^req_/ });
  await expect(requestId).toHaveAttribute("href", /\/history\?request_id=req_/);
  // The access token never reaches the browser; only its prefix and hint.
  await expect(result.getByText(/sk-ant-oat01-.{3}….{3}/).first()).toBeVisible();
  expect(await page.content()).not.toMatch(/sk-ant-oat01-[A-Za-z0-9_-]{20,}/);
  await screenshots(page, "granted");
});
