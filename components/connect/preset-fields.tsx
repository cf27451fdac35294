"use client";

import type { UseFormReturn } from "react-hook-form";
import { errorText } from "@/components/forms/error-text";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { visibleFields, type FieldDescriptor } from "@/lib/providers";
import type { ConnectFormValues } from "./wizard-model";

/** A preset's questions as labelled inputs (or selects), registered under `answers.<name>`. */
export function PresetFields({
  form,
  fields,
  values,
  columns = 2,
}: {
  form: UseFormReturn<ConnectFormValues>;
  fields: readonly FieldDescriptor[];
  values: Record<string, string>;
  /** Two columns from small screens up, or one (long values such as URLs). */
  columns?: 1 | 2;
}) {
  const errors = form.formState.errors;
  const shown = visibleFields(fields, values);
  if (shown.length === 0) return null;
  return (
    <div className={columns === 2 ? "grid gap-5 sm:grid-cols-2" : "grid gap-5"}>
      {shown.map((f) => {
        const path = `answers.${f.name}` as const;
        return (
          <Field key={f.name} id={`answer-${f.name}`} label={f.label} optional={!f.required} hint={f.help} error={errorText(errors, path)}>
            {(a) =>
              f.options ? (
                <Select {...a} {...form.register(path)} options={f.options} />
              ) : (
                <Input {...a} autoComplete="off" spellCheck={false} placeholder={f.placeholder} className={f.mono ? "font-mono" : undefined} {...form.register(path)} />
              )
            }
          </Field>
        );
      })}
    </div>
  );
}
