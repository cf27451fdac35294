/**
 * A console page's filters read from its address (History, Requests) and checked by the schema
 * the Admin API applies to the same query; components/filters/ shows them in a form that
 * writes them back. On the server only: the schemas (zod) stay out of the browser.
 */
import "server-only";
import type { z } from "zod";
import { fieldErrors } from "../schemas/common";

export type SearchParams = Record<string, string | string[] | undefined>;

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

