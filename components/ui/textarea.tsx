import type { ComponentProps } from "react";
import { cn, fullWidthUnless } from "./cn";
import { controlClasses } from "./input";

export function Textarea({ className, ...props }: ComponentProps<"textarea">) {
  return <textarea className={cn(controlClasses, "min-h-24 py-2 font-mono text-[13px] leading-5", fullWidthUnless(className), className)} {...props} />;
}
