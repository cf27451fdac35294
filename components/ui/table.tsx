import type { ComponentProps } from "react";
import { cn } from "./cn";

/** A table that scrolls sideways inside its card rather than widening the page on phones. */
export function Table({ className, label, ...props }: ComponentProps<"table"> & { label: string }) {
  return (
    // The scroll container is focusable so keyboard users can scroll it.
    <div className="overflow-x-auto" tabIndex={0} role="region" aria-label={label}>
      <table className={cn("w-full border-collapse text-left text-sm", className)} {...props} />
    </div>
  );
}

export function THead(props: ComponentProps<"thead">) {
  return <thead className="border-b border-zinc-200 bg-zinc-50 text-xs font-medium tracking-wide text-zinc-600 uppercase" {...props} />;
}

export function TBody(props: ComponentProps<"tbody">) {
  return <tbody className="divide-y divide-zinc-200" {...props} />;
}

export function TR({ className, ...props }: ComponentProps<"tr">) {
  return <tr className={cn("hover:bg-zinc-50/70", className)} {...props} />;
}

export function TH({ className, ...props }: ComponentProps<"th">) {
  return <th scope="col" className={cn("px-4 py-2.5 font-medium whitespace-nowrap first:pl-4 sm:first:pl-5", className)} {...props} />;
}

export function TD({ className, ...props }: ComponentProps<"td">) {
  return <td className={cn("px-4 py-3 align-middle text-zinc-800 first:pl-4 sm:first:pl-5", className)} {...props} />;
}
