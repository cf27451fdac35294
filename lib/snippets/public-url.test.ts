/** The public-URL warning: present on every snippet set while the base URL is loopback, absent otherwise. */
import { describe, expect, it } from "vitest";
import { buildSnippets } from "./index";
import { isLoopbackUrl, publicUrlWarning } from "./public-url";

describe("publicUrlWarning", () => {
  it.each(["http://localhost:3000", "http://127.0.0.1:8080/", "http://[::1]:3000", "http://wif.localhost", "http://0.0.0.0:3000"])("warns for %s, naming WIF_PUBLIC_URL", (url) => {
    expect(isLoopbackUrl(url)).toBe(true);
    expect(publicUrlWarning(url)).toMatch(new RegExp(`point at ${url.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}.*Set WIF_PUBLIC_URL`));
  });

  it.each(["https://wif.example.com", "https://10.0.0.5", "https://localhost.example.com"])("stays silent for %s", (url) => {
    expect(publicUrlWarning(url)).toBeNull();
  });

  it("comes with every snippet set built for a loopback base URL", () => {
    const input = { provider: "github-actions" as const, organizationId: "org", serviceAccountId: "svac_1", ruleId: "fdrl_1", audience: "https://wif.example.com" };
    expect(buildSnippets({ ...input, baseUrl: "http://localhost:3000" }).warning).toMatch(/WIF_PUBLIC_URL/);
    expect(buildSnippets({ ...input, baseUrl: "https://wif.example.com" }).warning).toBeNull();
  });
});
