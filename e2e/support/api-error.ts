/** For unit tests of operations that refuse by throwing: the refusal, known to be an ApiError. */
import { expect } from "vitest";
import { ApiError } from "../../lib/core/errors";

/** Awaits `p`, expects it to reject with an ApiError (a resolved promise fails the test), and returns that error. */
export async function apiErrorOf(p: Promise<unknown>): Promise<ApiError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
}
