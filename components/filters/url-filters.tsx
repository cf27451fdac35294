/**
 * Filters that live in a page's address (History, Requests): read on the server and checked
 * by the schema the Admin API applies to the same query, then shown in a form that writes
 * them back to the address (filter-form.tsx). Bookmarking the page keeps the view.
 */
import type { ReactNode } from "react";
import type { z } from "zod";
import { fieldErrors } from "@/lib/schemas/common";
import { SectionCard } from "../ui/card";

export type SearchParams = Record<string, string | string[] | undefined>;

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

export interface UrlFilters {
  /** The address's values for the filter keys (first of each), as typed. */
  raw: Record<string, string>;
  /** False when a value does not pass the schema: nothing is listed until it is corrected. */
  valid: boolean;
  /** The checked filters as query values; empty when not valid. */
  filters: Record<string, string>;
  /** The schema's problems by field, for the form to show where a typed one would be. */
  errors: Record<string, string>;
  /** Changes with the address's filters: the form and the list remount with it, so both start from the address. */
  key: string;
}

export function readUrlFilters(params: SearchParams, keys: readonly string[], schema: z.ZodType<Record<string, unknown>>): UrlFilters {
  const raw: Record<string, string> = {};
  for (const key of keys) {
    const v = params[key];
    const value = Array.isArray(v) ? v[0] : v;
    if (value) raw[key] = value;
  }
  const parsed = schema.safeParse(raw);
  const filters = parsed.success ? Object.fromEntries(Object.entries(parsed.data).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]]))) : {};
  return { raw, valid: parsed.success, filters, errors: parsed.success ? {} : fieldErrors(parsed.error), key: new URLSearchParams(raw).toString() };
}

/** The card the filter form sits in. */
export function FiltersCard({ id, children }: { id: string; children: ReactNode }) {
  return (
    <SectionCard id={id} title="Filters" description="Part of the page address: bookmark or share it to share this view." padded>
      {children}
    </SectionCard>
  );
}
