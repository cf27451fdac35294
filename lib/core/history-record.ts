/**
 * What the authentication history keeps of a presented token, and how it reads it back. The
 * claims come from whoever called the token endpoint — signed or not — so each value is capped
 * on its own (long strings cut with a marker, deep nesting and long arrays/objects shortened)
 * and the paths of what was cut are listed under `_truncated`; the stored document is always
 * whole JSON. Reading never trusts a stored row: one that does not parse to an object is
 * reported as unreadable instead of failing the page or the export that shows it.
 */
import type { Claims } from "./types";

/** The claim under which a recorded document lists the paths of what was cut. Reserved: a token's own claim of that name is dropped. */
const TRUNCATED_CLAIM = "_truncated";

/** Characters kept of one string value (the history's subject column keeps as many). */
export const MAX_CLAIM_STRING = 1024;
/** Characters kept of one object key. */
const MAX_KEY = 256;
/** Levels of objects and arrays kept below the claims object; a deeper one is replaced by a marker. */
const MAX_DEPTH = 8;
/** Members kept of one object or array. */
const MAX_MEMBERS = 100;
/** Characters of strings and keys kept in all, whatever the input's shape. */
const MAX_TOTAL_CHARS = 16 * 1024;
/** Paths listed under `_truncated`; the rest are counted. */
const MAX_PATHS = 50;

/** Registered claims go first, so that a token with very many claims still shows who it was. */
const REGISTERED = ["iss", "sub", "aud", "exp", "nbf", "iat", "jti"];

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

const keyPath = (parent: string, key: string) => (IDENTIFIER.test(key) ? (parent ? `${parent}.${key}` : key) : `${parent}[${JSON.stringify(key)}]`);

/** The first `max` characters of `s`, never ending inside a surrogate pair. */
function head(s: string, max: number): string {
  if (s.length <= max) return s;
  const end = max > 0 && isHighSurrogate(s.charCodeAt(max - 1)) ? max - 1 : max;
  return s.slice(0, end);
}

const isHighSurrogate = (c: number) => c >= 0xd800 && c <= 0xdbff;

class Capper {
  readonly cut: string[] = [];
  private uncounted = 0;
  private budget = MAX_TOTAL_CHARS;

  note(path: string): void {
    if (this.cut.length < MAX_PATHS) this.cut.push(head(path, 2 * MAX_KEY));
    else this.uncounted++;
  }

  /** The `_truncated` list, or undefined when nothing was cut. */
  list(): string[] | undefined {
    if (this.cut.length === 0) return undefined;
    return this.uncounted ? [...this.cut, `…and ${this.uncounted} more`] : this.cut;
  }

  string(s: string, path: string): string {
    const keep = Math.min(MAX_CLAIM_STRING, this.budget);
    if (s.length <= keep) {
      this.budget -= s.length;
      return s;
    }
    const kept = head(s, keep);
    this.budget -= kept.length;
    this.note(path);
    return `${kept}…[cut ${s.length - kept.length} characters]`;
  }

  value(v: unknown, path: string, depth: number): unknown {
    if (typeof v === "string") return this.string(v, path);
    if (typeof v === "number" || typeof v === "boolean" || v === null) return v;
    if (typeof v !== "object") {
      this.note(path);
      return "[cut: not a JSON value]";
    }
    if (depth > MAX_DEPTH) {
      this.note(path);
      return `[cut: nested deeper than ${MAX_DEPTH} levels]`;
    }
    if (Array.isArray(v)) {
      const kept = v.slice(0, MAX_MEMBERS).map((item, i) => this.value(item, `${path}[${i}]`, depth + 1));
      if (v.length > MAX_MEMBERS) this.note(`${path}[${MAX_MEMBERS}:]`);
      return kept;
    }
    return this.object(v as Record<string, unknown>, path, depth + 1, Object.keys(v));
  }

  object(o: Record<string, unknown>, path: string, depth: number, keys: string[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    let members = 0;
    for (const key of keys) {
      if (depth === 1 && key === TRUNCATED_CLAIM) {
        this.note(key);
        continue;
      }
      let name = key;
      if (key.length > MAX_KEY || this.budget < key.length) {
        name = `${head(key, Math.min(MAX_KEY, this.budget))}…`;
        this.note(keyPath(path, name));
      }
      if (members >= MAX_MEMBERS || Object.hasOwn(out, name)) {
        this.note(keyPath(path, name));
        continue;
      }
      this.budget -= Math.min(name.length, this.budget);
      out[name] = this.value(o[key], keyPath(path, name), depth);
      members++;
    }
    return out;
  }
}

/**
 * The claims as the history keeps them: every value within the caps above, and, when anything
 * was cut, `_truncated` listing the paths of what was (`sub`, `groups[100:]`, `a.b.c`,
 * `["odd key"]`). Registered claims are kept first. Claims within the caps — nearly all — are
 * returned as they are, after a walk that allocates nothing (this runs on every exchange).
 */
export function capClaims(claims: Claims): Claims {
  if (!Object.hasOwn(claims, TRUNCATED_CLAIM) && withinCaps(claims, 1, { chars: MAX_TOTAL_CHARS })) return claims;
  const capper = new Capper();
  const keys = Object.keys(claims);
  const ordered = [...REGISTERED.filter((k) => Object.hasOwn(claims, k)), ...keys.filter((k) => !REGISTERED.includes(k))];
  const kept = capper.object(claims, "", 1, ordered);
  const cut = capper.list();
  if (cut) kept[TRUNCATED_CLAIM] = cut;
  return kept;
}

/** Whether the members of `container` (at nesting `depth`) are within every cap, so `Capper` would cut nothing. */
function withinCaps(container: object, depth: number, budget: { chars: number }): boolean {
  let members = 0;
  for (const key in container) {
    if (!Object.hasOwn(container, key)) continue;
    if (++members > MAX_MEMBERS) return false;
    if (!Array.isArray(container)) {
      if (key.length > MAX_KEY) return false;
      budget.chars -= key.length;
    }
    const v = (container as Record<string, unknown>)[key];
    if (typeof v === "string") {
      if (v.length > MAX_CLAIM_STRING) return false;
      budget.chars -= v.length;
    } else if (v !== null && typeof v === "object") {
      if (depth > MAX_DEPTH || !withinCaps(v, depth + 1, budget)) return false;
    } else if (typeof v !== "number" && typeof v !== "boolean" && v !== null) {
      return false;
    }
    if (budget.chars < 0) return false;
  }
  return true;
}

/** NUL, which PostgreSQL's text type refuses, and UTF-16 surrogates without their pair, which have no UTF-8 form. */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Text for a history column shown to people (subject, detail): at most `max` characters, never
 * ending inside a surrogate pair, with what no database can store as text shown as U+FFFD —
 * the same on SQLite and PostgreSQL, instead of an error on one of them.
 */
export function recordableText(s: string, max: number): string {
  return head(s, max).replace(UNSTORABLE, "\uFFFD");
}

/** A stored JSON object (claims, an audit entry's detail) as read back: the object, nothing stored, or a row that cannot be read. */
export type StoredObject = { value: Record<string, unknown> | null; unreadable: boolean };

/** Read a stored JSON object without trusting it (claims written by older versions were sometimes cut mid-string). */
export function readStoredObject(text: string | null): StoredObject {
  if (text === null) return { value: null, unreadable: false };
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === "object" && !Array.isArray(value)) return { value: value as Record<string, unknown>, unreadable: false };
  } catch {
    // Falls through: the row is damaged.
  }
  return { value: null, unreadable: true };
}
