import type { Metadata } from "next";
import Link from "next/link";
import { SetupForm } from "@/components/auth/setup-form";
import { buttonClasses } from "@/components/ui/button";
import { hasUsers } from "@/lib/console/setup-code";
import { getRuntime } from "@/lib/runtime";

export const metadata: Metadata = { title: "Set up" };

export default async function SetupPage() {
  const runtime = await getRuntime();
  if (await hasUsers(runtime.store.db)) {
    return (
      <>
        <h1 className="text-xl font-semibold tracking-tight text-zinc-900">Setup is done</h1>
        <p className="mt-2 text-sm text-zinc-600">This installation already has an owner. Sign in with your account; an owner can add more users.</p>
        <Link href="/login" className={buttonClasses("primary", "md", "mt-5 w-full")}>
          Go to sign in
        </Link>
      </>
    );
  }
  return (
    <>
      <h1 className="text-xl font-semibold tracking-tight text-zinc-900">Create the owner account</h1>
      <p className="mt-1 text-sm text-zinc-600">
        Enter the one-time setup code printed in the server&apos;s output (<span className="font-mono text-[13px]">Open …/setup and enter the setup code …</span>).
      </p>
      <SetupForm />
    </>
  );
}
