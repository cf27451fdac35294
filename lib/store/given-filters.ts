/**
 * The filters a caller gave, as equalities for Kysely's `eb.and({ column: value })`: an
 * absent or empty filter is no condition at all (the history, audit and gateway request lists).
 */
export function givenFilters<T extends Record<string, unknown>>(filters: T): { [K in keyof T]?: Exclude<T[K], undefined | null | ""> } {
  return Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined && v !== null && v !== "")) as { [K in keyof T]?: Exclude<T[K], undefined | null | ""> };
}
