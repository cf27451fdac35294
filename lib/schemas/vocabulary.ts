/**
 * The names and limits the console's forms show beside the schemas that check them: plain
 * values without zod, so a client component can import them and zod stays on the server.
 * @see docs/architecture.md#page-weight
 */

export const USER_ROLES = ["owner", "admin", "developer", "viewer"] as const;

export const PASSWORD_MIN = 12;

/**
 * Where the sign-in form posts `{ email, password, next }` as JSON: answered by the server
 * before Next (lib/server/password-sign-in.ts), with an `ActionResult`.
 */
export const PASSWORD_SIGN_IN_PATH = "/auth/password";

/** The history's filters, as they appear in its URL and form (lib/schemas/history.ts checks them). */
export const AUTH_EVENT_FILTER_KEYS = ["outcome", "reason", "issuer_id", "federation_rule_id", "service_account_id", "workspace_id", "request_id", "since", "until", "q"] as const;

/** The Requests page's filters as they appear in its URL (all strings; empty means any). */
export const GATEWAY_REQUEST_FILTER_KEYS = ["service_account_id", "api_key_id", "workspace_id", "model", "status", "since", "until"] as const;
