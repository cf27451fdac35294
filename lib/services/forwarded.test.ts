import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../config";
import { fromNodeHeaders, isTrustedProxy, PEER_ADDRESS_HEADER, rateLimitKey, resolveClient, stampPeerAddress, type RequestClient } from "./forwarded";

const trusted = parseConfig({ WIF_TRUSTED_PROXIES: "10.0.0.0/8, fd00::/8" }).trustedProxies;
const none = parseConfig({}).trustedProxies;

type Case = [name: string, peer: string | undefined, headers: Record<string, string>, expected: Partial<RequestClient>, ranges?: typeof trusted];

describe("resolveClient: whose forwarded headers are believed", () => {
  const cases: Case[] = [
    ["a direct client is its TCP peer", "198.51.100.7", { host: "wif.example.com" }, { ip: "198.51.100.7", https: false, host: "wif.example.com", viaTrustedProxy: false }],
    [
      "a direct client's forwarded headers are ignored",
      "198.51.100.7",
      { host: "wif.example.com", "x-forwarded-for": "203.0.113.1", "x-forwarded-proto": "https", "x-forwarded-host": "evil.example" },
      { ip: "198.51.100.7", https: false, host: "wif.example.com", viaTrustedProxy: false },
    ],
    ["with no trusted proxies configured, even a private peer is the client", "10.0.0.7", { "x-forwarded-for": "203.0.113.1" }, { ip: "10.0.0.7", viaTrustedProxy: false }, none],
    [
      "behind a trusted proxy, the forwarded client, scheme and host",
      "10.0.0.7",
      { host: "10.0.0.5:3000", "x-forwarded-for": "203.0.113.1", "x-forwarded-proto": "https", "x-forwarded-host": "wif.example.com" },
      { ip: "203.0.113.1", https: true, host: "wif.example.com", viaTrustedProxy: true },
    ],
    ["a client-chosen prefix of X-Forwarded-For is skipped", "10.0.0.7", { "x-forwarded-for": "192.0.2.66, 203.0.113.1" }, { ip: "203.0.113.1" }],
    ["a chain of trusted proxies is walked to the first untrusted hop", "10.0.0.7", { "x-forwarded-for": "192.0.2.66, 203.0.113.1, 10.1.2.3, 10.9.9.9" }, { ip: "203.0.113.1" }],
    ["only trusted proxies: the left-most of them", "10.0.0.7", { "x-forwarded-for": "10.1.2.3" }, { ip: "10.1.2.3" }],
    ["a trusted proxy without X-Forwarded-For is the client itself", "10.0.0.7", {}, { ip: "10.0.0.7", https: false }],
    ["garbage stops the walk at the last vouched-for address", "10.0.0.7", { "x-forwarded-for": "203.0.113.1, not-an-ip" }, { ip: "10.0.0.7" }],
    ["ports and brackets are dropped", "10.0.0.7", { "x-forwarded-for": "[2001:db8::1]:443, 203.0.113.1:5555" }, { ip: "203.0.113.1" }],
    ["an IPv6 trusted proxy and client", "fd00::1", { "x-forwarded-for": "2001:DB8::9" }, { ip: "2001:db8::9" }],
    ["IPv4-mapped IPv6 peers (a dual-stack listener) match IPv4 ranges", "::ffff:10.0.0.7", { "x-forwarded-for": "203.0.113.1" }, { ip: "203.0.113.1" }],
    ["an IPv4-mapped direct client is recorded as IPv4", "::ffff:198.51.100.7", {}, { ip: "198.51.100.7" }],
    ["the last X-Forwarded-Proto and -Host (set by the nearest proxy) win", "10.0.0.7", { "x-forwarded-proto": "https, http", "x-forwarded-host": "evil.example, wif.example.com" }, { https: false, host: "wif.example.com" }],
    ["no peer at all: unknown and untrusted", undefined, { "x-forwarded-for": "203.0.113.1", "x-forwarded-proto": "https" }, { ip: "unknown", https: false, viaTrustedProxy: false }],
    ["a peer that is not an address: unknown", "10.0.0.7; drop table", { "x-forwarded-for": "203.0.113.1" }, { ip: "unknown", viaTrustedProxy: false }],
  ];

  it.each(cases)("%s", (_name, peer, headers, expected, ranges = trusted) => {
    expect(resolveClient(peer, (n) => headers[n], ranges)).toMatchObject(expected);
  });
});

describe("trusted ranges", () => {
  it.each([
    ["10.255.0.1", true],
    ["11.0.0.1", false],
    ["::ffff:10.1.1.1", true],
    ["fd12::3", true],
    ["fe80::1", false],
    ["not an address", false],
    [undefined, false],
  ] as const)("%s → %s", (address, expected) => {
    expect(isTrustedProxy(address, trusted)).toBe(expected);
  });
});

describe("stampPeerAddress: what serve.ts hands to Next", () => {
  const request = (remoteAddress: string, headers: Record<string, string>) => ({ socket: { remoteAddress }, headers: { ...headers } }) as unknown as IncomingMessage;

  it("replaces a client-sent peer header with the socket's address and drops an untrusted peer's forwarded headers", () => {
    const req = request("198.51.100.7", { [PEER_ADDRESS_HEADER]: "10.0.0.7", "x-forwarded-for": "203.0.113.1", "x-forwarded-proto": "https", "x-forwarded-host": "evil.example", host: "wif" });
    stampPeerAddress(req, trusted);
    expect(req.headers).toEqual({ [PEER_ADDRESS_HEADER]: "198.51.100.7", host: "wif" });
    expect(resolveClient(req.headers[PEER_ADDRESS_HEADER] as string, fromNodeHeaders(req.headers), trusted).ip).toBe("198.51.100.7");
  });

  it("keeps a trusted proxy's forwarded headers", () => {
    const req = request("10.0.0.7", { "x-forwarded-for": "203.0.113.1", "x-forwarded-proto": "https" });
    stampPeerAddress(req, trusted);
    expect(req.headers).toEqual({ [PEER_ADDRESS_HEADER]: "10.0.0.7", "x-forwarded-for": "203.0.113.1", "x-forwarded-proto": "https" });
  });
});

describe("rateLimitKey", () => {
  it.each([
    ["203.0.113.1", "203.0.113.1"],
    ["2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"],
    ["2001:db8:1:2::9", "2001:db8:1:2::/64"],
    ["2001:db8::1", "2001:db8:0:0::/64"],
    ["::1", "0:0:0:0::/64"],
    ["unknown", "unknown"],
  ])("%s → %s", (ip, key) => {
    expect(rateLimitKey(ip)).toBe(key);
  });
});
