/**
 * Federation issuer input: every 400 path, one row each, with the field named first. Plain
 * http depends on the development setting, which the service checks, so those rows run
 * against a real SQLite store.
 */
import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import type { AdminContext } from "../services/context";
import { createIssuer, updateIssuer } from "../services/issuers";
import { ApiError } from "../core/errors";
import { openTestStore, type TestStore } from "../../e2e/support/test-server";
import { formatZodError } from "./common";
import { issuerCreate, issuerUpdate } from "./issuers";

function messageFor(schema: z.ZodType, input: unknown): string {
  const parsed = schema.safeParse(input);
  return parsed.success ? "ok" : formatZodError(parsed.error);
}

const publicJwk = (kind: "rsa" | "ec", opts: { modulusLength?: number; namedCurve?: string } = {}) => {
  const { publicKey } =
    kind === "rsa"
      ? generateKeyPairSync("rsa", { modulusLength: opts.modulusLength ?? 2048 })
      : generateKeyPairSync("ec", { namedCurve: opts.namedCurve ?? "P-256" });
  return publicKey.export({ format: "jwk" }) as Record<string, unknown>;
};

const rsa = { ...publicJwk("rsa"), kid: "rsa-1" };
const ec = { ...publicJwk("ec"), kid: "ec-1" };
const inline = (keys: unknown) => ({ name: "idp", issuer_url: "https://idp.example.com", jwks: { type: "inline", keys } });

const valid = { name: "github-actions", issuer_url: "https://token.actions.githubusercontent.com" };

type Row = [label: string, input: Record<string, unknown>, message: string];

describe("issuerCreate", () => {
  it("defaults to discovery, check_jti and a one-hour maximum lifetime", () => {
    expect(issuerCreate.parse(valid)).toEqual({ ...valid, jwks: { type: "discovery" }, check_jti: true, max_jwt_lifetime_seconds: 3600 });
  });

  it("stores the issuer URL byte for byte (no trailing-slash or case normalisation)", () => {
    const url = "https://Idp.Example.com/tenant/";
    expect(issuerCreate.parse({ ...valid, issuer_url: url }).issuer_url).toBe(url);
  });

  const refused: Row[] = [
    // issuer_url
    ["http issuer", { ...valid, issuer_url: "http://idp.example.com" }, "issuer_url: url must use https scheme"],
    ["http on a private address", { ...valid, issuer_url: "http://10.0.0.1" }, "issuer_url: url must use https scheme"],
    ["ftp issuer", { ...valid, issuer_url: "ftp://idp.example.com" }, "issuer_url: url must use https scheme"],
    ["javascript: URL", { ...valid, issuer_url: "javascript:alert(1)" }, "issuer_url: url must use https scheme"],
    ["relative URL", { ...valid, issuer_url: "/issuer" }, "issuer_url: must be an absolute URL"],
    ["not a URL", { ...valid, issuer_url: "token.actions.githubusercontent.com" }, "issuer_url: must be an absolute URL"],
    ["credentials", { ...valid, issuer_url: "https://user:secret@idp.example.com" }, "issuer_url: must not contain a user name or password"],
    ["fragment", { ...valid, issuer_url: "https://idp.example.com/#x" }, "issuer_url: must not contain a fragment"],
    ["empty fragment", { ...valid, issuer_url: "https://idp.example.com/#" }, "issuer_url: must not contain a fragment"],
    ["query", { ...valid, issuer_url: "https://idp.example.com/?tenant=1" }, "issuer_url: must not contain a query string"],
    ["whitespace", { ...valid, issuer_url: "https://idp.example.com/a b" }, "issuer_url: must not contain whitespace"],
    ["trailing newline", { ...valid, issuer_url: "https://idp.example.com\n" }, "issuer_url: must not contain whitespace"],
    ["over 2048 characters", { ...valid, issuer_url: `https://idp.example.com/${"a".repeat(2048)}` }, "issuer_url: must be at most 2048 characters"],
    ["missing", { name: "idp" }, "issuer_url: must be a string"],
    // jwks shapes
    ["unknown jwks type", { ...valid, jwks: { type: "jku" } }, "jwks.type: must be an object with type discovery, explicit_url or inline"],
    ["jwks not an object", { ...valid, jwks: "https://idp.example.com/keys" }, "jwks: must be an object with type"],
    ["explicit_url without url", { ...valid, jwks: { type: "explicit_url" } }, "jwks.url: must be a string"],
    ["explicit_url over http", { ...valid, jwks: { type: "explicit_url", url: "http://idp.example.com/keys" } }, "jwks.url: url must use https scheme"],
    ["explicit_url with credentials", { ...valid, jwks: { type: "explicit_url", url: "https://u:p@idp.example.com/keys" } }, "jwks.url: must not contain a user name"],
    ["discovery_base over http", { ...valid, jwks: { type: "discovery", discovery_base: "http://idp.example.com" } }, "jwks.discovery_base: url must use https scheme"],
    ["CA that is not PEM", { ...valid, jwks: { type: "discovery", ca_cert_pem: "MIIB…" } }, "jwks.ca_cert_pem: must be a PEM certificate"],
    ["unknown discovery field", { ...valid, jwks: { type: "discovery", jwks_uri: "https://evil.example/keys" } }, "jwks.jwks_uri: unknown field"],
    ["unknown explicit_url field", { ...valid, jwks: { type: "explicit_url", url: "https://idp.example.com/keys", follow_redirects: true } }, "jwks.follow_redirects: unknown field"],
    ["unknown inline field", { ...valid, jwks: { type: "inline", keys: [rsa], refresh: true } }, "jwks.refresh: unknown field"],
    // malformed inline JWKS
    ["keys not an array", inline({ keys: [rsa] }), "jwks.keys: must be an array of JWK objects"],
    ["no keys", inline([]), "jwks.keys: must contain at least one key"],
    ["a private RSA key", inline([{ ...rsa, d: "AQAB" }]), 'jwks.keys.0: contains the private member "d"'],
    ["a private EC key", inline([ec, { ...ec, kid: "ec-2", d: "AQAB" }]), 'jwks.keys.1: contains the private member "d"'],
    ["a symmetric key", inline([{ kty: "oct", kid: "h", k: "c2VjcmV0" }]), 'jwks.keys.0: contains the private member "k"'],
    ["a symmetric key without k", inline([{ kty: "oct", kid: "h" }]), "jwks.keys.0: is a symmetric key (kty oct)"],
    ["unknown kty", inline([{ kty: "XYZ", kid: "x" }]), 'jwks.keys.0: has kty "XYZ"; expected RSA or EC'],
    ["an EdDSA key", inline([{ kty: "OKP", crv: "Ed25519", kid: "e", x: "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo" }]), "jwks.keys.0: is an OKP (EdDSA) key"],
    ["an RSA key of 1024 bits", inline([{ ...publicJwk("rsa", { modulusLength: 1024 }), kid: "small" }]), "jwks.keys.0: is an RSA key of 1024 bits; at least 2048 are required"],
    ["a key without kid", inline([{ ...rsa, kid: undefined }]), "jwks.keys.0: has no kid"],
    ["duplicate kid", inline([rsa, { ...ec, kid: "rsa-1" }]), 'jwks.keys.1: kid "rsa-1" is also used by jwks.keys[0]'],
    ["an encryption key", inline([{ ...rsa, use: "enc" }]), 'jwks.keys.0: has use "enc"'],
    ["an HS256 alg on an RSA key", inline([{ ...rsa, alg: "HS256" }]), 'jwks.keys.0: has alg "HS256"'],
    ["a P-256 key for ES384", inline([{ ...ec, alg: "ES384" }]), "jwks.keys.0: is a P-256 key but alg is ES384"],
    // max_jwt_lifetime_seconds
    ["max lifetime 0", { ...valid, max_jwt_lifetime_seconds: 0 }, "max_jwt_lifetime_seconds: must be between 1 and 176400 seconds"],
    ["max lifetime 176401", { ...valid, max_jwt_lifetime_seconds: 176401 }, "max_jwt_lifetime_seconds: must be between 1 and 176400 seconds"],
    ["negative max lifetime", { ...valid, max_jwt_lifetime_seconds: -1 }, "max_jwt_lifetime_seconds: must be between 1 and 176400 seconds"],
    ["fractional max lifetime", { ...valid, max_jwt_lifetime_seconds: 1.5 }, "max_jwt_lifetime_seconds: must be a whole number of seconds"],
    ["max lifetime as a string", { ...valid, max_jwt_lifetime_seconds: "3600" }, "max_jwt_lifetime_seconds: must be a number"],
    // other fields
    ["check_jti as a string", { ...valid, check_jti: "false" }, "check_jti: must be true or false"],
    ["bad slug", { ...valid, name: "GitHub Actions" }, "name: must contain only lowercase letters, digits and hyphens"],
    ["empty name", { ...valid, name: "" }, "name: must not be empty"],
    ["unknown field", { ...valid, audience: "x" }, "audience: unknown field"],
    ["polling flag on create", { ...valid, jwks_polling_disabled: false }, "jwks_polling_disabled: unknown field"],
  ];

  it.each(refused)("refuses %s", (_label, input, message) => {
    expect(messageFor(issuerCreate, input)).toMatch(new RegExp(`^${escape(message)}`));
  });

  const accepted: Array<[string, Record<string, unknown>]> = [
    ["max lifetime 1", { ...valid, max_jwt_lifetime_seconds: 1 }],
    ["max lifetime 176400", { ...valid, max_jwt_lifetime_seconds: 176400 }],
    ["null max lifetime (default)", { ...valid, max_jwt_lifetime_seconds: null }],
    ["inline RSA and EC keys", inline([rsa, ec, { ...publicJwk("ec", { namedCurve: "P-384" }), kid: "ec-384" }, { ...publicJwk("ec", { namedCurve: "P-521" }), kid: "ec-521" }])],
    ["a key with use sig and a matching alg", inline([{ ...rsa, use: "sig", alg: "PS256" }])],
    ["explicit https URL", { ...valid, jwks: { type: "explicit_url", url: "https://idp.example.com/keys" } }],
    ["discovery with a base", { ...valid, jwks: { type: "discovery", discovery_base: "https://idp.example.com/base", ca_cert_pem: null } }],
    ["http on loopback (the service decides)", { ...valid, issuer_url: "http://localhost:3000/demo-issuer" }],
    ["an issuer URL with a port and path", { ...valid, issuer_url: "https://idp.example.com:8443/tenant" }],
  ];

  it.each(accepted)("accepts %s", (_label, input) => {
    expect(messageFor(issuerCreate, input)).toBe("ok");
  });
});

describe("issuerUpdate", () => {
  it.each<Row>([
    ["jwks_polling_disabled true", { jwks_polling_disabled: true }, "jwks_polling_disabled: only false is accepted"],
    ["jwks_polling_disabled as a string", { jwks_polling_disabled: "false" }, "jwks_polling_disabled: must be false"],
    ["http issuer", { issuer_url: "http://idp.example.com" }, "issuer_url: url must use https scheme"],
    ["max lifetime 176401", { max_jwt_lifetime_seconds: 176401 }, "max_jwt_lifetime_seconds: must be between 1 and 176400"],
    ["max lifetime 0", { max_jwt_lifetime_seconds: 0 }, "max_jwt_lifetime_seconds: must be between 1 and 176400"],
    ["a private key", { jwks: { type: "inline", keys: [{ ...rsa, p: "AQAB" }] } }, 'jwks.keys.0: contains the private member "p"'],
    ["bad slug", { name: "a_b" }, "name: must contain only lowercase"],
    ["unknown field", { poll_status: {} }, "poll_status: unknown field"],
  ])("refuses %s", (_label, input, message) => {
    expect(messageFor(issuerUpdate, input)).toMatch(new RegExp(`^${escape(message)}`));
  });

  it("accepts resuming polling and an empty update", () => {
    expect(messageFor(issuerUpdate, { jwks_polling_disabled: false })).toBe("ok");
    expect(messageFor(issuerUpdate, {})).toBe("ok");
  });
});

/** Plain http for loopback issuers is a development setting the service enforces. */
describe.each([false, true])("createIssuer / updateIssuer with the development setting %s (real SQLite store)", (allowInsecureIssuers) => {
  let testStore: TestStore | undefined;
  let ctx: AdminContext;

  beforeAll(async () => {
    testStore = await openTestStore("sqlite", { allowInsecureIssuers });
    ctx = testStore.ctx;
  });
  afterAll(() => testStore?.close());

  const outcome = (p: Promise<unknown>) =>
    p.then(
      () => "ok",
      (err: unknown) => (err instanceof ApiError ? `${err.status} ${err.message}` : `unexpected ${String(err)}`),
    );

  const rows: Array<[label: string, input: Record<string, unknown>, field: string]> = [
    ["an http loopback issuer", { name: "local", issuer_url: "http://localhost:3000/demo-issuer" }, "issuer_url"],
    ["an http 127.0.0.1 JWKS URL", { name: "local-url", issuer_url: "https://idp.example.com", jwks: { type: "explicit_url", url: "http://127.0.0.1:3000/keys" } }, "jwks.url"],
    ["an http discovery base", { name: "local-base", issuer_url: "https://idp2.example.com", jwks: { type: "discovery", discovery_base: "http://[::1]:3000" } }, "jwks.discovery_base"],
  ];

  it.each(rows)(`${allowInsecureIssuers ? "allows" : "refuses"} %s`, async (_label, input, field) => {
    const result = await outcome(createIssuer(ctx, input));
    if (allowInsecureIssuers) expect(result).toBe("ok");
    else expect(result).toMatch(new RegExp(`^400 ${escape(field)}: url must use https scheme`));
  });

  it(`${allowInsecureIssuers ? "allows" : "refuses"} switching an issuer to http on update`, async () => {
    const issuer = await createIssuer(ctx, { name: `switch-${String(allowInsecureIssuers)}`, issuer_url: "https://switch.example.com" });
    const result = await outcome(updateIssuer(ctx, issuer.id, { issuer_url: "http://localhost:4000" }));
    if (allowInsecureIssuers) expect(result).toBe("ok");
    else expect(result).toMatch(/^400 issuer_url: url must use https scheme/);
  });

  // Addresses keys are never fetched from: refused when entered, whatever the setting, with the reason.
  it.each<[label: string, input: Record<string, unknown>, message: string]>([
    ["the cloud metadata address as issuer", { issuer_url: "https://169.254.169.254/" }, "issuer_url: 169.254.169.254 is a link-local, cloud metadata or reserved address"],
    ["the metadata address in decimal", { issuer_url: "https://2852039166/" }, "issuer_url: 169.254.169.254 is a link-local"],
    ["the metadata address IPv4-mapped", { issuer_url: "https://[::ffff:a9fe:a9fe]/" }, "issuer_url: ::ffff:a9fe:a9fe is a link-local"],
    ["AWS's IPv6 metadata address", { issuer_url: "https://[fd00:ec2::254]/" }, "issuer_url: fd00:ec2::254 is a link-local"],
    ["Azure's host address", { issuer_url: "https://168.63.129.16/" }, "issuer_url: 168.63.129.16 is a link-local"],
    ["a link-local JWKS URL", { issuer_url: "https://idp.example.com", jwks: { type: "explicit_url", url: "https://[fe80::1]/keys" } }, "jwks.url: fe80::1 is a link-local"],
    ["a CGNAT discovery base", { issuer_url: "https://idp.example.com", jwks: { type: "discovery", discovery_base: "https://100.100.100.200" } }, "jwks.discovery_base: 100.100.100.200 is a link-local"],
  ])("refuses %s when entered", async (label, input, message) => {
    const created = await outcome(createIssuer(ctx, { name: `meta-${label.length}-${String(allowInsecureIssuers)}`, ...input }));
    expect(created).toMatch(new RegExp(`^400 ${escape(message)}`));
    const issuer = await createIssuer(ctx, { name: `meta-upd-${label.length}-${String(allowInsecureIssuers)}`, issuer_url: `https://upd${label.length}.example.com` });
    expect(await outcome(updateIssuer(ctx, issuer.id, input))).toMatch(new RegExp(`^400 ${escape(message)}`));
  });

  // Loopback and private addresses over https: only with the development setting, and the message says so.
  it.each<[label: string, input: Record<string, unknown>, field: string]>([
    ["https loopback issuer", { issuer_url: "https://127.0.0.1/" }, "issuer_url"],
    ["https localhost issuer", { issuer_url: "https://localhost/" }, "issuer_url"],
    ["https IPv6 loopback issuer", { issuer_url: "https://[::1]/" }, "issuer_url"],
    ["private-address JWKS URL", { issuer_url: "https://idp3.example.com", jwks: { type: "explicit_url", url: "https://10.0.0.5/keys" } }, "jwks.url"],
    ["unique-local discovery base", { issuer_url: "https://idp4.example.com", jwks: { type: "discovery", discovery_base: "https://[fd12:3456::1]" } }, "jwks.discovery_base"],
  ])(`${allowInsecureIssuers ? "allows" : "refuses"} a %s`, async (label, input, field) => {
    const result = await outcome(createIssuer(ctx, { name: `loop-${label.length}-${String(allowInsecureIssuers)}`, ...input }));
    if (allowInsecureIssuers) expect(result).toBe("ok");
    else expect(result).toMatch(new RegExp(`^400 ${escape(field)}: .* is a loopback or private address; it is allowed only with WIF_ALLOW_INSECURE_ISSUERS`));
  });

  it("accepts a public https issuer named by host", async () => {
    expect(await outcome(createIssuer(ctx, { name: `public-${String(allowInsecureIssuers)}`, issuer_url: "https://token.actions.githubusercontent.com" }))).toBe("ok");
  });

  it("refuses a non-loopback http issuer whatever the setting", async () => {
    expect(await outcome(createIssuer(ctx, { name: "remote-http", issuer_url: "http://idp.example.com" }))).toMatch(/^400 issuer_url: url must use https scheme/);
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
