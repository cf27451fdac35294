/**
 * Placing a server action's error in a react-hook-form form: next to the field it names
 * (`match.subject_prefix`) when the form shows that field, otherwise at the top of the form.
 * The form's values are untouched, so nothing typed is lost.
 */
import type { FieldValues, Path, UseFormReturn } from "react-hook-form";
import type { ActionError } from "@/lib/console/action-result";

/** Maps an API field path to the form field that shows its errors. */
export type FieldMap = (apiField: string) => string | undefined;

/**
 * A `FieldMap` from the form's own field names plus aliases; an API path with no match tries
 * its parents (`jwks.keys.0.kty` → `jwks.keys` → `jwks`).
 */
export function fieldMap(fields: readonly string[], aliases: Record<string, string> = {}): FieldMap {
  const known = new Set(fields);
  return (apiField) => {
    const parts = apiField.split(".");
    for (let n = parts.length; n > 0; n--) {
      const candidate = parts.slice(0, n).join(".");
      if (aliases[candidate]) return aliases[candidate];
      if (known.has(candidate)) return candidate;
    }
    return undefined;
  };
}

/** A schema or service message as a sentence beside a field: "must be…" → "Must be…", "url …" → "URL …". */
export function sentence(message: string): string {
  if (/^url\b/.test(message)) return `URL${message.slice(3)}`;
  // The schemas word messages to follow a field name ("email: is required").
  if (message.startsWith("is ")) return `This field ${message}`;
  return message.charAt(0).toUpperCase() + message.slice(1);
}

/** The message without its leading `field: `, as a sentence, for showing beside the field. */
export function fieldMessage(message: string, field: string): string {
  return sentence(message.startsWith(`${field}: `) ? message.slice(field.length + 2) : message);
}

export function showActionError<T extends FieldValues>(form: UseFormReturn<T>, error: ActionError, map: FieldMap): void {
  const target = error.field ? map(error.field) : undefined;
  if (target && error.field) {
    form.setError(target as Path<T>, { type: "server", message: fieldMessage(error.message, error.field) }, { shouldFocus: true });
  } else {
    form.setError("root.server", { type: "server", message: error.message });
  }
}
