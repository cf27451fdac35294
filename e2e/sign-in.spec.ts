/** Signing in and out: one message for every failure, protected pages, the session cookie. */
import { expect, test } from "./support/test";
import { OWNER, signIn } from "./helpers";

test.use({ storageState: { cookies: [], origins: [] } });

test("an unknown user and a wrong password get the same message", async ({ page }) => {
  await page.goto("/login");
  await signIn(page, "nobody@example.com", "some password here");
  const alert = page.getByRole("alert").filter({ hasText: /incorrect/ });
  await expect(alert).toHaveText("Email or password is incorrect");
  const unknownUser = await alert.textContent();

  await signIn(page, OWNER.email, "not the owner's password");
  await expect(alert).toHaveText("Email or password is incorrect");
  expect(await alert.textContent()).toBe(unknownUser);
  // What was typed stays.
  await expect(page.getByLabel("Email")).toHaveValue(OWNER.email);
  await expect(page).toHaveURL(/\/login$/);
});

test("protected pages send signed-out visitors to /login", async ({ page }) => {
  for (const path of ["/", "/issuers", "/rules/new", "/service-accounts", "/users", "/api-keys"]) {
    await page.goto(path);
    await expect(page).toHaveURL(/\/login(\?next=.*)?$/);
    await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  }
});

test("signing in returns to the page asked for; signing out ends the session", async ({ page, context }) => {
  await page.goto("/rules");
  await expect(page).toHaveURL(/\/login\?next=%2Frules$/);
  await signIn(page, OWNER.email, OWNER.password);
  await expect(page.getByRole("heading", { level: 1, name: "Rules" })).toBeVisible();
  await expect(page).toHaveURL(/\/rules$/);

  const session = (await context.cookies()).find((c) => c.name === "wif_session");
  expect(session).toMatchObject({ httpOnly: true, sameSite: "Strict", path: "/", secure: false });
  expect(session!.value).toMatch(/^[A-Za-z0-9_-]{43}$/);

  await page.getByRole("button", { name: /account menu/i }).first().click();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  expect((await context.cookies()).find((c) => c.name === "wif_session")).toBeUndefined();

  // The old cookie is dead on the server too, not just forgotten by the browser.
  await context.addCookies([{ ...session! }]);
  await page.goto("/issuers");
  await expect(page).toHaveURL(/\/login\?next=%2Fissuers$/);
});
