"use client";

import type { FormEventHandler, ReactNode } from "react";
import { FormError } from "../ui/alert";
import { Button } from "../ui/button";
import { cn } from "../ui/cn";

/**
 * The form under a table that adds a row to it (a workspace to a rule, a membership to a
 * service account): its fields side by side on wider screens, `columns` wide, then the button.
 */
export function AddRowForm({
  onSubmit,
  error,
  columns,
  submitting,
  submitLabel,
  children,
}: {
  onSubmit: FormEventHandler<HTMLFormElement>;
  error: string | undefined;
  columns: string;
  submitting: boolean;
  submitLabel: string;
  children: ReactNode;
}) {
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-3 border-t border-zinc-200 px-4 py-4 sm:px-5">
      <FormError message={error} />
      <div className={cn("grid gap-3 sm:items-start", columns)}>
        {children}
        <Button type="submit" disabled={submitting} className="sm:mt-7">
          {submitting ? "Adding…" : submitLabel}
        </Button>
      </div>
    </form>
  );
}
