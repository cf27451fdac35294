/** Loading one resource for a page: a missing (or malformed) ID is the 404 page, not an error. */
import "server-only";
import { notFound } from "next/navigation";
import { ApiError } from "../core/errors";

export async function orNotFound<T>(load: Promise<T>): Promise<T> {
  try {
    return await load;
  } catch (err) {
    if (err instanceof ApiError && (err.status === 404 || err.status === 400)) notFound();
    throw err;
  }
}
