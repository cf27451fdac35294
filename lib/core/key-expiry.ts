/**
 * When an API key stops working, and when the console starts warning about it.
 * @see docs/behaviour.md#api-key-expiry
 */

/** The console warns this long before a key expires. */
export const KEY_EXPIRY_WARNING_MS = 7 * 24 * 60 * 60 * 1000;

/** `expired` from its `expires_at` on; `expiring` in the week before; `none` otherwise (or without an expiry). */
export function keyExpiryStanding(expiresAt: string | null, now: number): "none" | "expiring" | "expired" {
  if (expiresAt === null) return "none";
  const at = Date.parse(expiresAt);
  if (at <= now) return "expired";
  return at - now <= KEY_EXPIRY_WARNING_MS ? "expiring" : "none";
}
