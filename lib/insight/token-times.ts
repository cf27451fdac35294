/** Token times in words: "expires in 3 min", "issued 5 min ago". */
import type { Claims } from "../core/types";
import type { TimeFact } from "./tester";

/** "45 s", "3 min", "2 h", "4 d": coarse on purpose, a person reads it once. */
export function formatDuration(seconds: number): string {
  const s = Math.abs(Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 2 * 86400) return `${Math.floor(s / 3600)} h`;
  return `${Math.floor(s / 86400)} d`;
}

/** A NumericDate: a finite number. */
export const isNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

/** Seconds since the epoch as ISO 8601; null when out of range. */
export function isoOf(seconds: number): string | null {
  const d = new Date(seconds * 1000);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** `iat`, `nbf` and `exp`, each as a date and relative to `now` (seconds). */
export function describeTimes(claims: Claims, now: number): TimeFact[] {
  const phrase = (claim: TimeFact["claim"], delta: number) => {
    if (Math.abs(delta) < 1) return claim === "exp" ? "expires now" : claim === "iat" ? "issued just now" : "valid from now";
    const d = formatDuration(delta);
    const past = delta < 0;
    if (claim === "exp") return past ? `expired ${d} ago` : `expires in ${d}`;
    if (claim === "iat") return past ? `issued ${d} ago` : `issued ${d} in the future`;
    return past ? `valid since ${d} ago` : `not valid for another ${d}`;
  };
  return (["iat", "nbf", "exp"] as const)
    .filter((claim) => claims[claim] !== undefined)
    .map((claim) => {
      const value = claims[claim];
      return isNumber(value) ? { claim, value, iso: isoOf(value), relative: phrase(claim, value - now) } : { claim, value, iso: null, relative: null };
    });
}
