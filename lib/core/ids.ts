/**
 * Tagged, time-ordered IDs (`svac_01JD…`). The body is a ULID (Crockford base32,
 * upper case): 10 characters of milliseconds then 16 random ones, monotonic within a
 * process, so IDs sort by creation in any collation and cursor pagination can order by ID.
 */
import { randomBytesPooled } from "./random";

export const ID_PREFIXES = {
  workspace: "wrkspc_",
  serviceAccount: "svac_",
  issuer: "fdis_",
  rule: "fdrl_",
  apiKey: "apikey_",
  accessToken: "oat_",
  user: "user_",
  authEvent: "authev_",
  auditEvent: "audit_",
  request: "req_",
  gatewayRequest: "gwreq_",
  ssoProvider: "ssop_",
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
let lastTime = -1;
let lastTimeText = "";
const lastRandom = new Uint8Array(16);

function encodeTime(ms: number): string {
  let out = "";
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[ms % 32] + out;
    ms = Math.floor(ms / 32);
  }
  return out;
}

function ulid(now = Date.now()): string {
  if (now <= lastTime) {
    // Same (or earlier, if the clock stepped back) millisecond: increment the random part
    // so IDs stay strictly increasing within this process.
    for (let i = lastRandom.length - 1; i >= 0; i--) {
      if (lastRandom[i]! < 31) {
        lastRandom[i]!++;
        break;
      }
      lastRandom[i] = 0;
    }
  } else {
    lastTime = now;
    lastTimeText = encodeTime(now);
    const bytes = randomBytesPooled(16);
    for (let i = 0; i < 16; i++) lastRandom[i] = bytes[i]! % 32;
  }
  let out = lastTimeText;
  for (let i = 0; i < 16; i++) out += ALPHABET[lastRandom[i]!];
  return out;
}

/** A new tagged ID of the given kind. */
export function newId(kind: IdKind): string {
  return ID_PREFIXES[kind] + ulid();
}

/** Whether `value` looks like a tagged ID of `kind` (shape only; existence is the store's question). */
export function isId(kind: IdKind, value: string): boolean {
  return value.startsWith(ID_PREFIXES[kind]) && /^[0-9A-Za-z]{1,64}$/.test(value.slice(ID_PREFIXES[kind].length));
}
