import { describe, expect, it } from "vitest";
import { clientResponseHeaders, gatewayCredential, OAUTH_BETA, upstreamRequestHeaders } from "./headers";

const pairs = (flat: string[]) => Array.from({ length: flat.length / 2 }, (_, i) => [flat[2 * i]!, flat[2 * i + 1]!]);

describe("request headers sent upstream", () => {
  const raw = [
    "Host", "gateway.local",
    "Authorization", "Bearer sk-ant-oat01-client",
    "X-Api-Key", "sk-ant-oat01-client",
    "Cookie", "session=1",
    "Content-Type", "application/json",
    "Content-Length", "12",
    "Anthropic-Version", "2023-06-01",
    "Anthropic-Beta", `files-api-2025-04-14, ${OAUTH_BETA}`,
    "anthropic-beta", "prompt-caching-2024-07-31",
    "Idempotency-Key", "idem-1",
    "X-Stainless-Retry-Count", "0",
    "Connection", "keep-alive, idempotency-key",
    "Keep-Alive", "timeout=5",
    "TE", "trailers",
    "Upgrade", "h2c",
    "Proxy-Authorization", "Basic x",
    "Accept-Encoding", "gzip, br",
    "Forwarded", "for=1.2.3.4",
  ];
  const out = pairs(upstreamRequestHeaders(raw, "sk-ant-api03-upstream"));
  const get = (name: string) => out.filter(([n]) => n === name).map(([, v]) => v);

  it("never forwards the client's credential or cookies, and adds the upstream key", () => {
    expect(get("authorization")).toEqual([]);
    expect(get("cookie")).toEqual([]);
    expect(get("x-api-key")).toEqual(["sk-ant-api03-upstream"]);
    expect(JSON.stringify(out)).not.toContain("sk-ant-oat01-client");
  });

  it("removes only the oauth beta and merges the rest", () => {
    expect(get("anthropic-beta")).toEqual(["files-api-2025-04-14,prompt-caching-2024-07-31"]);
    expect(get("anthropic-version")).toEqual(["2023-06-01"]);
  });

  it("drops hop-by-hop headers, those named by connection, and anything not allowed", () => {
    for (const name of ["host", "connection", "keep-alive", "te", "upgrade", "proxy-authorization", "forwarded", "idempotency-key"]) expect(get(name), name).toEqual([]);
    expect(get("content-type")).toEqual(["application/json"]);
    expect(get("content-length")).toEqual(["12"]);
    expect(get("x-stainless-retry-count")).toEqual(["0"]);
  });

  it("asks for an identity encoding (usage is read from the reply as it passes)", () => {
    expect(get("accept-encoding")).toEqual(["identity"]);
  });

  it("omits anthropic-beta when the oauth beta was the only one", () => {
    expect(pairs(upstreamRequestHeaders(["anthropic-beta", OAUTH_BETA], "k")).find(([n]) => n === "anthropic-beta")).toBeUndefined();
  });
});

describe("response headers sent to the client", () => {
  it("passes status headers through and drops hop-by-hop ones and cookies", () => {
    const out = pairs(
      clientResponseHeaders({
        "content-type": "text/event-stream",
        "request-id": "req_up_1",
        "retry-after": "7",
        "anthropic-ratelimit-requests-remaining": "0",
        connection: "keep-alive, x-internal",
        "x-internal": "1",
        "keep-alive": "timeout=5",
        "transfer-encoding": "chunked",
        "set-cookie": ["a=1", "b=2"],
      }),
    );
    expect(out).toEqual([
      ["content-type", "text/event-stream"],
      ["request-id", "req_up_1"],
      ["retry-after", "7"],
      ["anthropic-ratelimit-requests-remaining", "0"],
    ]);
  });
});

describe("the presented credential", () => {
  it.each([
    [{ authorization: "Bearer tok" }, { credential: "tok" }],
    [{ "x-api-key": "tok" }, { credential: "tok" }],
    [{ authorization: "Bearer tok", "x-api-key": "tok" }, { credential: "tok" }],
    [{ authorization: "Bearer tok", "x-api-key": "other" }, { conflict: true }],
    [{ authorization: "Basic abc", "x-api-key": "tok" }, { conflict: true }],
    [{}, { credential: undefined }],
  ])("%o → %o", (headers, expected) => {
    expect(gatewayCredential(headers)).toEqual(expected);
  });
});
