import type { ComponentProps } from "react";
import { cn, fullWidthUnless } from "./cn";
import { controlClasses } from "./input";

export function Select({ className, ...props }: ComponentProps<"select">) {
  return <select className={cn(controlClasses, "h-9 pr-8", fullWidthUnless(className), className)} {...props} />;
}
