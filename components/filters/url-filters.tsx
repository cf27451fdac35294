/**
 * Filters that live in a page's address (History, Requests): read on the server
 * (lib/console/url-filters.ts), then shown in a form that writes them back to the address
 * (filter-form.tsx). Bookmarking the page keeps the view.
 */
import type { ReactNode } from "react";
import { SectionCard } from "../ui/card";

/** A choice of a filter's select. */
export interface Option {
  value: string;
  label: string;
}

/** A select's choices from named resources, sorted by name; archived ones say so (old history still names them). */
export function resourceOptions(rows: ReadonlyArray<{ id: string; name: string; archived_at?: string | null }>): Option[] {
  return rows.map((r) => ({ value: r.id, label: r.archived_at ? `${r.name} (archived)` : r.name })).sort(byLabel);
}

export const byLabel = (a: Option, b: Option) => a.label.localeCompare(b.label);

/** The card the filter form sits in. */
export function FiltersCard({ id, children }: { id: string; children: ReactNode }) {
  return (
    <SectionCard id={id} title="Filters" description="Part of the page address: bookmark or share it to share this view." padded>
      {children}
    </SectionCard>
  );
}
