/**
 * Playwright's `test` with one change: `page.goto` and `page.reload` return only once the
 * console has hydrated (`<html data-hydrated>`, and the page content's own mark, both set by
 * components/shell/hydration-mark.tsx).
 * Filling a react-hook-form field before then loses the text to the form's default value,
 * which made journeys fail at random on a busy machine. Answers that are not Next pages are not waited for.
 */
import { test as base, type Page, type Response } from "@playwright/test";

export * from "@playwright/test";

async function hydrated(page: Page, response: Response | null): Promise<Response | null> {
  if (!response?.headers()["content-type"]?.includes("text/html")) return response;
  // Pages without Next's scripts (the edge guard's plain refusals) never hydrate.
  // The page's own content hydrates after the frame (it streams inside a loading boundary): wait for its mark too.
  await page.waitForFunction(
    () => (document.documentElement.hasAttribute("data-hydrated") && !document.querySelector("[data-page-hydration]:not([data-done])")) || !document.querySelector('script[src*="/_next/"]'),
  );
  return response;
}

export const test = base.extend({
  page: async ({ page }, use) => {
    const goto = page.goto.bind(page);
    const reload = page.reload.bind(page);
    page.goto = async (url, options) => hydrated(page, await goto(url, options));
    page.reload = async (options) => hydrated(page, await reload(options));
    await use(page);
  },
});
