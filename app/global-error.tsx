"use client";

/**
 * The last resort: an error in the root or console layout itself (a page's own errors are
 * caught by app/(console)/error.tsx inside the frame). It replaces the root layout, so it
 * draws its own html, the console's header and a way back; details stay in the server log.
 */
import "./globals.css";
import { Logo } from "@/components/shell/app-shell";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-white">
        <header className="flex h-14 items-center border-b border-zinc-200 px-4">
          <Logo />
        </header>
        <main className="mx-auto max-w-xl px-4 py-10">
          <h1 className="text-xl font-semibold tracking-tight text-zinc-900">The console could not be shown</h1>
          <Alert tone="error" className="mt-4">
            Something failed on the server.{error.digest ? ` Reference: ${error.digest}.` : ""} The details are in the server log.
          </Alert>
          <div className="mt-6 flex flex-wrap gap-3">
            <Button onClick={reset}>Try again</Button>
            {/* A full navigation, not a client transition: the frame that failed is re-rendered from scratch. */}
            <a href="/" className="inline-flex items-center rounded-md border border-zinc-300 px-3 py-2 text-sm font-medium text-zinc-800 hover:bg-zinc-50 focus-visible:outline-2 focus-visible:outline-brand-600">
              Back to the overview
            </a>
          </div>
        </main>
      </body>
    </html>
  );
}
