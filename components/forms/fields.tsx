"use client";

/**
 * Form controls bound to a react-hook-form form by field name: the label, hint and error
 * come with the control, the error read from the form at `name` (what `showActionError` and
 * the resolvers set), and the control registered under `name`.
 */
import type { ComponentProps, ReactNode } from "react";
import type { FieldValues, Path, RegisterOptions, UseFormReturn } from "react-hook-form";
import { Field } from "../ui/field";
import { Input } from "../ui/input";
import { Select } from "../ui/select";
import { Textarea } from "../ui/textarea";
import { errorText } from "./error-text";

interface Bound<T extends FieldValues> {
  form: UseFormReturn<T>;
  name: Path<T>;
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  optional?: boolean;
  registerOptions?: RegisterOptions<T, Path<T>>;
}

function BoundField<T extends FieldValues>({ form, name, id, label, hint, optional, children }: Bound<T> & { children: Parameters<typeof Field>[0]["children"] }) {
  return (
    <Field id={id} label={label} hint={hint} optional={optional} error={errorText(form.formState.errors, name)}>
      {children}
    </Field>
  );
}

export function InputField<T extends FieldValues>({ form, name, id, label, hint, optional, registerOptions, ...input }: Bound<T> & Omit<ComponentProps<"input">, "id" | "name" | "form">) {
  return (
    <BoundField form={form} name={name} id={id} label={label} hint={hint} optional={optional}>
      {(a) => <Input {...a} {...input} {...form.register(name, registerOptions)} />}
    </BoundField>
  );
}

export function TextareaField<T extends FieldValues>({ form, name, id, label, hint, optional, registerOptions, ...textarea }: Bound<T> & Omit<ComponentProps<"textarea">, "id" | "name" | "form">) {
  return (
    <BoundField form={form} name={name} id={id} label={label} hint={hint} optional={optional}>
      {(a) => <Textarea {...a} {...textarea} {...form.register(name, registerOptions)} />}
    </BoundField>
  );
}

/** `children` may put a first option (none, all) before `options`. */
export function SelectField<T extends FieldValues>({ form, name, id, label, hint, optional, registerOptions, ...select }: Bound<T> & Omit<ComponentProps<typeof Select>, "id" | "name" | "form">) {
  return (
    <BoundField form={form} name={name} id={id} label={label} hint={hint} optional={optional}>
      {(a) => <Select {...a} {...select} {...form.register(name, registerOptions)} />}
    </BoundField>
  );
}
