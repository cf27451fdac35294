/**
 * "Connect a workload": the guided setup end to end — GitHub Actions through the built-in
 * demo issuer and Kubernetes with pasted keys — and proof that the result works: a matching
 * identity token is exchanged at /v1/oauth/token with the IDs the result page shows.
 * Set E2E_SCREENSHOTS=1 to save every step at 1280 and 390 px to /tmp/guided-*.png.
 */
import path from "node:path";
import { expect, test, type APIRequestContext, type Page } from "./support/test";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { addUser, expectNoSeriousViolations, OWNER_STATE, signIn, uniqueName } from "./helpers";

test.use({ storageState: OWNER_STATE });

/** The test server's public URL: a rule the guided setup creates expects it as the audience. */
const AUDIENCE = `http://localhost:${Number(process.env.E2E_PORT ?? 3107)}`;

const SCREENSHOTS = !!process.env.E2E_SCREENSHOTS;
/** Time spent taking screenshots, left out of the journey's timing. */
let snapMs = 0;

/** Save the page at desktop and phone widths (only when E2E_SCREENSHOTS is set); tall phone pages in parts. */
async function snap(page: Page, name: string) {
  if (!SCREENSHOTS) return;
  const start = Date.now();
  const painted = () => page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  await page.screenshot({ path: `/tmp/guided-${name}-desktop.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await painted();
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  for (let y = 0, part = 1; y < height; y += 1200, part++) {
    await page.screenshot({ path: `/tmp/guided-${name}-phone-${part}.png`, fullPage: true, clip: { x: 0, y, width: 390, height: Math.min(1200, height - y) } });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  await painted();
  snapMs += Date.now() - start;
}


const cont = (page: Page) => page.getByRole("button", { name: "Continue" }).click();
const stepHeading = (page: Page, title: string) => expect(page.getByRole("heading", { level: 2, name: new RegExp(`^\\d\\. ${title}`) })).toBeVisible();

/** A fresh guided setup for GitHub Actions, through to the rule step with owner and repository typed. */
async function githubRuleStep(page: Page, owner: string, repo: string) {
  await page.goto("/connect");
  await page.getByRole("radio", { name: /^GitHub Actions/ }).check();
  await cont(page);
  await stepHeading(page, "Issuer");
  // Another spec may have registered GitHub's issuer: either way the step is complete.
  await cont(page);
  await stepHeading(page, "Service account");
  await cont(page);
  await stepHeading(page, "Rule");
  await page.getByLabel("Owner", { exact: true }).fill(owner);
  await page.getByLabel("Repository", { exact: true }).fill(repo);
}

/** The value shown beside an environment variable on the result page. */
async function shownValue(page: Page, variable: string): Promise<string> {
  const row = page.getByRole("region", { name: "The workload's environment" }).locator("div.flex").filter({ has: page.getByText(variable, { exact: true }) });
  return (await row.locator("code").innerText()).trim();
}

async function exchange(request: APIRequestContext, assertion: string, ruleId: string, organizationId: string) {
  return request.post("/v1/oauth/token", {
    data: { grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion, federation_rule_id: ruleId, organization_id: organizationId },
  });
}

/** A demo-issuer token, signed in this process with the server's own demo key (from the e2e database). */
async function mintDemo(subject: string, claims: Record<string, unknown>, issuerUrl: string): Promise<string> {
  await import("../lib/server/register-server-only");
  const [{ mintDemoToken }, { openStore }] = await Promise.all([import("../lib/demo/issuer"), import("../lib/store/db")]);
  const store = await openStore({ kind: "sqlite", file: path.join(process.env.WIF_E2E_DATA_DIR!, "wif.db") });
  try {
    return await mintDemoToken(store.db, { issuerUrl, subject, audience: AUDIENCE, claims });
  } finally {
    await store.close();
  }
}

test.describe.serial("connect a workload", () => {
  test.describe.configure({ timeout: SCREENSHOTS ? 240_000 : 60_000 });
  /** The GitHub-shaped rule the first journey creates. */
  let githubRuleId = "";

  test.beforeEach(async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  test("GitHub Actions through the demo issuer: the guided setup, then a matching token is exchanged", async ({ page, request, baseURL }) => {
    const repo = uniqueName("demo-app");
    const started = Date.now();
    snapMs = 0;

    await page.goto("/connect");
    await stepHeading(page, "Provider");
    await snap(page, "1-provider");
    await cont(page);
    await expect(page.getByText("Choose where your workload runs")).toBeVisible();
    await page.getByRole("radio", { name: /Use the demo issuer/ }).check();
    await cont(page);

    await stepHeading(page, "Issuer");
    await expect(page.getByText(`${baseURL}/demo-issuer`, { exact: true })).toBeVisible();
    await page.getByRole("button", { name: "Check the issuer's keys" }).click();
    await expect(page.getByText(/^1 key found$/)).toBeVisible();
    await expect(page.getByRole("region", { name: "Keys found" }).getByRole("cell", { name: /^demo-/ })).toBeVisible();
    await snap(page, "2-issuer");
    await cont(page);

    await stepHeading(page, "Service account");
    await expect(page.getByLabel("Service account name")).not.toHaveValue("");
    await snap(page, "3-service-account");
    await cont(page);

    await stepHeading(page, "Rule");
    await page.getByLabel("Repository", { exact: true }).fill(repo);
    const match = page.getByRole("definition").filter({ hasText: `repo:acme/${repo}:ref:refs/heads/main` });
    await expect(match).toBeVisible();
    await expect(page.getByText("Relies on names that can change hands")).toBeVisible();
    await expect(page.getByRole("list", { name: "Would be admitted" })).toContainText(`repo:acme/${repo}:ref:refs/heads/main`);
    await expect(page.getByRole("list", { name: "Would be refused" })).toContainText(`repo:acme/${repo}:pull_request`);
    await snap(page, "4-rule");
    await cont(page);

    await stepHeading(page, "Review");
    await expect(page.getByRole("region", { name: "Rule", exact: true })).toContainText(`repo:acme/${repo}:ref:refs/heads/main`);
    await snap(page, "5-review");
    await page.getByRole("button", { name: "Create" }).click();

    await expect(page.getByRole("heading", { level: 1, name: "Workload connected" })).toBeVisible();
    const elapsed = Date.now() - started - snapMs;
    console.log(`GitHub Actions journey through the console: ${(elapsed / 1000).toFixed(1)} s`);
    expect(elapsed).toBeLessThan(60_000);
    await expect(page).toHaveURL(/\/connect\/done\?rule=fdrl_[0-9A-Z]+&provider=demo/);
    await expect(page.getByRole("tablist").first()).toBeVisible();
    // The test server's public URL is localhost: the page and every snippet say what to set.
    await expect(page.getByText("Set this server's public URL before you paste anything")).toBeVisible();
    await expect(page.getByRole("note").filter({ hasText: `point at ${baseURL}` })).toHaveCount(2);
    await expect(page.getByRole("note").first()).toContainText("Set WIF_PUBLIC_URL");
    await expect(page.getByRole("link", { name: "Test a token against the rule" })).toHaveAttribute("href", /^\/tester\?rule=fdrl_/);
    await expect(page.getByRole("link", { name: "Authentication history" })).toHaveAttribute("href", "/history");
    await snap(page, "6-done");
    await expectNoSeriousViolations(page, "result page");

    const ruleId = await shownValue(page, "ANTHROPIC_FEDERATION_RULE_ID");
    const organizationId = await shownValue(page, "ANTHROPIC_ORGANIZATION_ID");
    expect(page.url()).toContain(ruleId);
    githubRuleId = ruleId;
    const claims = { repository: `acme/${repo}`, repository_owner: "acme", ref: "refs/heads/main", event_name: "push" };
    const issuerUrl = `${baseURL}/demo-issuer`;

    const granted = await exchange(request, await mintDemo(`repo:acme/${repo}:ref:refs/heads/main`, claims, issuerUrl), ruleId, organizationId);
    expect(granted.status()).toBe(200);
    expect((await granted.json()) as { access_token: string }).toMatchObject({ access_token: expect.stringMatching(/^sk-ant-oat01-/), token_type: "Bearer" });

    const otherBranch = await exchange(request, await mintDemo(`repo:acme/${repo}:ref:refs/heads/feature`, { ...claims, ref: "refs/heads/feature" }, issuerUrl), ruleId, organizationId);
    expect(otherBranch.status()).toBe(401);
  });

  test("Kubernetes with pasted keys: the guided setup, then a pod's token is exchanged", async ({ page, request }) => {
    // Clusters sign with RS256; an RSA key also exercises the browser-side key validation.
    const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
    const kid = uniqueName("cluster-key");
    const jwk = { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" };
    const clusterIssuer = `https://${uniqueName("oidc")}.k8s.example.com`;
    const namespace = uniqueName("payments");

    await page.goto("/connect");
    await page.getByRole("radio", { name: /^Kubernetes/ }).check();
    await cont(page);

    await stepHeading(page, "Issuer");
    await cont(page);
    await expect(page.getByLabel("Cluster issuer URL")).toHaveAccessibleDescription(/Cluster issuer URL is required/);
    await page.getByLabel("Cluster issuer URL").fill(clusterIssuer);
    await page.getByRole("radio", { name: /Paste the keys/ }).check();
    await page.getByLabel("JWK set (JSON)").fill(JSON.stringify({ keys: [jwk] }));
    await page.getByRole("button", { name: "Check the issuer's keys" }).click();
    await expect(page.getByText("From the pasted key set (never fetched).")).toBeVisible();
    await expect(page.getByRole("cell", { name: kid })).toBeVisible();
    await snap(page, "k8s-2-issuer");
    await cont(page);

    await stepHeading(page, "Service account");
    await cont(page);

    await stepHeading(page, "Rule");
    await page.getByLabel("Namespace").fill(namespace);
    await page.getByLabel("Kubernetes service account").fill("api");
    await expect(page.getByRole("definition").filter({ hasText: `system:serviceaccount:${namespace}:api` })).toBeVisible();
    await expect(page.getByText("A re-created service account with the same name is admitted too")).toBeVisible();
    await snap(page, "k8s-4-rule");
    await cont(page);
    await stepHeading(page, "Review");
    await page.getByRole("button", { name: "Create" }).click();

    await expect(page.getByRole("heading", { level: 1, name: "Workload connected" })).toBeVisible();
    await expect(page).toHaveURL(/provider=kubernetes/);
    // The pod spec snippet names the namespace and the service account.
    await expect(page.getByRole("tabpanel").first()).toContainText(namespace);
    await snap(page, "k8s-6-done");

    const ruleId = await shownValue(page, "ANTHROPIC_FEDERATION_RULE_ID");
    const organizationId = await shownValue(page, "ANTHROPIC_ORGANIZATION_ID");
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ "kubernetes.io": { namespace, serviceaccount: { name: "api", uid: "0f8fad5b-d9cb-469f-a165-70867728950e" } } })
      .setProtectedHeader({ alg: "RS256", kid, typ: "JWT" })
      .setIssuer(clusterIssuer)
      .setSubject(`system:serviceaccount:${namespace}:api`)
      .setAudience(AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .sign(privateKey);
    const granted = await exchange(request, token, ruleId, organizationId);
    expect(granted.status()).toBe(200);
  });

  test("a reload keeps the unfinished answers and the step; Start over clears them", async ({ page }) => {
    const repo = uniqueName("kept");
    await githubRuleStep(page, "acme", repo);

    await page.reload();
    await expect(page.getByText("Your unfinished answers are back")).toBeVisible();
    await stepHeading(page, "Rule");
    await expect(page.getByLabel("Repository", { exact: true })).toHaveValue(repo);
    // The steps already reached stay reachable.
    await page.getByRole("navigation", { name: "Steps" }).getByRole("button", { name: /Issuer/ }).click();
    await stepHeading(page, "Issuer");

    await page.getByRole("button", { name: "Start over" }).click();
    await stepHeading(page, "Provider");
    await expect(page.getByText("Your unfinished answers are back")).toBeHidden();
    await page.reload();
    await stepHeading(page, "Provider");
    await expect(page.getByText("Your unfinished answers are back")).toBeHidden();
    await expect(page.getByRole("radio", { name: /^GitHub Actions/ })).not.toBeChecked();
  });

  test("an unsafe rule shows the advisor's warnings, and a refusal from the server returns to the field, keeping what was typed", async ({ page }) => {
    await githubRuleStep(page, "acme", "api");
    await page.getByRole("button", { name: "Advanced: edit the match" }).click();
    const subject = page.getByRole("textbox", { name: /^Subject/ });
    await expect(subject).toHaveValue("repo:acme/api:ref:refs/heads/main");

    await subject.fill("repo:acme/*");
    const advisor = page.getByRole("region", { name: "Rule advisor" });
    await expect(advisor).toContainText("Admits every repository of acme");
    await expect(advisor).toContainText("Admits pull requests, including code from forks");
    await expect(advisor.getByRole("list", { name: "Would be admitted" })).toContainText("repo:acme/other-repo:ref:refs/heads/main");

    await subject.fill("repo:acme/app*");
    await expect(advisor).toContainText("The prefix stops in the middle of a name");
    await expect(advisor.getByRole("list", { name: "Would be admitted" })).toContainText("repo:acme/app-evil:ref:refs/heads/main");

    await page.getByLabel("Access token lifetime (seconds)").fill("86400");
    await expect(advisor).toContainText("Access tokens live 24 hours");
    await page.getByRole("checkbox", { name: "org:admin" }).check();
    await expect(advisor).toContainText("org:admin needs an admin service account");
    await snap(page, "unsafe-rule");

    // Client-side checks stop the step: a bare * is refused beside the field.
    await subject.fill("*");
    await cont(page);
    await expect(subject).toHaveAccessibleDescription(/bare \* is not a valid matcher/);

    // The server refuses a rule that does not pin the tenant; the error comes back to the rule step.
    await subject.fill("repo:*");
    await page.getByRole("checkbox", { name: "org:admin" }).uncheck();
    await page.getByLabel("Access token lifetime (seconds)").fill("900");
    await cont(page);
    await stepHeading(page, "Review");
    await page.getByRole("button", { name: "Create" }).click();
    await expect(page.getByRole("dialog")).toContainText("Admits workloads of every customer of this provider");
    await page.getByRole("dialog").getByRole("button", { name: "Create anyway" }).click();
    await stepHeading(page, "Rule");
    await expect(page.getByText(/GitHub Actions issuer is shared by every GitHub Actions customer/)).toBeVisible();
    await expect(subject).toHaveValue("repo:*");
    await expect(page.getByLabel("Access token lifetime (seconds)")).toHaveValue("900");
    await snap(page, "server-error");
  });

  test("every step, with its errors showing, passes axe at desktop and phone widths", async ({ page }) => {
    // Ten axe runs on a shared two-core machine.
    test.setTimeout(240_000);
    const check = async (label: string) => {
      await expectNoSeriousViolations(page, `${label} (1280 px)`);
      await page.setViewportSize({ width: 390, height: 844 });
      await expectNoSeriousViolations(page, `${label} (390 px)`);
      await page.setViewportSize({ width: 1280, height: 900 });
    };
    await page.goto("/connect");
    await cont(page);
    await expect(page.getByText("Choose where your workload runs")).toBeVisible();
    await check("provider step with an error");
    await page.getByRole("radio", { name: /^Other OIDC provider/ }).check();
    await cont(page);
    await stepHeading(page, "Issuer");
    await page.getByRole("radio", { name: /Paste the keys/ }).check();
    await page.getByLabel("JWK set (JSON)").fill("{ not json");
    await cont(page);
    await expect(page.getByLabel("Issuer URL")).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByLabel("JWK set (JSON)")).toHaveAttribute("aria-invalid", "true");
    await check("issuer step with errors");
    await page.getByLabel("Issuer URL").fill(`https://${uniqueName("idp")}.example.com`);
    await page.getByRole("radio", { name: /OIDC discovery/ }).check();
    await cont(page);
    await stepHeading(page, "Service account");
    await page.getByLabel("Service account name").fill("Not A Slug");
    await cont(page);
    await expect(page.getByLabel("Service account name")).toHaveAccessibleDescription(/lowercase letters, digits and hyphens/i);
    await check("service account step with an error");
    await page.getByLabel("Service account name").fill(uniqueName("svc"));
    await cont(page);
    await stepHeading(page, "Rule");
    await cont(page);
    await expect(page.getByLabel("Subject")).toHaveAccessibleDescription(/Subject is required/);
    await check("rule step with an error");
    await page.getByLabel("Subject").fill("team-a*");
    await page.getByRole("button", { name: "Advanced: edit the match" }).click();
    await check("rule step, advanced, with advice");
    await cont(page);
    await stepHeading(page, "Review");
    await check("review step");
  });

  test("the advisor on the rule's page and, live, on the rule form", async ({ page }) => {
    await page.goto(`/rules/${githubRuleId}`);
    const advisor = page.getByRole("region", { name: "Rule advisor" });
    await expect(advisor).toContainText("Relies on names that can change hands");
    await snap(page, "rule-page");

    await page.goto("/rules/new");
    await page.getByLabel("Subject").fill("repo:acme/*");
    await expect(page.getByRole("region", { name: "Rule advisor" })).toContainText("Admits every repository of acme");
    await page.getByLabel("Subject").fill("repo:acme/api:environment:production");
    await expect(page.getByRole("region", { name: "Rule advisor" })).not.toContainText("Admits every repository");
    await snap(page, "rule-form");
  });

  test("only admins and owners may connect workloads; others see why", async ({ page, browser }) => {
    const developer = { name: "Dev Eloper", email: `${uniqueName("dev")}@example.com`, role: "developer", password: "developer passphrase 1" };
    await addUser(page, developer);

    const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const dev = await context.newPage();
    await dev.goto("/login");
    await signIn(dev, developer.email, developer.password);
    await expect(dev.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
    await dev.goto("/connect");
    await expect(dev.getByText("Only admins and owners can connect workloads")).toBeVisible();
    await expect(dev.getByRole("button", { name: "Continue" })).toHaveCount(0);
    await snap(dev, "developer");
    await context.close();
  });
});
