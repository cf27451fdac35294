/** Parse untrusted input with a schema; a failure is a 400 naming the field first. */
import type { z } from "zod";
import { ApiError } from "../core/errors";
import { formatZodError } from "../schemas/common";

export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input ?? {});
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path.map(String).join(".");
    throw new ApiError(400, formatZodError(parsed.error), field || undefined);
  }
  return parsed.data;
}
