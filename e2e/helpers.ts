/**
 * Shared by the e2e specs. first-run.spec.ts (its own Playwright project, which every other
 * spec depends on) creates the owner from the setup code and saves the owner's session to
 * OWNER_STATE; other specs start signed in with `test.use({ storageState: OWNER_STATE })`.
 */
import fs from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, type APIRequestContext, type Page } from "@playwright/test";

const dataDir = () => {
  const dir = process.env.WIF_E2E_DATA_DIR;
  if (!dir) throw new Error("WIF_E2E_DATA_DIR is not set; run the specs through playwright.config.ts");
  return dir;
};

export const OWNER = { name: "Olivia Owner", email: "owner@example.com", password: "a long owner passphrase" } as const;
export const OWNER_STATE = path.join(process.env.WIF_E2E_DATA_DIR ?? ".", "owner-state.json");

export function readSetupCode(): string {
  return fs.readFileSync(path.join(dataDir(), "setup-code"), "utf8").trim();
}

/** axe (WCAG 2.1 A/AA and best practices): no serious or critical violations; `label` names the view in a failure. */
export async function expectNoSeriousViolations(page: Page, label: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  const serious = results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => n.target.join(" ")).join("\n    ")}`);
  expect(serious, `${label}\n${serious.join("\n")}`).toEqual([]);
}

/** A name no other test run in this database has used: `prefix-<random>`. */
export const uniqueName = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2, 8)}`;

export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

export async function createIssuer(page: Page, name: string, issuerUrl = `https://${name}.example.com`): Promise<string> {
  await page.goto("/issuers/new");
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Issuer URL").fill(issuerUrl);
  await page.getByRole("button", { name: "Create issuer" }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  return page.url().split("/").pop()!;
}

export async function createServiceAccount(page: Page, name: string): Promise<string> {
  await page.goto("/service-accounts/new");
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByRole("button", { name: "Create service account" }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  return page.url().split("/").pop()!;
}

/** Create a rule through the form; `issuerId` and `serviceAccountId` select the options by value. */
export async function createRule(page: Page, opts: { name: string; issuerId: string; serviceAccountId: string; subject: string }): Promise<string> {
  await page.goto("/rules/new");
  await page.getByLabel("Name", { exact: true }).fill(opts.name);
  await page.getByLabel("Issuer").selectOption(opts.issuerId);
  await page.getByLabel("Subject").fill(opts.subject);
  await page.getByLabel("Service account").selectOption(opts.serviceAccountId);
  await page.getByRole("button", { name: "Create rule" }).click();
  await expect(page.getByRole("heading", { level: 1, name: opts.name })).toBeVisible();
  return page.url().split("/").pop()!;
}

/** Where each kind of key is created in the console, and what its secret looks like. */
export const KEY_FORMS = {
  api: { path: "/api-keys", button: "Create API key", secret: /^sk-ant-api03-[A-Za-z0-9_-]{43}$/ },
  admin: { path: "/admin-keys", button: "Create admin key", secret: /^sk-ant-admin01-[A-Za-z0-9_-]{43}$/ },
} as const;

/** Create a key on its console page (an API key may be given an expiry date, YYYY-MM-DD): its secret, shown once. */
export async function createKeyInConsole(page: Page, kind: keyof typeof KEY_FORMS, name: string, expires?: string): Promise<string> {
  const form = KEY_FORMS[kind];
  await page.goto(form.path);
  await page.getByLabel("Name", { exact: true }).fill(name);
  if (expires) await page.getByLabel(/^Expires/).fill(expires);
  await page.getByRole("button", { name: form.button }).click();
  const secret = page.getByText(form.secret);
  await expect(secret).toBeVisible();
  return (await secret.textContent())!;
}

/** Add a console user with an initial password (signed in as the owner). */
export async function addUser(page: Page, user: { name: string; email: string; role: string; password: string }): Promise<void> {
  await page.goto("/users");
  await page.getByLabel("Name", { exact: true }).fill(user.name);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Role", { exact: true }).selectOption(user.role);
  await page.getByLabel("Initial password").fill(user.password);
  await page.getByRole("button", { name: "Create user" }).click();
  await expect(page.getByText(`${user.email} can sign in with the password you set.`)).toBeVisible();
}

/** Create an admin key through the console (signed in as the owner): its secret, shown once, and its organisation's id. */
export async function createAdminKeyInConsole(page: Page, request: APIRequestContext, keyName: string): Promise<{ adminKey: string; organizationId: string }> {
  const adminKey = await createKeyInConsole(page, "admin", keyName);
  const me = await request.get("/v1/organizations/me", { headers: { "x-api-key": adminKey } });
  return { adminKey, organizationId: ((await me.json()) as { id: string }).id };
}

/** POST to the Admin API with an admin key; asserts 200 and returns the created resource's id. */
export async function postAdmin(request: APIRequestContext, adminKey: string, path: string, data: unknown): Promise<string> {
  const res = await request.post(`/v1/organizations${path}`, { headers: { "x-api-key": adminKey }, data });
  expect(res.status(), await res.text()).toBe(200);
  return ((await res.json()) as { id: string }).id;
}
