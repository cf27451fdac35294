/**
 * The presenter's journey, end to end, on the built-in demo issuer: connect a GitHub-shaped
 * workload for branch main, mint a sample token for another branch, see the tester and the
 * live exchange refuse it and say why, fix the rule, see both pass, and find both attempts —
 * the denial explained — in the history through the request-id links.
 */
import { expect, test, type Locator, type Page } from "./support/test";
import { OWNER_STATE, uniqueName } from "./helpers";

test.use({ storageState: OWNER_STATE });

const cont = (page: Page) => page.getByRole("button", { name: "Continue" }).click();
const stepHeading = (page: Page, title: string) => expect(page.getByRole("heading", { level: 2, name: new RegExp(`^\\d\\. ${title}`) })).toBeVisible();

/** Run the live exchange against this server; returns the result region and the request ID it links to the history. */
async function runLiveExchange(page: Page, ruleId: string): Promise<{ result: Locator; requestId: string }> {
  const live = page.getByRole("form", { name: "Live exchange" });
  await expect(live.getByLabel("Federation rule")).toHaveValue(ruleId);
  await live.getByRole("button", { name: "Run live exchange" }).click();
  const result = page.getByRole("region", { name: "Live exchange result" });
  const link = result.getByRole("link", { name: /^req_/ });
  await expect(link).toHaveAttribute("href", /\/history\?request_id=req_/);
  return { result, requestId: (await link.textContent())!.trim() };
}

test("connect a workload, see a token for another branch refused and why, fix the rule, and find both attempts in the history", async ({ page, baseURL }) => {
  // Eleven pages and two live exchanges on a shared 2-core machine.
  test.setTimeout(240_000);
  const repo = uniqueName("journey-app");
  const mainSubject = `repo:acme/${repo}:ref:refs/heads/main`;
  const featureSubject = `repo:acme/${repo}:ref:refs/heads/feature-x`;

  // 1. Connect: GitHub Actions shape through the demo issuer, a new service account, a rule for main.
  await page.goto("/connect");
  await stepHeading(page, "Provider");
  await cont(page);
  await page.getByRole("radio", { name: /Use the demo issuer/ }).check();
  await cont(page);
  await stepHeading(page, "Issuer");
  await expect(page.getByText(`${baseURL}/demo-issuer`, { exact: true })).toBeVisible();
  await cont(page);
  await stepHeading(page, "Service account");
  await cont(page);
  await stepHeading(page, "Rule");
  await page.getByLabel("Repository", { exact: true }).fill(repo);
  await expect(page.getByRole("list", { name: "Would be admitted" })).toContainText(mainSubject);
  await cont(page);
  await stepHeading(page, "Review");
  await page.getByRole("button", { name: "Create" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Workload connected" })).toBeVisible();
  const ruleId = new URL(page.url()).searchParams.get("rule")!;
  expect(ruleId).toMatch(/^fdrl_/);

  // 2. The tester, on that rule: a sample token from a push to another branch.
  await page.getByRole("link", { name: "Test a token against the rule" }).click();
  await expect(page).toHaveURL(new RegExp(`/tester\\?rule=${ruleId}$`));
  await expect(page.getByLabel("Check against")).toHaveValue(ruleId);
  await page.getByRole("button", { name: "Mint a sample token" }).click();
  const minter = page.getByRole("form", { name: "Mint a sample token" });
  await minter.getByLabel("Repository", { exact: true }).fill(`acme/${repo}`);
  await minter.getByLabel("Ref", { exact: true }).fill("refs/heads/feature-x");
  await expect(minter.getByLabel("Subject (sub)")).toHaveValue(featureSubject);
  await minter.getByRole("button", { name: "Mint sample token" }).click();
  await expect(minter.getByRole("status")).toContainText("Sample token minted");

  // 3. Test it: the subject check fails, with what was found, what was expected, and the fix.
  await page.getByRole("button", { name: "Test token" }).click();
  await expect(page.getByText("The exchange would refuse it: Subject does not match")).toBeVisible();
  const checks = page.getByRole("region", { name: /^Checks of rule / });
  const subjectCheck = checks.getByRole("row", { name: /Subject \(sub\)/ });
  await expect(subjectCheck.getByText("Fail")).toBeVisible();
  await expect(subjectCheck.getByText(featureSubject, { exact: true })).toBeVisible();
  await expect(subjectCheck.getByText(mainSubject, { exact: true })).toBeVisible();
  await expect(subjectCheck.getByText("match_subject_prefix")).toBeVisible();
  await expect(checks.getByText(/rule expects a push to branch main, this token comes from a push to branch feature-x/)).toBeVisible();

  // 4. The live exchange: refused, the reason explained, a request-id to follow.
  const denied = await runLiveExchange(page, ruleId);
  await expect(denied.result.getByText("Refused: Subject does not match")).toBeVisible();
  await expect(denied.result.getByText("(match_subject_prefix)")).toBeVisible();
  await expect(denied.result.getByText("Fix:")).toBeVisible();
  await expect(denied.result.getByText("HTTP 401").first()).toBeVisible();
  // Its request-id leads to exactly that exchange in the history.
  const rows = page.getByRole("region", { name: "Exchange list" }).locator("tbody tr");
  await denied.result.getByRole("link", { name: denied.requestId }).click();
  await expect(page).toHaveURL(/\/history\?request_id=req_/);
  await expect(rows).toHaveCount(1);
  await expect(rows).toContainText("Denied");
  await expect(rows).toContainText("match_subject_prefix");

  // 5. Fix the rule on its edit page: any branch of the repository.
  await page.goto(`/rules/${ruleId}/edit`);
  await expect(page.getByLabel("Subject")).toHaveValue(mainSubject);
  await page.getByLabel("Subject").fill(`repo:acme/${repo}:ref:refs/heads/*`);
  await page.getByRole("button", { name: "Save changes" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Save anyway" }).click();
  await expect(page).toHaveURL(new RegExp(`/rules/${ruleId}$`));

  // 6. The same token now passes the tester, and the live exchange is granted.
  await page.goto(`/tester?rule=${ruleId}`);
  await page.getByRole("button", { name: "Mint a sample token" }).click();
  await minter.getByLabel("Repository", { exact: true }).fill(`acme/${repo}`);
  await minter.getByLabel("Ref", { exact: true }).fill("refs/heads/feature-x");
  await minter.getByRole("button", { name: "Mint sample token" }).click();
  await expect(minter.getByRole("status")).toContainText("Sample token minted");
  await page.getByRole("button", { name: "Test token" }).click();
  await expect(page.getByText("The exchange would grant an access token")).toBeVisible();
  await expect(checks.getByText("Fail")).toHaveCount(0);
  const granted = await runLiveExchange(page, ruleId);
  await expect(granted.result.getByText("Granted", { exact: true })).toBeVisible();
  await expect(granted.result.getByText("HTTP 200").first()).toBeVisible();
  expect(granted.requestId).not.toBe(denied.requestId);
  await granted.result.getByRole("link", { name: granted.requestId }).click();
  await expect(page.getByLabel("Request ID")).toHaveValue(granted.requestId);
  await expect(rows).toHaveCount(1);
  await expect(rows).toContainText("Granted");

  // 7. The history: both attempts on the rule, newest first; the denied one explained.
  await page.goto(`/history?federation_rule_id=${ruleId}`);
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText("Granted");
  await expect(rows.nth(1)).toContainText("Denied");
  await expect(rows.nth(1)).toContainText("match_subject_prefix");
  await expect(rows.nth(1)).toContainText(featureSubject);
  await rows.nth(1).getByRole("link").first().click();
  await expect(page.getByRole("heading", { level: 1, name: "Denied: Subject does not match" })).toBeVisible();
  await expect(page.getByText(denied.requestId)).toBeVisible();
  await expect(page.getByText("match_subject_prefix", { exact: true }).first()).toBeVisible();
  const why = page.getByRole("region", { name: "Why it was denied" });
  await expect(why).toContainText("does not equal the rule's subject");
  await expect(why).toContainText("How to fix it");
});
