import Link from "next/link";
import type { ReactNode } from "react";
import { PageHydrationMark } from "../shell/hydration-mark";

/** The top of every console page: optional back link, the page's h1, a description and actions. */
export function PageHeader({ title, description, actions, back, meta }: { title: ReactNode; description?: ReactNode; actions?: ReactNode; back?: { href: string; label: string }; meta?: ReactNode }) {
  return (
    <div className="mb-6">
      <PageHydrationMark />
      {back && (
        <Link href={back.href} className="mb-2 inline-flex items-center gap-1 rounded text-sm text-zinc-600 hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-brand-600">
          <span aria-hidden="true">←</span> {back.label}
        </Link>
      )}
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <h1 className="text-xl font-semibold tracking-tight break-words text-zinc-900 sm:text-2xl">{title}</h1>
          {meta && <div className="mt-1.5 flex flex-wrap items-center gap-2">{meta}</div>}
          {description && <p className="mt-1 max-w-2xl text-sm text-zinc-600">{description}</p>}
        </div>
        {actions && <div className="flex flex-wrap items-center gap-2">{actions}</div>}
      </div>
    </div>
  );
}
