/** Managing configuration through the forms: issuer, service account, rule; edit and archive. */
import { expect, test } from "./support/test";
import { createIssuer, createRule, createServiceAccount, OWNER_STATE, uniqueName } from "./helpers";

test.use({ storageState: OWNER_STATE });

test.describe.serial("issuer, service account and rule", () => {
  const issuerName = uniqueName("ci");
  const accountName = uniqueName("deployer");
  const ruleName = uniqueName("deploy-main");
  let issuerId = "";
  let accountId = "";
  let ruleId = "";

  test("create an issuer", async ({ page }) => {
    issuerId = await createIssuer(page, issuerName, `https://${issuerName}.example.com`);
    expect(issuerId).toMatch(/^fdis_/);
    await expect(page.getByText(`https://${issuerName}.example.com`, { exact: true })).toBeVisible();
    await expect(page.getByText("OIDC discovery").first()).toBeVisible();
    await page.goto("/issuers");
    await expect(page.getByRole("link", { name: issuerName })).toBeVisible();
  });

  test("create a service account", async ({ page }) => {
    accountId = await createServiceAccount(page, accountName);
    expect(accountId).toMatch(/^svac_/);
    await expect(page.getByRole("heading", { name: "Workspace memberships" })).toBeVisible();
  });

  test("create a rule", async ({ page }) => {
    ruleId = await createRule(page, { name: ruleName, issuerId, serviceAccountId: accountId, subject: "repo:acme/api:ref:refs/heads/main" });
    expect(ruleId).toMatch(/^fdrl_/);
    await expect(page.getByText("repo:acme/api:ref:refs/heads/main")).toBeVisible();
    await expect(page.getByRole("link", { name: accountName })).toBeVisible();
    await expect(page.getByRole("link", { name: issuerName })).toBeVisible();
  });

  test("a bare * subject is refused next to the Subject field and nothing typed is lost", async ({ page }) => {
    await page.goto("/rules/new");
    await page.getByLabel("Name", { exact: true }).fill(uniqueName("wildcard"));
    await page.getByLabel("Issuer").selectOption(issuerId);
    await page.getByLabel("Subject").fill("*");
    await page.getByLabel("Service account").selectOption(accountId);
    await page.getByRole("button", { name: "Create rule" }).click();
    const subject = page.getByLabel("Subject");
    await expect(subject).toHaveAccessibleDescription(/bare \* is not a valid matcher/i);
    await expect(subject).toHaveAttribute("aria-invalid", "true");
    await expect(subject).toHaveValue("*");
    await expect(page).toHaveURL(/\/rules\/new$/);
  });

  test("a condition CEL cannot compile is refused next to its field, and the message follows the correction", async ({ page }) => {
    // CEL runs on the server only: the form asks it before anything is created.
    await page.goto("/rules/new");
    await page.getByLabel("Name", { exact: true }).fill(uniqueName("condition"));
    await page.getByLabel("Issuer").selectOption(issuerId);
    await page.getByLabel("Service account").selectOption(accountId);
    const condition = page.getByLabel("Condition (CEL)");
    await condition.fill('claims.ref == "refs/heads/main" &&');
    await page.getByRole("button", { name: "Create rule" }).click();
    await expect(condition).toHaveAttribute("aria-invalid", "true");
    await expect(condition).toHaveAccessibleDescription(/\S/);
    await expect(page).toHaveURL(/\/rules\/new$/);
    await condition.fill('claims.ref == "refs/heads/main"');
    await expect(condition).not.toHaveAttribute("aria-invalid", "true");
  });

  test("a server-side refusal (duplicate name) shows next to the Name field", async ({ page }) => {
    await page.goto("/rules/new");
    await page.getByLabel("Name", { exact: true }).fill(ruleName);
    await page.getByLabel("Issuer").selectOption(issuerId);
    await page.getByLabel("Subject").fill("repo:acme/other:ref:refs/heads/main");
    await page.getByLabel("Service account").selectOption(accountId);
    await page.getByRole("button", { name: "Create rule" }).click();
    await expect(page.getByLabel("Name", { exact: true })).toHaveAccessibleDescription(/already exists/);
    await expect(page.getByLabel("Subject")).toHaveValue("repo:acme/other:ref:refs/heads/main");
  });

  test("edit the rule: prefix subject and a claim", async ({ page }) => {
    await page.goto(`/rules/${ruleId}`);
    await page.getByRole("link", { name: "Edit" }).click();
    await expect(page.getByRole("heading", { level: 1, name: `Edit ${ruleName}` })).toBeVisible();
    await page.getByLabel("Subject").fill("repo:acme/api:*");
    await page.getByRole("button", { name: "Add claim" }).click();
    await page.getByLabel("Claim 1 name").fill("repository_owner");
    await page.getByLabel("Claim 1 value").fill("acme");
    await page.getByRole("button", { name: "Save changes" }).click();
    // Going back keeps the form as typed; saving anyway is an explicit second step.
    const confirm = page.getByRole("dialog");
    await expect(confirm).toContainText("Admits pull requests, including code from forks");
    await confirm.getByRole("button", { name: "Go back and change it" }).click();
    await expect(page.getByRole("dialog")).toHaveCount(0);
    await expect(page.getByLabel("Subject")).toHaveValue("repo:acme/api:*");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Save anyway" }).click();
    await expect(page).toHaveURL(new RegExp(`/rules/${ruleId}$`));
    await expect(page.getByText("repo:acme/api:*", { exact: true })).toBeVisible();
    await expect(page.getByText("prefix match")).toBeVisible();
    await expect(page.getByRole("region", { name: "Match", exact: true }).getByText("repository_owner")).toBeVisible();
  });

  test("an issuer with a live rule cannot be archived; the reason shows in the dialog", async ({ page }) => {
    await page.goto(`/issuers/${issuerId}`);
    await page.getByRole("button", { name: "Archive" }).click();
    const dialog = page.getByRole("dialog", { name: `Archive issuer ${issuerName}?` });
    await dialog.getByRole("button", { name: "Archive issuer" }).click();
    await expect(dialog.getByRole("alert")).toContainText(`still used by 1 live rule (${ruleName})`);
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect(page.getByText("Live", { exact: true })).toBeVisible();
  });

  test("archive the rule after confirming", async ({ page }) => {
    await page.goto(`/rules/${ruleId}`);
    await page.getByRole("button", { name: "Archive" }).click();
    const dialog = page.getByRole("dialog", { name: `Archive rule ${ruleName}?` });
    await expect(dialog).toBeVisible();
    await dialog.getByRole("button", { name: "Archive rule" }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByText("Archived", { exact: true })).toBeVisible();
    await expect(page.getByRole("link", { name: "Edit" })).toHaveCount(0);

    await page.goto("/rules");
    await expect(page.getByRole("link", { name: ruleName })).toHaveCount(0);
    await page.getByLabel("Include archived").check();
    await expect(page).toHaveURL(/archived=1/);
    await expect(page.getByRole("link", { name: ruleName })).toBeVisible();
  });

  test("with its rule archived, the issuer can be archived", async ({ page }) => {
    await page.goto(`/issuers/${issuerId}`);
    await page.getByRole("button", { name: "Archive" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Archive issuer" }).click();
    await expect(page.getByText("Archived", { exact: true }).first()).toBeVisible();
  });
});
