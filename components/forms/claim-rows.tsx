"use client";

import type { ComponentProps } from "react";
import { useFieldArray, type ArrayPath, type FieldArray, type FieldValues, type Path, type UseFormReturn } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { FieldError } from "@/components/ui/field-error";
import { Input } from "@/components/ui/input";

/**
 * A rule's `claims` match as rows of claim name = value, added and removed in place: one
 * editor for the rule form and the guided setup. `name` is the form's array of
 * `{ key, value }` rows.
 */
export function ClaimRowsEditor<T extends FieldValues>({ form, name, error, errorId }: { form: UseFormReturn<T>; name: ArrayPath<T>; error: string | undefined; errorId: string }) {
  const rows = useFieldArray({ control: form.control, name });
  const field = (i: number, part: "key" | "value") => `${name}.${i}.${part}` as Path<T>;
  return (
    <div className="space-y-2" role="group" aria-labelledby="claims-label" aria-describedby={`claims-hint ${errorId}`}>
      <p id="claims-label" className="text-sm font-medium text-zinc-900">
        Claims <span className="font-normal text-zinc-600">(optional)</span>
      </p>
      <p id="claims-hint" className="text-[13px] text-zinc-600">
        Exact matches on top-level string claims, e.g. repository_owner = acme.
      </p>
      {rows.fields.map((row, i) => (
        // Narrow screens: name and value share the row, Remove goes below (beside them, the name was cut off at 390 px).
        <div key={row.id} className="grid grid-cols-2 items-start gap-2 sm:grid-cols-[1fr_1fr_auto]">
          <CellInput id={`claim-key-${i}`} label={`Claim ${i + 1} name`} placeholder="claim" {...form.register(field(i, "key"))} />
          <CellInput id={`claim-value-${i}`} label={`Claim ${i + 1} value`} placeholder="value" {...form.register(field(i, "value"))} />
          <Button variant="ghost" className="col-span-2 justify-self-end sm:col-span-1" onClick={() => rows.remove(i)} aria-label={`Remove claim ${i + 1}`}>
            Remove
          </Button>
        </div>
      ))}
      <Button size="sm" onClick={() => rows.append({ key: "", value: "" } as FieldArray<T, ArrayPath<T>>)}>
        Add claim
      </Button>
      <FieldError id={errorId} message={error} />
    </div>
  );
}

/** A claim's name or value: the row reads as "name = value", so its label is for screen readers only. */
function CellInput({ id, label, ...input }: { id: string; label: string } & ComponentProps<"input">) {
  return (
    <div>
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
      <Input id={id} spellCheck={false} className="font-mono" {...input} />
    </div>
  );
}
