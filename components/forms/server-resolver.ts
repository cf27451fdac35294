/**
 * A react-hook-form resolver that asks the server: the form's values, turned into the input
 * its operation takes, are checked against that operation's own zod schema
 * (`checkFormAction`), and each problem is placed on the form field that produced it. One
 * schema still decides for form, server action and API, and zod — with CEL and the JWK checks
 * the schemas use — never ships to the browser.
 * @see docs/architecture.md#page-weight
 */
import { useState } from "react";
import { set, type FieldErrors, type FieldValues, type Resolver } from "react-hook-form";
import { checkFormAction } from "@/lib/console/actions/forms";
import type { ActionResult } from "@/lib/console/action-result";
import type { FormName } from "@/lib/console/form-checks";
import { sentence } from "./action-errors";

/** How long a correction being typed waits for the next keystroke before it is checked. */
const TYPING_PAUSE_MS = 250;

type Check = Promise<ActionResult<Record<string, string>>>;

/** One mounted form's checks: how many were asked for, and the newest, which those it overtook answer with. */
interface Checks {
  asked: number;
  newest?: Check;
}

/**
 * After a failed submit, react-hook-form checks again on every keystroke, one field at a time
 * (a submit checks every field): such a check waits for a pause in typing, and one the user
 * typed past answers with the newest. (A form of one field waits at submit too: 250 ms.)
 */
function check(checks: Checks, form: FormName, input: unknown, typing: boolean): Check {
  const turn = ++checks.asked;
  const result = (async () => {
    if (typing) {
      await new Promise((resolve) => setTimeout(resolve, TYPING_PAUSE_MS));
      if (checks.asked !== turn) return checks.newest!;
    }
    return checkFormAction(form, input);
  })();
  checks.newest = result;
  return result;
}

/** The problems the server found, and the form's own, as react-hook-form errors at the fields they concern. */
function placeProblems(result: Awaited<Check>, own: Array<[string, string]>, map: (apiField: string) => string | undefined): Record<string, unknown> | undefined {
  const errors: Record<string, unknown> = {};
  const seen = new Set<string>();
  const place = (target: string, type: string, message: string) => {
    if (seen.has(target)) return;
    seen.add(target);
    set(errors, target, { type, message });
  };
  for (const [path, message] of own) place(path, "form", message);
  if (!result.ok) place("root.server", "server", result.error.message);
  else {
    for (const [path, message] of Object.entries(result.data)) {
      const field = path === "_form" ? "" : path;
      const target = map(field) ?? "root.schema";
      place(target, "schema", target === "root.schema" && field ? `${field}: ${message}` : sentence(message));
    }
  }
  return seen.size ? errors : undefined;
}

/**
 * Checks of one mounted form's input, `typing` when react-hook-form checks a single field
 * again (see `check`). react-hook-form takes the resolver of every render, so the pending
 * checks live in state.
 */
export function useFormCheck(form: FormName): (input: unknown, typing: boolean) => Check {
  const [checks] = useState<Checks>({ asked: 0 });
  return (input, typing) => check(checks, form, input, typing);
}

export function useServerResolver<TForm extends FieldValues>(
  form: FormName,
  /** A `FieldMap`, which may also look at the values (one API field shown by either of two controls). */
  map: (apiField: string, values: TForm) => string | undefined,
  options: {
    /** The operation's input for these values, when the form's shape differs (claims as rows, a JWK set typed as JSON). */
    toInput?: (values: TForm) => unknown;
    /** Problems only the form's own shape can have (a claim row with a value but no name), as [form path, message]. */
    formChecks?: (values: TForm) => Array<[string, string]>;
  } = {},
): Resolver<TForm> {
  const checkInput = useFormCheck(form);
  const { toInput = (values: TForm) => values, formChecks } = options;
  return async (values, _context, { names }) => {
    const result = await checkInput(toInput(values), names?.length === 1);
    const errors = placeProblems(result, formChecks?.(values) ?? [], (apiField) => map(apiField, values));
    return errors ? { values: {}, errors: errors as FieldErrors<TForm> } : { values, errors: {} };
  };
}
