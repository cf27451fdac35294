/**
 * Lifetime of a minted access token: `max(60, min(rule lifetime, 2 × remaining assertion
 * validity))` seconds — a token never outlives its assertion by much, and never lives under
 * a minute. @see docs/behaviour.md#token-lifetime
 */
export function accessTokenLifetime(ruleLifetimeSeconds: number, assertionExp: number, now: number): number {
  const remaining = Math.max(0, assertionExp - now);
  return Math.floor(Math.max(60, Math.min(ruleLifetimeSeconds, 2 * remaining)));
}

/** The lifetime a token gets, the configured one, and which bound decided it. */
export interface LifetimeExplanation {
  seconds: number;
  configuredSeconds: number;
  /** `configured`: the rule's value; `assertion`: twice the assertion's remaining validity; `minimum`: the 60 s floor. */
  limitedBy: "configured" | "assertion" | "minimum";
  /** Why it differs from the configured value, in a sentence; null when it does not. */
  reason: string | null;
}

/** `accessTokenLifetime`, with the bound that decided it, for the console to show beside the configured value. */
export function explainAccessTokenLifetime(ruleLifetimeSeconds: number, assertionExp: number, now: number): LifetimeExplanation {
  const seconds = accessTokenLifetime(ruleLifetimeSeconds, assertionExp, now);
  const remaining = Math.max(0, Math.floor(assertionExp - now));
  if (seconds >= ruleLifetimeSeconds) return { seconds, configuredSeconds: ruleLifetimeSeconds, limitedBy: "configured", reason: null };
  if (seconds === 60 && 2 * remaining < 60) {
    return { seconds, configuredSeconds: ruleLifetimeSeconds, limitedBy: "minimum", reason: `the identity token expires in ${remaining} s; twice that is under the 60 s every access token gets at least` };
  }
  return {
    seconds,
    configuredSeconds: ruleLifetimeSeconds,
    limitedBy: "assertion",
    reason: `an access token lives at most twice its identity token's remaining validity, and this one expires in ${remaining} s`,
  };
}
