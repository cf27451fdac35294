/**
 * Errors that cross to a caller, with the platform's error types. One table maps status to
 * type; error-reply.ts turns any failure (these, a refused exchange, anything else) into the
 * one reply every way in shapes into its own form.
 */

export const ERROR_TYPE_BY_STATUS = {
  400: "invalid_request_error",
  401: "authentication_error",
  403: "permission_error",
  404: "not_found_error",
  409: "conflict_error",
  413: "request_too_large",
  429: "rate_limit_error",
  500: "api_error",
} as const;

export type ErrorStatus = keyof typeof ERROR_TYPE_BY_STATUS;
export type ErrorType = (typeof ERROR_TYPE_BY_STATUS)[ErrorStatus];

export class ApiError extends Error {
  readonly type: ErrorType;
  constructor(
    readonly status: ErrorStatus,
    message: string,
    /** For forms: which field the message concerns (`match.subject_prefix`). */
    readonly field?: string,
  ) {
    super(message);
    this.name = "ApiError";
    this.type = ERROR_TYPE_BY_STATUS[status];
  }
}

/** 400 whose message starts with the field name, as the platform's do. */
export const invalidRequest = (field: string | null, message: string) =>
  new ApiError(400, field ? `${field}: ${message}` : message, field ?? undefined);
export const notFound = (what: string, id: string) => new ApiError(404, `${what} ${JSON.stringify(id)} was not found`);
export const conflict = (field: string, message: string) => new ApiError(409, `${field}: ${message}`, field);
export const forbidden = (message: string) => new ApiError(403, message);
export const unauthenticated = (message = "Authentication failed") => new ApiError(401, message);
export const tooLarge = (message: string) => new ApiError(413, message);
export const rateLimited = (message: string) => new ApiError(429, message);

/** The platform's error envelope. */
export function errorEnvelope(type: ErrorType, message: string) {
  return { type: "error" as const, error: { type, message } };
}
