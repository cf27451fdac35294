import { describe, expect, it } from "vitest";
import { parseConfig } from "../config";
import { upstreamUrlProblem } from "./upstream-url";

describe("upstream URLs", () => {
  it.each(["https://api.anthropic.com", "https://gw.internal:8443/prefix", "http://localhost:8080", "http://127.0.0.1:9", "http://[::1]:9", "demo"])("accepts %s", (url) => {
    expect(upstreamUrlProblem(url)).toBeUndefined();
  });

  it.each([
    ["http://api.anthropic.com", /loopback/],
    ["http://10.0.0.1", /loopback/],
    ["http://localhost.evil.com", /loopback/],
    ["ftp://x", /https/],
    ["https://user:pw@api.anthropic.com", /credentials/],
    ["https://api.anthropic.com/?x=1", /query/],
    ["api.anthropic.com", /absolute URL/],
  ])("refuses %s", (url, message) => {
    expect(upstreamUrlProblem(url)).toMatch(message);
  });

  it("stops the server on a bad WIF_UPSTREAM_URL, naming it; demo mode defaults to the demo upstream", () => {
    expect(() => parseConfig({ WIF_UPSTREAM_URL: "http://example.com" })).toThrow(/WIF_UPSTREAM_URL/);
    expect(parseConfig({ WIF_DEMO: "1" }).gateway.upstreamUrl).toBe("demo");
    expect(parseConfig({ WIF_DEMO: "1", WIF_UPSTREAM_URL: "https://x.test/" }).gateway.upstreamUrl).toBe("https://x.test");
    expect(() => parseConfig({ WIF_SECRET_KEY: "short" })).toThrow(/WIF_SECRET_KEY/);
    expect(parseConfig({ WIF_SECRET_KEY: "a".repeat(64) }).secrets.key?.length).toBe(32);
  });
});
