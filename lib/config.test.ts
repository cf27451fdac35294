import { describe, expect, it } from "vitest";
import { parseConfig } from "./config";

describe("WIF_TRUSTED_PROXIES", () => {
  it("defaults to no trusted proxy", () => {
    expect(parseConfig({}).trustedProxies).toEqual([]);
    expect(parseConfig({ WIF_TRUSTED_PROXIES: " " }).trustedProxies).toEqual([]);
  });

  it.each([
    ["10.0.0.0/8", [{ address: "10.0.0.0", prefix: 8, family: "ipv4" }]],
    ["10.0.0.0/8, 192.168.1.7", [{ address: "10.0.0.0", prefix: 8, family: "ipv4" }, { address: "192.168.1.7", prefix: 32, family: "ipv4" }]],
    ["fd00::/8,::1", [{ address: "fd00::", prefix: 8, family: "ipv6" }, { address: "::1", prefix: 128, family: "ipv6" }]],
    ["2001:db8::/32", [{ address: "2001:db8::", prefix: 32, family: "ipv6" }]],
    ["0.0.0.0/0", [{ address: "0.0.0.0", prefix: 0, family: "ipv4" }]],
    ["::ffff:10.0.0.0/104", [{ address: "::ffff:10.0.0.0", prefix: 104, family: "ipv6" }]],
  ])("accepts %s", (value, ranges) => {
    expect(parseConfig({ WIF_TRUSTED_PROXIES: value }).trustedProxies).toEqual(ranges);
  });

  it.each([
    ["proxy.internal", '"proxy.internal" is not an IPv4 or IPv6 network; write CIDRs such as 10.0.0.0/8 or fd00::/8, separated by commas'],
    ["10.0.0.0/8/1", '"10.0.0.0/8/1" is not an IPv4 or IPv6 network'],
    ["10.0.0/8", '"10.0.0/8" is not an IPv4 or IPv6 network'],
    ["fe80::1%eth0/64", '"fe80::1%eth0/64" is not an IPv4 or IPv6 network'],
    ["10.0.0.0/", '"10.0.0.0/": the prefix length after "/" must be a number from 0 to 32'],
    ["10.0.0.0/-1", '"10.0.0.0/-1": the prefix length after "/" must be a number from 0 to 32'],
    ["10.0.0.0/33", '"10.0.0.0/33": the prefix length must be at most 32 for an IPv4 network'],
    ["fd00::/129", '"fd00::/129": the prefix length must be at most 128 for an IPv6 network'],
    ["10.0.0.1/8", '"10.0.0.1/8" has bits set after the first 8; write its network address, 10.0.0.0/8'],
    ["2001:db8:0:0:1::/64", '"2001:db8:0:0:1::/64" has bits set after the first 64; write its network address, 2001:db8::/64'],
  ])("refuses %s, naming the variable and the entry", (value, message) => {
    expect(() => parseConfig({ WIF_TRUSTED_PROXIES: `192.168.0.0/16,${value}` })).toThrow(`WIF_TRUSTED_PROXIES: ${message}`);
  });
});

describe("WIF_SSO_PROVIDERS", () => {
  it("is empty by default and parses a JSON array of providers", () => {
    expect(parseConfig({}).ssoProviders).toEqual([]);
    expect(parseConfig({ WIF_SSO_PROVIDERS: '[{"id":"okta","name":"Okta"}]' }).ssoProviders).toEqual([{ id: "okta", name: "Okta" }]);
  });
  it.each(["{", '{"id":"okta"}', "[1]", "[null]", "[[]]"])("refuses %j with a message naming the variable", (value) => {
    expect(() => parseConfig({ WIF_SSO_PROVIDERS: value })).toThrow(/WIF_SSO_PROVIDERS: must be a JSON array of provider objects/);
  });
});

describe("logs, metrics and drain settings", () => {
  it("defaults: info (warn under test), metrics off, a 25 s drain", () => {
    expect(parseConfig({})).toMatchObject({ logging: { level: "info", pretty: false }, metrics: { token: undefined, listen: undefined }, drainTimeoutMs: 25_000 });
    expect(parseConfig({ NODE_ENV: "test" }).logging.level).toBe("warn");
    expect(parseConfig({ NODE_ENV: "development" }).logging).toEqual({ level: "info", pretty: true });
  });

  it("reads them", () => {
    expect(parseConfig({ LOG_LEVEL: "debug", WIF_METRICS_TOKEN: "0123456789abcdef", WIF_METRICS_LISTEN: "[::1]:9464", WIF_DRAIN_TIMEOUT_MS: "5000" })).toMatchObject({
      logging: { level: "debug" },
      metrics: { token: "0123456789abcdef", listen: { host: "::1", port: 9464 } },
      drainTimeoutMs: 5000,
    });
    expect(parseConfig({ WIF_METRICS_LISTEN: "127.0.0.1:0" }).metrics.listen).toEqual({ host: "127.0.0.1", port: 0 });
  });

  it("still reads WIF_GATEWAY_SHUTDOWN_SECONDS when WIF_DRAIN_TIMEOUT_MS is not set", () => {
    expect(parseConfig({ WIF_GATEWAY_SHUTDOWN_SECONDS: "3" }).drainTimeoutMs).toBe(3000);
    expect(parseConfig({ WIF_GATEWAY_SHUTDOWN_SECONDS: "3", WIF_DRAIN_TIMEOUT_MS: "100" }).drainTimeoutMs).toBe(100);
  });

  it.each([
    ["LOG_LEVEL", "verbose", "LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent"],
    ["WIF_METRICS_TOKEN", "short", "WIF_METRICS_TOKEN: must be at least 16 characters"],
    ["WIF_METRICS_LISTEN", "9464", 'WIF_METRICS_LISTEN: "9464" is not HOST:PORT'],
    ["WIF_METRICS_LISTEN", "localhost:99999", 'WIF_METRICS_LISTEN: "localhost:99999" is not HOST:PORT'],
    ["WIF_METRICS_LISTEN", "::1:9464", 'WIF_METRICS_LISTEN: "::1:9464" is not HOST:PORT; write e.g. 127.0.0.1:9464 or [::1]:9464'],
    ["WIF_DRAIN_TIMEOUT_MS", "-1", "WIF_DRAIN_TIMEOUT_MS"],
    ["WIF_DRAIN_TIMEOUT_MS", "soon", "WIF_DRAIN_TIMEOUT_MS"],
  ])("refuses %s=%s, naming it", (name, value, message) => {
    expect(() => parseConfig({ [name]: value })).toThrow(message);
  });
});
