import type { ReactNode } from "react";

/** Signed-out pages: a centred card on a quiet background. */
export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <main className="flex min-h-screen flex-col items-center justify-center px-4 py-10">
      <div className="mb-6 flex items-center gap-2">
        <span aria-hidden="true" className="flex size-8 items-center justify-center rounded-md bg-brand-600 text-xs font-bold text-white">
          WIF
        </span>
        <span className="text-lg font-semibold tracking-tight text-zinc-900">WIF Console</span>
      </div>
      <div className="w-full max-w-sm rounded-lg border border-zinc-200 bg-white p-6 shadow-sm sm:p-8">{children}</div>
      <p className="mt-6 max-w-sm text-center text-xs text-zinc-600">Workload identity federation: trade a workload&apos;s OIDC token for a short-lived access token.</p>
    </main>
  );
}
