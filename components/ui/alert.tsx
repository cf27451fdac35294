import type { ReactNode } from "react";
import { cn } from "./cn";

const tones = {
  error: "border-red-200 bg-red-50 text-red-900",
  warning: "border-amber-200 bg-amber-50 text-amber-900",
  info: "border-sky-200 bg-sky-50 text-sky-900",
  success: "border-emerald-200 bg-emerald-50 text-emerald-900",
} as const;

export function Alert({ tone = "info", title, children, className }: { tone?: keyof typeof tones; title?: ReactNode; children?: ReactNode; className?: string }) {
  return (
    <div className={cn("rounded-md border px-3.5 py-2.5 text-sm", tones[tone], className)}>
      {title && <p className="font-medium">{title}</p>}
      {children && <div className={title ? "mt-0.5" : undefined}>{children}</div>}
    </div>
  );
}

/**
 * The form-level error: a live region that is always present, so a message that appears
 * after submitting is announced.
 */
export function FormError({ message }: { message?: string | undefined }) {
  return (
    <div aria-live="assertive" role="alert" className="empty:hidden">
      {message && <Alert tone="error">{message}</Alert>}
    </div>
  );
}
