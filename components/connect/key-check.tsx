"use client";

import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { DataTable } from "@/components/ui/data-table";
import type { KeyDescription } from "@/lib/jwks/key-resolver";

/** The outcome of checking an issuer's keys, as the stepper holds it. */
export type KeyCheckState =
  | { status: "idle" }
  | { status: "checking" }
  | { status: "done"; ok: true; jwksUri: string | null; keys: KeyDescription[] }
  /** `accepted`: the user chose to go on without working keys; `stopped`: Continue was refused for it. */
  | { status: "done"; ok: false; message: string; accepted?: boolean; stopped?: boolean };

const size = (k: KeyDescription) => (k.bits ? `${k.bits} bits` : k.crv ?? "—");

export function KeyCheckResult({ state, onRetry, onAccept }: { state: KeyCheckState; onRetry?: () => void; onAccept?: () => void }) {
  return (
    <div aria-live="polite" className="empty:hidden">
      {state.status === "checking" && <p className="text-sm text-zinc-600">Fetching the issuer&apos;s keys…</p>}
      {state.status === "done" && !state.ok && (
        <Alert tone={state.accepted ? "warning" : "error"} title="The keys could not be checked">
          <p>{state.message}</p>
          {state.accepted ? (
            <p className="mt-1">You chose to go on: until the keys can be fetched, every exchange under this issuer is refused (jwks_unavailable).</p>
          ) : (
            <>
              <p className="mt-1">
                {state.stopped ? "The setup stops here: " : ""}until the keys can be fetched, every exchange under this issuer would be refused. Fix the URL and retry, or go on and fix it later on the issuer&apos;s page.
              </p>
              {(onRetry || onAccept) && (
                <div className="mt-2 flex flex-wrap gap-2">
                  {onRetry && (
                    <Button size="sm" variant="primary" onClick={onRetry}>
                      Retry the check
                    </Button>
                  )}
                  {onAccept && (
                    <Button size="sm" onClick={onAccept}>
                      Continue anyway
                    </Button>
                  )}
                </div>
              )}
            </>
          )}
        </Alert>
      )}
      {state.status === "done" && state.ok && (
        <div className="space-y-2">
          <Alert tone={state.keys.some((k) => !k.problem) ? "success" : "warning"} title={`${state.keys.length} key${state.keys.length === 1 ? "" : "s"} found`}>
            {state.jwksUri ? <span className="break-all">From {state.jwksUri}</span> : "From the pasted key set (never fetched)."}
            {state.keys.length > 0 && !state.keys.some((k) => !k.problem) && <p>None of them can verify tokens.</p>}
          </Alert>
          {state.keys.length > 0 && (
            <div className="rounded-md border border-zinc-200">
              <DataTable
                label="Keys found"
                rows={state.keys}
                rowKey={(k, i) => `${k.kid}-${i}`}
                columns={[
                  { header: "kid", className: "min-w-44 font-mono text-[12.5px] break-all", cell: (k) => k.kid || "—" },
                  { header: "Type", cell: (k) => k.kty },
                  { header: "Algorithm", cell: (k) => k.alg ?? "any" },
                  { header: "Size", className: "whitespace-nowrap", cell: size },
                  { header: "Usable", cell: (k) => (k.problem ? <Badge tone="red">{k.problem}</Badge> : <Badge tone="green">yes</Badge>) },
                ]}
              />
            </div>
          )}
        </div>
      )}
    </div>
  );
}
