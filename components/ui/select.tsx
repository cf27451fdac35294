import type { ComponentProps } from "react";
import { cn, fullWidthUnless } from "./cn";
import { controlClasses } from "./input";

/** A select. `options` are its choices; `children` may put a first one (none, all) before them. */
export function Select({ className, options = [], children, ...props }: ComponentProps<"select"> & { options?: ReadonlyArray<{ value: string; label: string }> }) {
  return (
    <select className={cn(controlClasses, "h-9 pr-8", fullWidthUnless(className), className)} {...props}>
      {children}
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );
}
