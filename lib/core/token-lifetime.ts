/**
 * Lifetime of a minted access token: `max(60, min(rule lifetime, 2 × remaining assertion
 * validity))` seconds — a token never outlives its assertion by much, and never lives under
 * a minute. @see docs/behaviour.md#token-lifetime
 */
export function accessTokenLifetime(ruleLifetimeSeconds: number, assertionExp: number, now: number): number {
  const remaining = Math.max(0, assertionExp - now);
  return Math.floor(Math.max(60, Math.min(ruleLifetimeSeconds, 2 * remaining)));
}
