import Link from "next/link";
import { cn } from "../ui/cn";

const TABS = [
  { key: "exchanges", label: "Exchanges", href: "/history" },
  { key: "changes", label: "Configuration changes", href: "/history?tab=changes" },
] as const;

export type HistoryTab = (typeof TABS)[number]["key"];

/** The history's two views, as links (each view has its own URL) marked like tabs. */
export function HistoryTabs({ current }: { current: HistoryTab }) {
  return (
    <nav aria-label="History views" className="mb-4 flex gap-1 overflow-x-auto border-b border-zinc-200">
      {TABS.map((t) => (
        <Link
          key={t.key}
          href={t.href}
          aria-current={t.key === current ? "page" : undefined}
          className={cn(
            "-mb-px border-b-2 px-3 py-2 text-sm font-medium whitespace-nowrap focus-visible:outline-2 focus-visible:outline-brand-600",
            t.key === current ? "border-brand-600 text-brand-700" : "border-transparent text-zinc-600 hover:border-zinc-300 hover:text-zinc-900",
          )}
        >
          {t.label}
        </Link>
      ))}
    </nav>
  );
}
