/**
 * The one mapping from a failure to what its caller is told: status, the platform's error
 * type, a message, the field it concerns and whether retrying can help. Every way in shapes
 * this into its own form (the `/v1` envelope, a console `ActionResult`, a CLI line) and adds
 * nothing of its own. A refused exchange tells its caller only "400 malformed" or "401
 * Authentication failed" (the reason is the history's); anything that is not one of our
 * errors is a bug or an outage: logged once here, without the request's content, and
 * answered with a generic 500 carrying the request ID that finds the log line.
 * @see docs/behaviour.md#errors
 */
import { ExchangeDenied, REQUEST_ERROR_REASONS } from "./deny-reasons";
import { ApiError, type ErrorStatus, type ErrorType } from "./errors";
import { MAX_ASSERTION_BYTES } from "./exchange-checks";

export interface ErrorReply {
  status: ErrorStatus;
  type: ErrorType;
  message: string;
  /** For forms: the input field the message concerns (`match.subject_prefix`). */
  field?: string | undefined;
  /** `x-should-retry`: a client error fails the same way again; an internal one may not. */
  retryable: boolean;
}

/**
 * Also by name: the bundler may load lib/core/errors more than once (a server action's
 * module graph and a route's), and an `ApiError` of the other copy is still ours.
 */
const isApiError = (err: unknown): err is ApiError => err instanceof ApiError || (err instanceof Error && err.name === "ApiError" && "status" in err);

/** Every refusal that is not a malformed request: one reply, so the caller learns nothing of why. */
const AUTHENTICATION_FAILED: ErrorReply = Object.freeze({ status: 401, type: "authentication_error", message: "Authentication failed", retryable: false });
const ASSERTION_TOO_LARGE: ErrorReply = Object.freeze({
  status: 400,
  type: "invalid_request_error",
  message: `assertion: must be at most ${MAX_ASSERTION_BYTES / 1024} KiB`,
  field: "assertion",
  retryable: false,
});

/** Told once of an error that is none of ours, with the request it failed. */
export type ReportInternalError = (err: unknown, requestId: string) => void;

/** The reply to `err`. Reports it first when it is none of ours; `requestId` goes in both. */
export function errorReply(err: unknown, requestId: string, report: ReportInternalError): ErrorReply {
  if (isApiError(err)) return { status: err.status, type: err.type, message: err.message, field: err.field, retryable: false };
  if (err instanceof ExchangeDenied) {
    if (!REQUEST_ERROR_REASONS.has(err.reason)) return AUTHENTICATION_FAILED;
    return err.reason === "assertion_too_large" ? ASSERTION_TOO_LARGE : { status: 400, type: "invalid_request_error", message: err.detail, retryable: false };
  }
  report(err, requestId);
  return { status: 500, type: "api_error", message: `Internal server error (request-id ${requestId})`, retryable: true };
}
