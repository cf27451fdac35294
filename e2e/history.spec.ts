/**
 * Investigating exchanges: a workload's granted and denied exchanges (made over HTTP with a
 * key generated here) appear in the history with their outcome and reason, filters narrow
 * them and live in the URL, the detail page explains the denial, exports download the rows,
 * and a new exchange appears without a reload.
 */
import fs from "node:fs";
import { expect, test, type APIRequestContext, type Page } from "./support/test";
import { expectNoSeriousViolations, OWNER_STATE, uniqueName } from "./helpers";
import { setUpWorkload, type Workload } from "./workload";

test.use({ storageState: OWNER_STATE });

test.describe.serial("history", () => {
  const name = uniqueName("hist");
  const subject = `repo:acme/${name}:ref:refs/heads/main`;
  const prSubject = `repo:acme/${name}:pull_request`;
  let workload: Workload;
  const ids = { issuer: "", account: "", rule: "" };
  const requests = { granted: "", denied: "" };

  /** An exchange of a token with `claims`; returns the request ID the history keys on. */
  const exchange = async (request: APIRequestContext, claims: Record<string, unknown>, status: number) => (await workload.exchange(request, await workload.sign(claims), status)).requestId;

  const rows = (page: Page) => page.getByRole("region", { name: "Exchange list" }).locator("tbody tr");

  test("setup: an issuer with a generated key, a rule, and a granted and a denied exchange", async ({ page, request }) => {
    workload = await setUpWorkload(page, request, { name, subject });
    Object.assign(ids, workload.ids);
    requests.granted = await exchange(request, {}, 200);
    requests.denied = await exchange(request, { sub: prSubject }, 401);
  });

  test("the history shows both exchanges with their outcome and reason", async ({ page }) => {
    await page.goto(`/history?federation_rule_id=${ids.rule}`);
    await expect(page.getByRole("heading", { level: 1, name: "History" })).toBeVisible();
    await expect(rows(page)).toHaveCount(2);
    const denied = rows(page).filter({ has: page.getByText("Denied", { exact: true }) });
    await expect(denied).toHaveCount(1);
    await expect(denied).toContainText("Subject does not match");
    await expect(denied).toContainText(prSubject);
    const granted = rows(page).filter({ has: page.getByText("Granted", { exact: true }) });
    await expect(granted).toHaveCount(1);
    await expect(granted).toContainText(subject);
    await expect(granted).toContainText(name); // rule, issuer and service account by name
    await expect(page.getByLabel("Rule", { exact: true })).toHaveValue(ids.rule);
  });

  test("a chart over time and breakdowns by reason and by rule follow the filters", async ({ page }) => {
    await page.goto(`/history?federation_rule_id=${ids.rule}`);
    const summary = page.getByRole("region", { name: "Over time" });
    const legend = summary.getByRole("list", { name: /legend$/ });
    await expect(legend).toContainText("Granted1");
    await expect(legend).toContainText("Denied1");
    await expect(summary.locator("[data-testid=chart] svg g")).toHaveCount(2); // a line each: granted, denied
    await page.screenshot({ path: test.info().outputPath("history-chart-1280.png"), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await summary.screenshot({ path: test.info().outputPath("history-chart-390.png") });
    await page.setViewportSize({ width: 1280, height: 720 });
    await expect(summary.getByRole("list", { name: "Denials by reason" })).toContainText("Subject does not match1");
    await expect(summary.getByRole("list", { name: "Exchanges by rule" })).toContainText(`${name}1 granted · 1 denied`);
    // The chart reads as a table too, and the breakdowns narrow the list.
    await summary.getByRole("button", { name: "Show as table" }).click();
    await expect(summary.getByRole("table")).toBeVisible();
    await summary.getByRole("link", { name: "Subject does not match" }).click();
    await expect(page).toHaveURL(/reason=match_subject_prefix/);
    await expect(rows(page)).toHaveCount(1);
    await expect(page.getByRole("region", { name: "Over time" }).getByRole("list", { name: /legend$/ })).toContainText("Granted0");
  });

  test("filters narrow the list and live in the URL", async ({ page }) => {
    await page.goto(`/history?federation_rule_id=${ids.rule}`);
    await page.getByLabel("Outcome", { exact: true }).selectOption("denied");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(/outcome=denied/);
    await expect(rows(page)).toHaveCount(1);
    await expect(rows(page)).toContainText("Subject does not match");

    // Another reason: nothing on this rule matches.
    await page.getByLabel("Reason", { exact: true }).selectOption("jti_reused");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(/reason=jti_reused/);
    await expect(page.getByText("No exchanges match these filters")).toBeVisible();

    // Free text on the subject, from a clean page.
    await page.goto("/history");
    await page.getByLabel("Subject contains").fill(name.toUpperCase());
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(new RegExp(`q=${name.toUpperCase()}`));
    await expect(rows(page)).toHaveCount(2);

    // The tester's deep link: one request.
    await page.goto(`/history?request_id=${requests.granted}`);
    await expect(rows(page)).toHaveCount(1);
    await expect(rows(page)).toContainText("Granted");
    await expect(page.getByLabel("Request ID")).toHaveValue(requests.granted);

    // A filter that is not valid is shown next to its field, keeping the value.
    await page.goto("/history?reason=because&q=keep-me");
    await expect(page.getByLabel("Reason", { exact: true })).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByLabel("Reason", { exact: true })).toHaveAccessibleDescription(/deny reason code/);
    await expect(page.getByLabel("Subject contains")).toHaveValue("keep-me");
    await expect(page.getByText("Some filters in the address are not valid")).toBeVisible();
    await expect(page.getByRole("region", { name: "Exchange list" })).toHaveCount(0);

    // The same check in the browser before anything is sent.
    await page.goto("/history");
    await page.getByText("More filters").click();
    await page.getByLabel("From (UTC)").fill("2026-03-02T10:00");
    await page.getByLabel("To (UTC)").fill("2026-03-01T10:00");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page.getByLabel("To (UTC)")).toHaveAccessibleDescription(/later than since/);
    await expect(page).toHaveURL(/\/history$/);
  });

  test("the detail page explains the denial and links onwards", async ({ page }) => {
    await page.goto(`/history?federation_rule_id=${ids.rule}&outcome=denied`);
    await rows(page).first().getByRole("link").first().click();
    await expect(page.getByRole("heading", { level: 1, name: "Denied: Subject does not match" })).toBeVisible();
    const why = page.getByRole("region", { name: "Why it was denied" });
    await expect(why).toContainText("does not equal the rule's subject");
    await expect(why).toContainText("How to fix it");
    await expect(why).toContainText("This server's configuration");
    await expect(page.getByText(requests.denied)).toBeVisible();
    const claims = page.getByRole("region", { name: "Claims", exact: true });
    await expect(claims.getByRole("row").filter({ hasText: "sub" }).first()).toContainText(prSubject);
    await expect(claims).toContainText(workload.issuerUrl);
    const exchangeCard = page.getByRole("region", { name: "Exchange", exact: true });
    await expect(exchangeCard.getByRole("link", { name, exact: true }).first()).toHaveAttribute("href", `/rules/${ids.rule}`);
    await expect(page.getByRole("link", { name: "Open in token tester" })).toHaveAttribute("href", /^\/tester\?event=authev_/);
  });

  test("exports download the filtered rows as NDJSON and CSV", async ({ page }) => {
    await page.goto(`/history?federation_rule_id=${ids.rule}`);
    const csvDownload = page.waitForEvent("download");
    await page.getByRole("link", { name: "Export CSV" }).click();
    const csv = await csvDownload;
    expect(csv.suggestedFilename()).toBe("auth-events.csv");
    const csvText = fs.readFileSync((await csv.path())!, "utf8");
    expect(csvText.split("\r\n")[0]).toContain("request_id");
    expect(csvText).toContain(requests.granted);
    expect(csvText).toContain(requests.denied);

    const ndjsonDownload = page.waitForEvent("download");
    await page.getByRole("link", { name: "Export NDJSON" }).click();
    const ndjson = await ndjsonDownload;
    expect(ndjson.suggestedFilename()).toBe("auth-events.ndjson");
    const lines = fs
      .readFileSync((await ndjson.path())!, "utf8")
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as { request_id: string; outcome: string; federation_rule_id: string });
    expect(lines.map((l) => l.request_id).sort()).toEqual([requests.granted, requests.denied].sort());
    expect(lines.every((l) => l.federation_rule_id === ids.rule)).toBe(true);
  });

  test("a new exchange appears at the top without a reload", async ({ page, request }) => {
    await page.goto(`/history?federation_rule_id=${ids.rule}`);
    await expect(rows(page)).toHaveCount(2);
    // A reload would drop this marker.
    await page.evaluate(() => Object.assign(window, { __historyStayed: true }));
    await exchange(request, { aud: "https://elsewhere.example" }, 401);
    await expect(rows(page)).toHaveCount(3, { timeout: 20_000 });
    await expect(rows(page).first()).toContainText("Audience differs");
    await expect(page.getByRole("status").filter({ hasText: "1 new exchange" })).toBeVisible();
    expect(await page.evaluate(() => (window as unknown as { __historyStayed?: boolean }).__historyStayed)).toBe(true);
  });

  test("the configuration changes tab shows who created the rule", async ({ page }) => {
    await page.goto("/history");
    await page.getByRole("link", { name: "Configuration changes" }).click();
    await expect(page).toHaveURL(/tab=changes/);
    const row = page.getByRole("region", { name: "Change list" }).locator("tbody tr").filter({ has: page.getByRole("link", { name: ids.rule }) });
    await expect(row).toContainText("Rule created");
    await expect(row).toContainText(`${name}-key`);
    await expect(page.getByRole("region", { name: "Change list" })).not.toContainText("Admin API request");
    await page.getByLabel("Include Admin API requests").check();
    await expect(page).toHaveURL(/requests=1/);
    await expect(page.getByRole("region", { name: "Change list" }).getByText("Admin API request").first()).toBeVisible();
  });

  test("the data routes check the session and the origin themselves", async ({ playwright, page, baseURL }) => {
    const query = `federation_rule_id=${ids.rule}`;
    const own = await page.request.get(`/history/events?${query}`);
    expect(own.status()).toBe(200);
    const page1 = (await own.json()) as { data: Array<Record<string, unknown>> };
    expect(page1.data.map((e) => e.request_id).sort()).toHaveLength(3);
    expect(page1.data[0]).not.toHaveProperty("access_token_id");

    const invalid = await page.request.get("/history/events?outcome=maybe");
    expect(invalid.status()).toBe(400);
    expect(((await invalid.json()) as { error: { message: string } }).error.message).toMatch(/^outcome: /);

    const crossSite = await page.request.get(`/history/export?format=csv&${query}`, { headers: { "sec-fetch-site": "cross-site" } });
    expect(crossSite.status()).toBe(403);

    // A forged or expired session cookie: a JSON 401, for every route.
    const stranger = await playwright.request.newContext({ baseURL, storageState: { cookies: [], origins: [] }, extraHTTPHeaders: { cookie: `wif_session=${"A".repeat(43)}` } });
    for (const path of [`/history/events?${query}`, "/history/audit", `/history/export?format=ndjson&${query}`]) {
      const res = await stranger.get(path, { maxRedirects: 0 });
      expect(res.status(), path).toBe(401);
      expect(((await res.json()) as { error: { type: string } }).error.type).toBe("authentication_error");
      expect(await res.text()).not.toContain(requests.granted);
    }
    await stranger.dispose();
  });

  test("Load more continues after the first page with no repeats", async ({ page, request }) => {
    for (let i = 0; i < 25; i++) await exchange(request, { sub: `${prSubject}-${i}` }, 401);
    await page.goto(`/history?federation_rule_id=${ids.rule}`);
    await expect(rows(page)).toHaveCount(25);
    await page.getByRole("button", { name: "Load more" }).click();
    await expect(rows(page)).toHaveCount(28);
    await expect(page.getByRole("button", { name: "Load more" })).toHaveCount(0);
    const links = await rows(page).locator('a[href^="/history/authev_"]').evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    expect(new Set(links).size).toBe(28);
    // The oldest exchange is the first one made.
    await rows(page).last().getByRole("link").first().click();
    await expect(page.getByText(requests.granted)).toBeVisible();
  });

  for (const width of [1280, 390]) {
    for (const view of ["exchanges", "invalid filters", "changes", "detail"] as const) {
      test(`no serious accessibility problems: ${view} at ${width} px`, async ({ page }) => {
        test.slow(); // axe is slow on a busy machine
        await page.setViewportSize({ width, height: 900 });
        if (view === "detail") {
          await page.goto(`/history?federation_rule_id=${ids.rule}&outcome=denied`);
          await rows(page).first().getByRole("link").first().click();
          await expect(page.getByRole("heading", { level: 1, name: /^Denied/ })).toBeVisible();
        } else {
          await page.goto({ exchanges: `/history?federation_rule_id=${ids.rule}`, "invalid filters": "/history?reason=because", changes: "/history?tab=changes" }[view]);
          await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
        }
        await expectNoSeriousViolations(page, `${view} at ${width} px`);
      });
    }
  }
});
