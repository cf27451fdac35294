/**
 * The gateway in the console: an admin points the upstream at a local test upstream (which
 * speaks the Messages API) with a write-only key and tests the connection (its models listed);
 * a workload exchanges a federated token and calls /v1/messages through the gateway; the
 * request is on the Requests page with its service account and tokens, its detail links to
 * the exchange that minted the token, the usage chart draws (and reads as a table), and the
 * service account's page shows it. Screenshots at 1280 and 390 px go to the test's output folder.
 */
import AxeBuilder from "@axe-core/playwright";
import { OWNER_STATE, uniqueName } from "./helpers";
import { expect, test, type Page } from "./support/test";
import { startTestUpstream, UPSTREAM_USAGE, type TestUpstream } from "./support/test-upstream";
import { setUpWorkload, type Workload } from "./workload";

test.use({ storageState: OWNER_STATE });

const UPSTREAM_KEY = "sk-ant-api03-e2e-upstream-key-0123456789-Q7Z9";

test.describe.serial("gateway console", () => {
  const name = uniqueName("gw");
  const subject = `repo:acme/${name}:ref:refs/heads/main`;
  let upstream: TestUpstream;
  let workload: Workload;
  const ids = { issuer: "", account: "", rule: "", exchange: "" };

  test.afterAll(async () => upstream?.close());

  /** The Requests page's rows, reloaded until the request's audit row (written in batches) is there. */
  async function openRequests(page: Page, query: string) {
    const rows = page.getByRole("region", { name: "Gateway requests" }).locator("tbody tr");
    await expect(async () => {
      await page.goto(`/requests?${query}`);
      await expect(rows).toHaveCount(1, { timeout: 1000 });
    }).toPass();
    return rows;
  }

  test("setup: a local upstream, an issuer with a generated key, a service account and a rule", async ({ page, request }) => {
    upstream = await startTestUpstream();
    workload = await setUpWorkload(page, request, { name, subject, rule: { oauth_scope: "workspace:inference" } });
    Object.assign(ids, workload.ids);
  });

  test("Upstream: save the URL and a write-only key, refuse a bad URL at its field, test the connection", async ({ page }) => {
    await page.goto("/upstream");
    await expect(page.getByRole("heading", { level: 1, name: "Upstream" })).toBeVisible();
    const form = page.getByRole("form", { name: "Organization upstream" });

    // Plain http is for loopback only: the schema says so beside the field, before any request.
    await form.getByLabel("Upstream URL").fill("http://example.com");
    await form.getByRole("button", { name: "Save upstream" }).click();
    await expect(page.locator("#upstream-base_url-error")).toContainText("loopback");

    await form.getByLabel("Upstream URL").fill(upstream.url);
    await form.getByLabel(/Upstream API key/).fill(UPSTREAM_KEY);
    await form.getByRole("button", { name: "Save upstream" }).click();
    await expect(form.getByRole("status")).toContainText("Upstream settings saved");
    // The key is never shown again: only its last four characters, and the field is empty.
    await expect(form.getByLabel("Upstream API key (stored: …Q7Z9)")).toHaveValue("");
    await expect(page.getByText("…Q7Z9", { exact: true })).toBeVisible();
    expect(await page.content()).not.toContain(UPSTREAM_KEY.slice(0, 24));

    await page.getByRole("button", { name: "Test connection" }).first().click();
    const result = page.getByRole("status").filter({ hasText: "Connected" });
    await expect(result).toContainText("lists 2 models");
    await expect(page.getByRole("list", { name: "Models the key can use" }).getByRole("listitem")).toHaveText(["claude-test-1", "claude-test-2"]);
    expect(upstream.received.find((r) => r.url.startsWith("/v1/models"))?.headers["x-api-key"]).toBe(UPSTREAM_KEY);
  });

  test("a workload calls the Messages API through the gateway with its federated token", async ({ request }) => {
    const { requestId, accessToken } = await workload.exchange(request, await workload.sign(), 200);
    ids.exchange = requestId;
    const reply = await request.post("/v1/messages", {
      headers: { authorization: `Bearer ${accessToken}`, "anthropic-version": "2023-06-01" },
      data: { model: "claude-test", max_tokens: 16, messages: [{ role: "user", content: "hi" }] },
    });
    expect(reply.status()).toBe(200);
    expect(upstream.received.at(-1)?.headers["x-api-key"]).toBe(UPSTREAM_KEY);
  });

  test("Requests: the request with its service account and tokens, its detail, and the exchange behind its token", async ({ page }) => {
    const rows = await openRequests(page, new URLSearchParams({ service_account_id: ids.account }).toString());
    await expect(page.getByRole("heading", { level: 1, name: "Requests" })).toBeVisible();
    await expect(rows.first()).toContainText(name);
    await expect(rows.first()).toContainText("200");

    // The usage chart draws (a line per series) and reads as a table too.
    const usage = page.getByRole("region", { name: "Usage" });
    await expect(usage.getByRole("img", { name: /Requests: 1 request from .* most from/ })).toBeVisible();
    await expect(usage.locator("[data-testid=chart] svg").first()).toBeVisible();
    await expect(usage.locator("[data-testid=chart] svg g line").first()).toBeAttached(); // the one point, drawn as a dot
    await expect(usage.getByRole("list", { name: "Tokens: legend" })).toContainText(name);
    await usage.getByRole("radio", { name: "Model" }).check();
    await expect(usage.getByRole("list", { name: "Requests: legend" })).toContainText("claude-test");
    await usage.getByRole("button", { name: "Show as table" }).first().click();
    await expect(usage.getByRole("region", { name: "Requests by time" }).locator("tbody")).toContainText("1");

    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: test.info().outputPath("requests-1280.png"), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: test.info().outputPath("requests-390.png"), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });

    await rows.first().getByRole("link").first().click();
    await expect(page.getByRole("heading", { level: 1, name: "POST /v1/messages" })).toBeVisible();
    const usageCard = page.getByRole("region", { name: "Tokens and timings" });
    await expect(usageCard).toContainText(String(UPSTREAM_USAGE.input_tokens));
    await expect(usageCard).toContainText(String(UPSTREAM_USAGE.output_tokens));
    const chain = page.getByRole("region", { name: "Who made it" });
    await expect(chain).toContainText(subject);
    await expect(chain.getByRole("link", { name })).toHaveCount(2); // the rule and the service account
    await page.screenshot({ path: test.info().outputPath("request-detail-1280.png"), fullPage: true });
    await chain.getByRole("link", { name: "History entry" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Granted" })).toBeVisible();
    await expect(page.getByText(ids.exchange)).toBeVisible();
  });

  test("the service account's page shows its recent requests and usage, and links to them", async ({ page }) => {
    await page.goto(`/service-accounts/${ids.account}`);
    const section = page.getByRole("region", { name: "Claude API requests" });
    await expect(section).toContainText("1 request and 23 tokens");
    await expect(section.getByRole("region", { name: "Gateway requests" }).locator("tbody tr")).toHaveCount(1);
    await expect(section.locator("[data-testid=chart] svg").first()).toBeVisible();
    await section.getByRole("link", { name: "All its requests" }).click();
    await expect(page).toHaveURL(new RegExp(`/requests\\?service_account_id=${ids.account}`));
  });

  test("the gateway pages pass axe and read at 390 px", async ({ page }) => {
    for (const path of ["/upstream", "/requests"]) {
      await page.goto(path);
      const results = await new AxeBuilder({ page }).analyze();
      expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
    }
    await page.goto("/upstream");
    // A workspace's own key: saved write-only, listed by its last four, and tested on its own.
    const override = page.getByRole("form", { name: "Workspace upstream" });
    await override.getByLabel("Workspace", { exact: true }).selectOption({ label: "Default" });
    await override.getByLabel("Upstream API key", { exact: true }).fill("sk-ant-api03-e2e-workspace-key-AB12");
    await override.getByRole("button", { name: "Save override" }).click();
    const overrides = page.getByRole("region", { name: "Workspace overrides" }).locator("tbody tr");
    await expect(overrides.filter({ hasText: "Default" })).toContainText("…AB12");
    await overrides.filter({ hasText: "Default" }).getByRole("button", { name: "Test" }).click();
    await expect(overrides.filter({ hasText: "Default" }).getByRole("status")).toContainText("lists 2 models");
    expect(upstream.received.at(-1)?.headers["x-api-key"]).toBe("sk-ant-api03-e2e-workspace-key-AB12");
    await page.screenshot({ path: test.info().outputPath("upstream-1280.png"), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await page.screenshot({ path: test.info().outputPath("upstream-390.png"), fullPage: true });
  });
});
