import type { ReactNode } from "react";
import { CopyButton } from "./copy-button";

/** Label/value rows for detail pages; stacks on phones. */
export function DescriptionList({ items }: { items: Array<{ label: ReactNode; value: ReactNode; key?: string }> }) {
  return (
    <dl className="divide-y divide-zinc-200">
      {items.map((item, i) => (
        <div key={item.key ?? i} className="grid gap-1 px-4 py-3 sm:grid-cols-[12rem_1fr] sm:gap-4 sm:px-5">
          <dt className="text-sm text-zinc-600">{item.label}</dt>
          <dd className="min-w-0 text-sm break-words text-zinc-900">{item.value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A monospace value such as an ID or URL. */
export function Code({ children }: { children: ReactNode }) {
  return <code className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-[12.5px] break-all text-zinc-800">{children}</code>;
}

/** A monospace value with a button that copies it (an ID, a request ID). */
export function CopyableCode({ value, label, context }: { value: string; label?: string; context?: string }) {
  return (
    <span className="flex flex-wrap items-center gap-2">
      <Code>{value}</Code>
      <CopyButton value={value} label={label} context={context} />
    </span>
  );
}
