/** A JWK set pasted into a form (the issuer form, the guided setup's issuer step). */

/** What stands for the keys when the text is not JSON: the schema then refuses it as keys. */
const INVALID_JSON = "not valid JSON";

/** `{"keys":[…]}` as a JWKS endpoint serves it, or the bare array; empty text is no keys. */
export function parsePastedKeys(text: string): unknown {
  if (!text.trim()) return [];
  try {
    const parsed = JSON.parse(text) as unknown;
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) && "keys" in parsed ? (parsed as { keys: unknown }).keys : parsed;
  } catch {
    return INVALID_JSON;
  }
}

/** True when the text cannot be read as JSON at all, so the form can say so rather than the schema's key errors. */
export function isInvalidJson(text: string): boolean {
  return parsePastedKeys(text) === INVALID_JSON;
}
