"use server";
/** Signing out: ends the session in the database and clears the cookie. */
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { assertSameOrigin } from "@/lib/console/auth";
import { deleteSession, SESSION_COOKIE } from "@/lib/console/session";
import { getRuntime } from "@/lib/runtime";

export async function signOutAction(): Promise<void> {
  await assertSameOrigin();
  const store = await cookies();
  const runtime = await getRuntime();
  await deleteSession(runtime.store.db, store.get(SESSION_COOKIE)?.value);
  store.delete({ name: SESSION_COOKIE, path: "/" });
  redirect("/login");
}
