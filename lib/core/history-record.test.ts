/** The history's caps on claims, and reading stored rows back, at their edges. */
import { describe, expect, it } from "vitest";
import { capClaims, readStoredObject, recordableText } from "./history-record";

describe("capClaims", () => {
  it("keeps claims within every cap as they are, without a marker", () => {
    const claims = { iss: "https://i.test", sub: "s".repeat(1024), groups: Array.from({ length: 100 }, (_, i) => i), deep: { a: { b: { c: 1 } } } };
    expect(capClaims(claims)).toEqual(claims);
  });

  it("keeps eight levels of nesting below the claims object, and marks a ninth", () => {
    const nested = (levels: number): unknown => (levels === 0 ? 1 : { a: nested(levels - 1) });
    expect(capClaims({ deep: nested(8) })).toEqual({ deep: nested(8) });
    expect(capClaims({ deep: nested(9) })._truncated).toEqual([`deep${".a".repeat(8)}`]);
  });

  it("never cuts between the halves of a surrogate pair", () => {
    const sub = `${"x".repeat(1023)}😀tail`;
    expect(capClaims({ sub }).sub).toBe(`${"x".repeat(1023)}…[cut ${sub.length - 1023} characters]`);
  });

  it("bounds the whole document, whatever its shape", () => {
    const claims = Object.fromEntries(Array.from({ length: 90 }, (_, i) => [`c${i}`, "v".repeat(1000)]));
    const kept = capClaims(claims);
    expect(JSON.stringify(kept).length).toBeLessThan(20 * 1024);
    expect(kept._truncated).toContain("c16");
  });
});

describe("recordableText", () => {
  it.each([
    { name: "NUL", text: "a\u0000b", stored: "a\uFFFDb" },
    { name: "lone high surrogate", text: "a\ud800b", stored: "a\uFFFDb" },
    { name: "lone low surrogate", text: "a\udc00b", stored: "a\uFFFDb" },
    { name: "a pair, kept", text: "a😀b", stored: "a😀b" },
  ])("stores $name as text every database takes", ({ text, stored }) => {
    expect(recordableText(text, 100)).toBe(stored);
  });

  it("cuts at the limit, never inside a pair", () => {
    expect(recordableText("ab😀", 3)).toBe("ab");
  });
});

describe("readStoredObject", () => {
  it.each([
    { text: null, read: { value: null, unreadable: false } },
    { text: '{"sub":"x"}', read: { value: { sub: "x" }, unreadable: false } },
    { text: '{"sub":"xx', read: { value: null, unreadable: true } },
    { text: "[1]", read: { value: null, unreadable: true } },
    { text: "null", read: { value: null, unreadable: true } },
    { text: "", read: { value: null, unreadable: true } },
  ])("reads $text", ({ text, read }) => {
    expect(readStoredObject(text)).toEqual(read);
  });
});
