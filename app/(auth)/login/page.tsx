import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { currentUser } from "@/lib/console/auth";
import { safeReturnPath } from "@/lib/console/request";
import { hasUsers } from "@/lib/console/setup-code";
import { getRuntime } from "@/lib/runtime";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  const { next } = await searchParams;
  const returnTo = safeReturnPath(Array.isArray(next) ? next[0] : next);
  if (await currentUser()) redirect(returnTo);
  const runtime = await getRuntime();
  if (!(await hasUsers(runtime.store.db))) redirect("/setup");
  return (
    <>
      <h1 className="text-xl font-semibold tracking-tight text-zinc-900">Sign in</h1>
      <p className="mt-1 text-sm text-zinc-600">Use the account an owner created for you.</p>
      <SignInForm next={returnTo} />
    </>
  );
}
