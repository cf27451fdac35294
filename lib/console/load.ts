/** Loading for pages: one resource (a missing or malformed ID is the 404 page, not an error), or a resource's index. */
import "server-only";
import { notFound } from "next/navigation";
import { ApiError } from "../core/errors";
import type { AdminContext } from "../services/context";
import type { PageResult } from "../store/paginate";
import { canEdit, pageContext } from "./auth";

export async function orNotFound<T>(load: Promise<T>): Promise<T> {
  try {
    return await load;
  } catch (err) {
    if (err instanceof ApiError && (err.status === 404 || err.status === 400)) notFound();
    throw err;
  }
}

/** A resource's index page as loaded: its first page of rows, archived ones only when the address asks (`?archived=1`). */
export interface ResourceIndex<T> {
  includeArchived: boolean;
  /** May create and change (a role that edits). */
  editable: boolean;
  /** The client list's props: the first page, and this render's request ID (a new render refetches). */
  list: { initial: PageResult<T>; includeArchived: boolean; version: string };
}

/** `query` adds to the list's own query (`include_default` for workspaces). */
export async function loadResourceIndex<T>(
  searchParams: Promise<{ archived?: string }>,
  list: (ctx: AdminContext, query: Record<string, string>) => Promise<PageResult<T>>,
  query: Record<string, string> = {},
): Promise<ResourceIndex<T>> {
  const ctx = await pageContext();
  const includeArchived = (await searchParams).archived === "1";
  const initial = await list(ctx, { include_archived: String(includeArchived), limit: "20", ...query });
  return { includeArchived, editable: canEdit(ctx.user), list: { initial, includeArchived, version: ctx.requestId ?? "" } };
}
