"use client";

/** What the sign-in and first-run forms share: one column, the form's error on top, a full-width submit button. */
import type { FormEventHandler, ReactNode } from "react";
import type { FieldValues, UseFormReturn } from "react-hook-form";
import { formErrorText } from "@/components/forms/error-text";
import { FormError } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

export function AuthForm<T extends FieldValues>({ form, onSubmit, submit, submitting, children }: { form: UseFormReturn<T>; onSubmit: FormEventHandler<HTMLFormElement>; submit: string; submitting: string; children: ReactNode }) {
  const { errors, isSubmitting } = form.formState;
  return (
    <form onSubmit={onSubmit} noValidate className="mt-6 space-y-4">
      <FormError message={formErrorText(errors)} />
      {children}
      <Button type="submit" variant="primary" className="w-full" disabled={isSubmitting}>
        {isSubmitting ? submitting : submit}
      </Button>
    </form>
  );
}
