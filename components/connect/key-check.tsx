"use client";

import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
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
              <Table label="Keys found">
                <THead>
                  <tr>
                    <TH>kid</TH>
                    <TH>Type</TH>
                    <TH>Algorithm</TH>
                    <TH>Size</TH>
                    <TH>Usable</TH>
                  </tr>
                </THead>
                <TBody>
                  {state.keys.map((k, i) => (
                    <TR key={`${k.kid}-${i}`}>
                      <TD className="min-w-44 font-mono text-[12.5px] break-all">{k.kid || "—"}</TD>
                      <TD>{k.kty}</TD>
                      <TD>{k.alg ?? "any"}</TD>
                      <TD className="whitespace-nowrap">{size(k)}</TD>
                      <TD>{k.problem ? <Badge tone="red">{k.problem}</Badge> : <Badge tone="green">yes</Badge>}</TD>
                    </TR>
                  ))}
                </TBody>
              </Table>
            </div>
          )}
        </div>
      )}
    </div>
  );
}
