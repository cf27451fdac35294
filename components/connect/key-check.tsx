"use client";

import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { DataTable } from "@/components/ui/data-table";
import type { KeyDescription } from "@/lib/jwks/key-resolver";

/** The outcome of checking an issuer's keys, as the stepper holds it. */
export type KeyCheckState =
  | { status: "idle" }
  | { status: "checking" }
  | { status: "done"; ok: true; jwksUri: string | null; keys: KeyDescription[] }
  | { status: "done"; ok: false; message: string };

const size = (k: KeyDescription) => (k.bits ? `${k.bits} bits` : k.crv ?? "—");

export function KeyCheckResult({ state }: { state: KeyCheckState }) {
  return (
    <div aria-live="polite" className="empty:hidden">
      {state.status === "checking" && <p className="text-sm text-zinc-600">Fetching the issuer&apos;s keys…</p>}
      {state.status === "done" && !state.ok && (
        <Alert tone="error" title="The keys could not be checked">
          {state.message}
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
