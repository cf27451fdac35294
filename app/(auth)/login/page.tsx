import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { Alert } from "@/components/ui/alert";
import { buttonClasses } from "@/components/ui/button";
import { currentUser } from "@/lib/console/auth";
import { safeReturnPath } from "@/lib/console/request";
import { hasUsers } from "@/lib/console/setup-code";
import { isSsoFailure, SSO_FAILURE_MESSAGES } from "@/lib/console/sso-sign-in";
import { getRuntime } from "@/lib/runtime";
import { listSignInOptions } from "@/lib/services/sso-providers";

export const metadata: Metadata = { title: "Sign in" };

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string | string[]; sso_error?: string | string[] }> }) {
  const query = await searchParams;
  const returnTo = safeReturnPath(first(query.next));
  if (await currentUser()) redirect(returnTo);
  const runtime = await getRuntime();
  if (!(await hasUsers(runtime.store.db))) redirect("/setup");
  const providers = await listSignInOptions(runtime.store.db, runtime.organizationId);
  // Only our own messages, chosen by code: nothing from the query string is echoed.
  const ssoError = first(query.sso_error);
  const nextQuery = returnTo === "/" ? "" : `?next=${encodeURIComponent(returnTo)}`;
  return (
    <>
      <h1 className="text-xl font-semibold tracking-tight text-zinc-900">Sign in</h1>
      <p className="mt-1 text-sm text-zinc-600">{providers.length > 0 ? "Use your organization's identity provider, or the account an owner created for you." : "Use the account an owner created for you."}</p>
      {isSsoFailure(ssoError) && (
        <Alert tone="error" className="mt-4">
          <span role="alert">{SSO_FAILURE_MESSAGES[ssoError]}</span>
        </Alert>
      )}
      {providers.length > 0 && (
        <div className="mt-6 space-y-2">
          {providers.map((p) => (
            // A plain link, not next/link: prefetching would start a sign-in.
            <a key={p.id} href={`/auth/sso/${encodeURIComponent(p.id)}${nextQuery}`} className={buttonClasses("secondary", "md", "w-full")}>
              Sign in with {p.name}
            </a>
          ))}
          <p className="flex items-center gap-3 pt-3 text-xs text-zinc-500 before:h-px before:flex-1 before:bg-zinc-200 after:h-px after:flex-1 after:bg-zinc-200">or with a password</p>
        </div>
      )}
      <SignInForm next={returnTo} />
    </>
  );
}
