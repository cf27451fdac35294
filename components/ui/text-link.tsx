import Link from "next/link";
import type { ReactNode } from "react";
import { cn } from "./cn";

/** A link inside text or a table: a resource's name leading to its page. */
export function TextLink({ href, className, children }: { href: string; className?: string; children: ReactNode }) {
  return (
    <Link href={href} className={cn("font-medium text-brand-700 hover:underline", className)}>
      {children}
    </Link>
  );
}
