/** The one error -> reply mapping every way in shapes: our errors keep their words, refusals say nothing, the rest is a logged 500. */
import { describe, expect, it } from "vitest";
import { ExchangeDenied } from "./deny-reasons";
import { errorReply } from "./error-reply";
import { ApiError, conflict, invalidRequest } from "./errors";

/** Collects what errorReply reports, as the logger would receive it. */
function reporter() {
  const reported: Array<[unknown, string]> = [];
  return Object.assign((err: unknown, requestId: string) => void reported.push([err, requestId]), { reported });
}
const ignore = reporter();

describe("errorReply", () => {
  it("keeps an ApiError's status, type, message and field, and says retrying will not help", () => {
    expect(errorReply(invalidRequest("match.subject_prefix", "must not be *"), "req_1", ignore)).toEqual({
      status: 400,
      type: "invalid_request_error",
      message: "match.subject_prefix: must not be *",
      field: "match.subject_prefix",
      retryable: false,
    });
    expect(errorReply(conflict("name", "taken"), "req_1", ignore)).toMatchObject({ status: 409, type: "conflict_error", retryable: false });
  });

  it("recognises an ApiError of another copy of the module by its name", () => {
    const foreign = Object.assign(new Error("gone"), { name: "ApiError", status: 404, type: "not_found_error" });
    expect(errorReply(foreign, "req_1", ignore)).toMatchObject({ status: 404, type: "not_found_error", message: "gone" });
  });

  it("answers a refused exchange with the same 401 whatever the reason, and a malformed request with 400", () => {
    for (const reason of ["match_subject_prefix", "signature_invalid", "jti_reused"] as const) {
      expect(errorReply(new ExchangeDenied(reason, "secret detail"), "req_1", ignore)).toEqual({ status: 401, type: "authentication_error", message: "Authentication failed", retryable: false });
    }
    expect(errorReply(new ExchangeDenied("invalid_request", "grant_type: is required"), "req_1", ignore)).toMatchObject({ status: 400, message: "grant_type: is required" });
    expect(errorReply(new ExchangeDenied("assertion_too_large", "assertion is 20000 bytes"), "req_1", ignore)).toMatchObject({ status: 400, message: "assertion: must be at most 16 KiB", field: "assertion" });
  });

  it("turns anything else into a generic, retryable 500 naming the request, logged once with the request ID", () => {
    const report = reporter();
    const bug = new TypeError("cannot read properties of undefined");
    const reply = errorReply(bug, "req_42", report);
    expect(reply).toEqual({ status: 500, type: "api_error", message: "Internal server error (request-id req_42)", retryable: true });
    expect(report.reported).toEqual([[bug, "req_42"]]);
    expect(errorReply(new ApiError(403, "no"), "req_43", report).status).toBe(403);
    expect(report.reported).toHaveLength(1);
  });
});
