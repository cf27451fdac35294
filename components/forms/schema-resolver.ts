/**
 * A react-hook-form resolver that validates with the API's own zod schema when the form's
 * shape differs from the API input (claims as rows, a JWK set typed as JSON): the form values
 * are turned into the API input, parsed, and each problem is placed on the form field that
 * produced it. One schema still decides for form, server action and API.
 */
import { set, type FieldErrors, type FieldValues, type Resolver } from "react-hook-form";
import type { z } from "zod";
import { sentence, type FieldMap } from "./action-errors";

export function schemaResolver<TForm extends FieldValues>(
  schema: z.ZodType,
  toInput: (values: TForm) => unknown,
  map: FieldMap,
  /** Problems only the form's own shape can have (a claim row with a value but no name), as [form path, message]. */
  formChecks?: (values: TForm) => Array<[string, string]>,
): Resolver<TForm> {
  return async (values) => {
    const result = schema.safeParse(toInput(values));
    const own = formChecks?.(values) ?? [];
    if (result.success && own.length === 0) return { values, errors: {} };
    const errors: Record<string, unknown> = {};
    const seen = new Set<string>();
    for (const [path, message] of own) {
      seen.add(path);
      set(errors, path, { type: "form", message });
    }
    if (result.success) return { values: {}, errors: errors as FieldErrors<TForm> };
    for (const issue of result.error.issues) {
      const path = issue.path.map(String).join(".");
      const target = map(path) ?? "root.schema";
      if (seen.has(target)) continue;
      seen.add(target);
      const message = sentence(issue.message);
      set(errors, target, { type: issue.code, message: target === "root.schema" && path ? `${path}: ${issue.message}` : message });
    }
    return { values: {}, errors: errors as FieldErrors<TForm> };
  };
}
