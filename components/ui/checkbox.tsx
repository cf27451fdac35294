import type { ComponentProps, ReactNode } from "react";

/** A checkbox with its label and optional description to the right. */
export function Checkbox({ label, description, id, ...props }: Omit<ComponentProps<"input">, "type"> & { id: string; label: ReactNode; description?: ReactNode }) {
  return (
    <div className="flex items-start gap-2.5">
      <input
        type="checkbox"
        id={id}
        aria-describedby={description ? `${id}-description` : undefined}
        className="mt-0.5 size-4 shrink-0 rounded border-zinc-400 accent-brand-600 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600"
        {...props}
      />
      <div className="text-sm">
        <label htmlFor={id} className="font-medium text-zinc-900">
          {label}
        </label>
        {description && (
          <p id={`${id}-description`} className="text-[13px] text-zinc-600">
            {description}
          </p>
        )}
      </div>
    </div>
  );
}
