import type { ComponentProps } from "react";
import { cn, fullWidthUnless } from "./cn";

export const controlClasses =
  "block rounded-md border border-zinc-300 bg-white px-3 text-sm text-zinc-900 shadow-sm placeholder:text-zinc-500 focus-visible:border-brand-600 focus-visible:outline-2 focus-visible:outline-offset-0 focus-visible:outline-brand-600 disabled:bg-zinc-100 disabled:text-zinc-600 aria-invalid:border-red-600 aria-invalid:focus-visible:outline-red-600";

export function Input({ className, ...props }: ComponentProps<"input">) {
  return <input className={cn(controlClasses, "h-9", fullWidthUnless(className), className)} {...props} />;
}
