/**
 * The SSRF guard on issuer key fetches, one row per attack, with the development setting OFF
 * unless a row says otherwise. Refusals assert the specific refusal code. Network behaviour
 * (redirects, size, timeouts) runs against real local HTTP servers with the development
 * setting ON, which is the only way to reach them — and the guard must still refuse.
 */
import type dns from "node:dns";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkUrl, classifyAddress, FetchRefused, resolvedHostRefusal, safeFetchJson, type SafeFetchOptions } from "./safe-fetch";

/** The refusal code of a fetch, or "ok" with the body. */
async function attempt(url: string, options: Partial<SafeFetchOptions> = {}): Promise<string> {
  try {
    await safeFetchJson(url, { allowInsecureLocal: false, ...options });
    return "ok";
  } catch (err) {
    return err instanceof FetchRefused ? err.code : `threw ${(err as Error).name}: ${(err as Error).message}`;
  }
}

/** A resolver that answers every name with `addresses`, recording the names it was asked. */
function resolvingTo(addresses: Array<{ address: string; family: 4 | 6 }>, asked: string[] = []): typeof dns.lookup {
  return ((hostname: string, options: dns.LookupOptions, callback: (err: NodeJS.ErrnoException | null, result: dns.LookupAddress[] | string, family?: number) => void) => {
    asked.push(hostname);
    if (options.all) callback(null, addresses);
    else callback(null, addresses[0]!.address, addresses[0]!.family);
  }) as unknown as typeof dns.lookup;
}

describe("safeFetchJson refuses, with the development setting off", () => {
  it.each<[label: string, url: string, code: string]>([
    // loopback, in every notation the URL parser accepts
    ["127.0.0.1", "https://127.0.0.1/jwks", "address_not_allowed"],
    ["127.1", "https://127.1/jwks", "address_not_allowed"],
    ["0x7f000001", "https://0x7f000001/jwks", "address_not_allowed"],
    ["2130706433", "https://2130706433/jwks", "address_not_allowed"],
    ["017700000001 (octal)", "https://017700000001/jwks", "address_not_allowed"],
    ["127.255.255.254", "https://127.255.255.254/jwks", "address_not_allowed"],
    ["::1", "https://[::1]/jwks", "address_not_allowed"],
    ["localhost (resolved at connect time)", "https://localhost/jwks", "address_not_allowed"],
    ["fullwidth digits ①②⑦.0.0.1", "https://①②⑦.0.0.1/jwks", "address_not_allowed"],
    // unspecified, link-local, private, CGNAT, multicast, reserved
    ["0.0.0.0", "https://0.0.0.0/jwks", "address_not_allowed"],
    ["0 (this host)", "https://0/jwks", "address_not_allowed"],
    ["cloud metadata 169.254.169.254", "https://169.254.169.254/latest/meta-data/", "address_not_allowed"],
    // Azure's host address (WireServer) and AWS's IPv6 metadata service, in every spelling
    ["Azure host 168.63.129.16", "https://168.63.129.16/machine?comp=goalstate", "address_not_allowed"],
    ["Azure host as one decimal number", "https://2822734096/jwks", "address_not_allowed"],
    ["Azure host in hex", "https://0xa83f8110/jwks", "address_not_allowed"],
    ["Azure host, octal octets", "https://0250.077.0201.020/jwks", "address_not_allowed"],
    ["Azure host, IPv4-mapped", "https://[::ffff:168.63.129.16]/jwks", "address_not_allowed"],
    ["Azure host, IPv4-mapped hex", "https://[::ffff:a83f:8110]/jwks", "address_not_allowed"],
    ["Azure host, NAT64", "https://[64:ff9b::a83f:8110]/jwks", "address_not_allowed"],
    ["Azure host, 6to4", "https://[2002:a83f:8110::]/jwks", "address_not_allowed"],
    ["AWS IPv6 metadata fd00:ec2::254", "https://[fd00:ec2::254]/latest/meta-data/", "address_not_allowed"],
    ["AWS IPv6 metadata, written out", "https://[fd00:0ec2:0000:0000:0000:0000:0000:0254]/latest/meta-data/", "address_not_allowed"],
    ["AWS IPv6 metadata, upper case", "https://[FD00:EC2::254]/latest/meta-data/", "address_not_allowed"],
    ["AWS IPv6 DNS fd00:ec2::253", "https://[fd00:ec2::253]/jwks", "address_not_allowed"],
    ["10.0.0.1", "https://10.0.0.1/jwks", "address_not_allowed"],
    ["172.16.0.1", "https://172.16.0.1/jwks", "address_not_allowed"],
    ["172.31.255.255", "https://172.31.255.255/jwks", "address_not_allowed"],
    ["192.168.1.1", "https://192.168.1.1/jwks", "address_not_allowed"],
    ["CGNAT 100.64.0.1", "https://100.64.0.1/jwks", "address_not_allowed"],
    ["multicast 224.0.0.1", "https://224.0.0.1/jwks", "address_not_allowed"],
    ["broadcast 255.255.255.255", "https://255.255.255.255/jwks", "address_not_allowed"],
    // IPv6 forms of the same
    ["::ffff:127.0.0.1 (IPv4-mapped)", "https://[::ffff:127.0.0.1]/jwks", "address_not_allowed"],
    ["::ffff:7f00:1 (IPv4-mapped, hex)", "https://[::ffff:7f00:1]/jwks", "address_not_allowed"],
    ["::ffff:a9fe:a9fe (mapped metadata)", "https://[::ffff:a9fe:a9fe]/jwks", "address_not_allowed"],
    ["::127.0.0.1 (IPv4-compatible)", "https://[::127.0.0.1]/jwks", "address_not_allowed"],
    ["::ffff:0:7f00:1 (IPv4-translated)", "https://[::ffff:0:7f00:1]/jwks", "address_not_allowed"],
    ["NAT64 64:ff9b::7f00:1", "https://[64:ff9b::7f00:1]/jwks", "address_not_allowed"],
    ["NAT64 64:ff9b::a9fe:a9fe (metadata)", "https://[64:ff9b::a9fe:a9fe]/jwks", "address_not_allowed"],
    ["local-use NAT64 64:ff9b:1::a9fe:a9fe", "https://[64:ff9b:1::a9fe:a9fe]/jwks", "address_not_allowed"],
    ["6to4 2002:7f00:1::", "https://[2002:7f00:1::]/jwks", "address_not_allowed"],
    ["Teredo 2001:0:4136:e378:8000:63bf:80ff:fffe (hides 127.0.0.1)", "https://[2001:0:4136:e378:8000:63bf:80ff:fffe]/jwks", "address_not_allowed"],
    ["ULA fc00::1", "https://[fc00::1]/jwks", "address_not_allowed"],
    ["ULA fd12:3456::1", "https://[fd12:3456::1]/jwks", "address_not_allowed"],
    ["link-local fe80::1", "https://[fe80::1]/jwks", "address_not_allowed"],
    ["site-local fec0::1", "https://[fec0::1]/jwks", "address_not_allowed"],
    ["multicast ff02::1", "https://[ff02::1]/jwks", "address_not_allowed"],
    ["unspecified ::", "https://[::]/jwks", "address_not_allowed"],
    // scheme, userinfo, fragment, port
    ["plain http", "http://idp.example.com/jwks", "scheme_not_allowed"],
    ["plain http to loopback", "http://127.0.0.1/jwks", "scheme_not_allowed"],
    ["file:", "file:///etc/passwd", "scheme_not_allowed"],
    ["ftp:", "ftp://idp.example.com/jwks", "scheme_not_allowed"],
    ["gopher:", "gopher://idp.example.com:70/_GET", "scheme_not_allowed"],
    ["data:", 'data:application/json,{"keys":[]}', "scheme_not_allowed"],
    ["credentials", "https://user:secret@idp.example.com/jwks", "invalid_url"],
    ["a user name only", "https://user@idp.example.com/jwks", "invalid_url"],
    ["a fragment", "https://idp.example.com/jwks#x", "invalid_url"],
    ["an empty fragment", "https://idp.example.com/jwks#", "invalid_url"],
    ["a non-default port", "https://idp.example.com:8443/jwks", "invalid_url"],
    ["the SSH port", "https://idp.example.com:22/jwks", "invalid_url"],
    ["not a URL", "idp.example.com/jwks", "invalid_url"],
  ])("%s", async (_label, url, code) => {
    expect(await attempt(url)).toBe(code);
  });

  it.each<[label: string, addresses: Array<{ address: string; family: 4 | 6 }>]>([
    ["a private address", [{ address: "10.0.0.5", family: 4 }]],
    ["the metadata address", [{ address: "169.254.169.254", family: 4 }]],
    ["a mapped metadata address", [{ address: "::ffff:169.254.169.254", family: 6 }]],
    ["Azure's host address", [{ address: "168.63.129.16", family: 4 }]],
    ["AWS's IPv6 metadata address", [{ address: "fd00:ec2::254", family: 6 }]],
    ["a public address and a private one (rebinding)", [{ address: "93.184.216.34", family: 4 }, { address: "127.0.0.1", family: 4 }]],
    ["a loopback IPv6 address", [{ address: "::1", family: 6 }]],
    ["nothing at all", []],
  ])("a public-looking name that resolves, at connect time, to %s", async (_label, addresses) => {
    const asked: string[] = [];
    expect(await attempt("https://keys.idp.example.com/jwks", { lookup: resolvingTo(addresses, asked) })).toBe("address_not_allowed");
    // The check ran inside the connection's own lookup: there is no earlier, separate resolution to rebind.
    expect(asked).toEqual(["keys.idp.example.com"]);
  });

  it("still refuses link-local and metadata addresses with the development setting on", async () => {
    expect(await attempt("http://169.254.169.254/latest/meta-data/", { allowInsecureLocal: true })).toBe("address_not_allowed");
    expect(await attempt("http://[fe80::1]/jwks", { allowInsecureLocal: true })).toBe("address_not_allowed");
    expect(await attempt("http://keys.local/jwks", { allowInsecureLocal: true, lookup: resolvingTo([{ address: "169.254.169.254", family: 4 }]) })).toBe("address_not_allowed");
    expect(await attempt("http://100.100.100.200/latest/meta-data/", { allowInsecureLocal: true })).toBe("address_not_allowed");
    // fd00:ec2::254 lies inside fc00::/7, which the setting opens; the metadata service stays shut.
    expect(await attempt("http://[fd00:ec2::254]/latest/meta-data/", { allowInsecureLocal: true })).toBe("address_not_allowed");
    expect(await attempt("http://168.63.129.16/machine", { allowInsecureLocal: true })).toBe("address_not_allowed");
  });
});

describe("resolvedHostRefusal: issuer URLs refused when entered, by what their names resolve to", () => {
  /** A promise resolver answering every name with `addresses` (or failing like an unknown name). */
  const resolver = (addresses: Array<{ address: string; family: 4 | 6 }> | "ENOTFOUND") =>
    (async () => {
      if (addresses === "ENOTFOUND") throw Object.assign(new Error("getaddrinfo ENOTFOUND"), { code: "ENOTFOUND" });
      return addresses;
    }) as unknown as typeof dns.promises.lookup;

  it.each<[label: string, url: string, addresses: Array<{ address: string; family: 4 | 6 }>, refusal: RegExp]>([
    ["a name resolving to the cloud metadata address", "https://metadata.attacker.example", [{ address: "169.254.169.254", family: 4 }], /resolves to 169\.254\.169\.254, a link-local, cloud metadata/],
    ["a name resolving to loopback", "https://loop.attacker.example", [{ address: "127.0.0.1", family: 4 }], /resolves to 127\.0\.0\.1, a loopback or private address.*WIF_ALLOW_INSECURE_ISSUERS/],
    ["a name resolving to a private network", "https://intranet.attacker.example", [{ address: "10.1.2.3", family: 4 }], /resolves to 10\.1\.2\.3, a loopback or private/],
    ["a name with one public and one private address", "https://mixed.attacker.example", [{ address: "93.184.215.14", family: 4 }, { address: "192.168.0.5", family: 4 }], /resolves to 192\.168\.0\.5/],
    ["a name resolving to an IPv6 unique-local address", "https://v6.attacker.example", [{ address: "fd00::1", family: 6 }], /resolves to fd00::1/],
    ["a name resolving to AWS's IPv6 metadata address", "https://v6meta.attacker.example", [{ address: "fd00:ec2::254", family: 6 }], /link-local, cloud metadata/],
    ["localhost with the root's trailing dot", "https://localhost./", [{ address: "93.184.215.14", family: 4 }], /localhost is a loopback or private address/],
  ])("refuses %s", async (_label, url, addresses, refusal) => {
    expect(await resolvedHostRefusal(url, false, resolver(addresses))).toMatch(refusal);
  });

  it("accepts a name resolving to public addresses only, and one that does not resolve yet", async () => {
    expect(await resolvedHostRefusal("https://token.example.com", false, resolver([{ address: "93.184.215.14", family: 4 }]))).toBeUndefined();
    expect(await resolvedHostRefusal("https://not-yet.example.com", false, resolver("ENOTFOUND"))).toBeUndefined();
  });

  it("with the development setting, lets private addresses through but still refuses metadata", async () => {
    expect(await resolvedHostRefusal("https://intranet.example", true, resolver([{ address: "10.1.2.3", family: 4 }]))).toBeUndefined();
    expect(await resolvedHostRefusal("https://meta.example", true, resolver([{ address: "169.254.169.254", family: 4 }]))).toMatch(/cloud metadata/);
  });
});

describe("classifyAddress", () => {
  it.each<[string, string]>([
    ["8.8.8.8", "public"],
    ["172.15.255.255", "public"],
    ["172.32.0.0", "public"],
    ["100.63.255.255", "public"],
    ["100.128.0.0", "public"],
    ["169.253.255.255", "public"],
    ["2606:4700:4700::1111", "public"],
    ["::ffff:8.8.8.8", "public"],
    ["127.0.0.1", "local"],
    ["10.255.255.255", "local"],
    ["192.168.255.255", "local"],
    ["::1", "local"],
    ["fd00::1", "local"],
    ["169.254.0.1", "blocked"],
    ["168.63.129.16", "blocked"],
    ["168.63.129.15", "public"],
    ["168.63.129.17", "public"],
    ["::ffff:168.63.129.16", "blocked"],
    ["fd00:ec2::254", "blocked"],
    ["fd00:ec2:0:0:0:0:0:254", "blocked"],
    ["fd00:ec3::254", "local"],
    ["100.64.0.0", "blocked"],
    ["0.1.2.3", "blocked"],
    ["not-an-ip", "blocked"],
  ])("%s is %s", (address, expected) => {
    expect(classifyAddress(address)).toBe(expected);
  });
});

describe("checkUrl", () => {
  it("accepts a public https URL, the explicit default port, and leaves it unchanged", () => {
    expect(checkUrl("https://token.actions.githubusercontent.com/.well-known/jwks", false).href).toBe("https://token.actions.githubusercontent.com/.well-known/jwks");
    expect(checkUrl("https://idp.example.com:443/jwks", false).host).toBe("idp.example.com");
  });

  it("with the development setting on, accepts plain http and any port on loopback", () => {
    expect(checkUrl("http://127.0.0.1:3000/demo-issuer/jwks", true).port).toBe("3000");
  });
});

/** Local servers, reachable only with the development setting on. */
describe("safeFetchJson against local servers (development setting on)", () => {
  const hits: Record<string, number> = {};
  const sockets = new Set<import("node:net").Socket>();
  let server: http.Server;
  let base = "";

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const path = req.url ?? "/";
      hits[path] = (hits[path] ?? 0) + 1;
      switch (path) {
        case "/jwks":
          res.setHeader("content-type", "application/json");
          return res.end(JSON.stringify({ keys: [{ kid: "k1" }] }));
        case "/redirect":
          res.writeHead(302, { location: "/jwks" });
          return res.end();
        case "/redirect-away":
          res.writeHead(301, { location: "http://169.254.169.254/latest/meta-data/" });
          return res.end();
        case "/permanent":
          res.writeHead(308, { location: "/jwks" });
          return res.end();
        case "/declared-large":
          res.writeHead(200, { "content-type": "application/json", "content-length": String(200 * 1024) });
          return res.end(); // the declaration alone must be refused
        case "/streamed-large": {
          res.writeHead(200, { "content-type": "application/json" }); // chunked, no length
          const chunk = Buffer.alloc(16 * 1024, 0x20);
          for (let i = 0; i < 7; i++) res.write(chunk); // 112 KiB > 100 KiB
          return res.end("{}");
        }
        case "/exactly-limit":
          res.setHeader("content-type", "application/json");
          return res.end(`"${"x".repeat(1000 - 2)}"`);
        case "/never":
          return; // accepts the request and never answers
        case "/stalls-mid-body":
          res.writeHead(200, { "content-type": "application/json" });
          return res.write('{"keys": [');
        case "/drip": {
          res.writeHead(200, { "content-type": "application/json" });
          const drip = setInterval(() => res.write(" "), 5);
          res.on("close", () => clearInterval(drip));
          return;
        }
        case "/html":
          res.setHeader("content-type", "text/html");
          return res.end("<html>login</html>");
        case "/error":
          res.writeHead(500);
          return res.end("{}");
        default:
          res.writeHead(404);
          return res.end();
      }
    });
    server.on("connection", (s) => {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  const dev = (extra: Partial<SafeFetchOptions> = {}): Partial<SafeFetchOptions> => ({ allowInsecureLocal: true, ...extra });

  it("fetches JSON from http://127.0.0.1 when the development setting allows it", async () => {
    await expect(safeFetchJson(`${base}/jwks`, { allowInsecureLocal: true })).resolves.toEqual({ keys: [{ kid: "k1" }] });
  });

  it("refuses the same server with the development setting off, without connecting", async () => {
    const before = hits["/jwks"] ?? 0;
    expect(await attempt(`${base}/jwks`)).toBe("scheme_not_allowed");
    expect(await attempt(base.replace("http:", "https:") + "/jwks")).toBe("invalid_url"); // port
    expect(await attempt(`https://localhost/jwks`)).toBe("address_not_allowed");
    expect(hits["/jwks"] ?? 0).toBe(before);
  });

  it.each([
    ["a 302 to the same server", "/redirect"],
    ["a 301 to the metadata address", "/redirect-away"],
    ["a 308", "/permanent"],
  ])("refuses %s and does not follow it", async (_label, path) => {
    const before = hits["/jwks"] ?? 0;
    expect(await attempt(`${base}${path}`, dev())).toBe("redirect_not_allowed");
    expect(hits["/jwks"] ?? 0).toBe(before);
  });

  it("refuses a body declared over the cap, and one streamed over it (default cap ≈100 KiB)", async () => {
    expect(await attempt(`${base}/declared-large`, dev())).toBe("too_large");
    expect(await attempt(`${base}/streamed-large`, dev())).toBe("too_large");
  });

  it("accepts a body of exactly the cap and refuses one byte more", async () => {
    expect(await attempt(`${base}/exactly-limit`, dev({ maxBytes: 1000 }))).toBe("ok");
    expect(await attempt(`${base}/exactly-limit`, dev({ maxBytes: 999 }))).toBe("too_large");
  });

  it.each([
    ["never answers", "/never"],
    ["stalls in the middle of the body", "/stalls-mid-body"],
    ["drips a byte at a time without end", "/drip"],
  ])("gives up on a server that %s, at the timeout", async (_label, path) => {
    expect(await attempt(`${base}${path}`, dev({ timeoutMs: 100 }))).toBe("timeout");
  });

  it.each([
    ["an HTML page", "/html", "not_json"],
    ["an HTTP 500", "/error", "http_status"],
    ["a 404", "/missing", "http_status"],
  ])("refuses %s", async (_label, path, code) => {
    expect(await attempt(`${base}${path}`, dev())).toBe(code);
  });

  it("reports a closed port as a network failure", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    expect(await attempt(`http://127.0.0.1:${port}/jwks`, dev())).toBe("network");
  });
});
