import { get, type FieldErrors, type FieldValues } from "react-hook-form";
import { sentence } from "./action-errors";

/** The message for a field path in react-hook-form's nested errors, if any. */
export function errorText<T extends FieldValues>(errors: FieldErrors<T>, path: string): string | undefined {
  const e = get(errors, path) as { message?: unknown; root?: { message?: unknown } } | undefined;
  const message = e?.message ?? e?.root?.message;
  return typeof message === "string" ? sentence(message) : undefined;
}

/** The form-level message: a server error or a schema problem no field shows. */
export function formErrorText<T extends FieldValues>(errors: FieldErrors<T>): string | undefined {
  return errorText(errors, "root.server") ?? errorText(errors, "root.schema");
}
