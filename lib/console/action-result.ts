/**
 * What a console server action returns: data, or an error the form can place next to the
 * field it concerns — the reply lib/core/error-reply.ts decides, in the form's shape.
 */
import "server-only";
import { unstable_rethrow } from "next/navigation";
import { errorReply } from "../core/error-reply";
import { ApiError } from "../core/errors";
import { newId } from "../core/ids";
import { currentRequest, reportInternalError } from "../observability/log";

export interface ActionError {
  status: number;
  message: string;
  /** The input field the message concerns (`match.subject_prefix`), when there is one. */
  field?: string;
}

export type ActionResult<T = null> = { ok: true; data: T } | { ok: false; error: ActionError };

export async function runAction<T>(fn: () => Promise<T>): Promise<ActionResult<T>> {
  try {
    return { ok: true, data: await fn() };
  } catch (err) {
    // redirect() and notFound() work by throwing; let Next see them.
    unstable_rethrow(err);
    const reply = errorReply(err, currentRequest()?.id ?? newId("request"), reportInternalError);
    return { ok: false, error: { status: reply.status, message: reply.message, ...(reply.field ? { field: reply.field } : {}) } };
  }
}

/** A resource ID passed to an action: a short string; existence is the service's question. */
export function parseResourceId(value: unknown, field = "id"): string {
  if (typeof value !== "string" || value.length === 0 || value.length > 128 || !/^[A-Za-z0-9_-]+$/.test(value)) {
    throw new ApiError(400, `${field}: must be a resource ID`, field);
  }
  return value;
}

/** The list query a "Load more" sends: only the cursor and the archived filter pass through. */
export function parseListQuery(value: unknown, extra: readonly string[] = []): Record<string, string> {
  const input = (value && typeof value === "object" ? value : {}) as Record<string, unknown>;
  const out: Record<string, string> = { limit: "20" };
  for (const key of ["after_id", "include_archived", ...extra]) {
    const v = input[key];
    if (typeof v === "string" && v.length <= 128) out[key] = v;
  }
  return out;
}
