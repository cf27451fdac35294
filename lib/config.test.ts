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
