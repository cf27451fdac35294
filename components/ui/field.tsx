import type { ReactNode } from "react";
import { FieldError } from "./field-error";
import { Label } from "./label";

export interface ControlProps {
  id: string;
  "aria-invalid": boolean;
  "aria-describedby": string;
}

/**
 * A labelled form control with its hint and error. The control is rendered by `children`,
 * which receives the id and ARIA attributes that tie label, hint and error to it.
 */
export function Field({
  id,
  label,
  hint,
  error,
  optional,
  children,
}: {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  optional?: boolean;
  children: (control: ControlProps) => ReactNode;
}) {
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  return (
    <div className="space-y-1.5">
      <Label htmlFor={id}>
        {label}
        {optional && <span className="ml-1.5 font-normal text-zinc-600">(optional)</span>}
      </Label>
      {children({ id, "aria-invalid": !!error, "aria-describedby": hint ? `${hintId} ${errorId}` : errorId })}
      {hint && (
        <p id={hintId} className="text-[13px] text-zinc-600">
          {hint}
        </p>
      )}
      <FieldError id={errorId} message={error} />
    </div>
  );
}
