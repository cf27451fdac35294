import { CopyButton } from "../ui/copy-button";
import { Table, TBody, TD, TH, THead, TR } from "../ui/table";
import { formatInstant } from "./format";

/** Registered time claims (NumericDate), shown with their instant as well. */
const TIME_CLAIMS = new Set(["iat", "exp", "nbf", "auth_time"]);

function ClaimValue({ name, value }: { name: string; value: unknown }) {
  if (typeof value === "string") return <span className="font-mono text-[12.5px] break-all">{value}</span>;
  if (typeof value === "number" && TIME_CLAIMS.has(name)) {
    return (
      <span>
        <span className="font-mono text-[12.5px]">{value}</span> <span className="text-zinc-600">({formatInstant(new Date(value * 1000).toISOString())})</span>
      </span>
    );
  }
  return <span className="font-mono text-[12.5px] break-all">{JSON.stringify(value)}</span>;
}

/** The claims the history recorded for an exchange: a table, and the JSON to copy. */
export function ClaimsTable({ claims }: { claims: Record<string, unknown> }) {
  const json = JSON.stringify(claims, null, 2);
  return (
    <>
      <Table label="Claims">
        <THead>
          <tr>
            <TH className="w-48">Claim</TH>
            <TH>Value</TH>
          </tr>
        </THead>
        <TBody>
          {Object.entries(claims).map(([name, value]) => (
            <TR key={name} className="align-top">
              <TD className="font-mono text-[12.5px]">{name}</TD>
              <TD>
                <ClaimValue name={name} value={value} />
              </TD>
            </TR>
          ))}
        </TBody>
      </Table>
      <details className="border-t border-zinc-200 px-4 py-3 sm:px-5">
        <summary className="cursor-pointer rounded text-sm font-medium text-brand-700 select-none hover:underline focus-visible:outline-2 focus-visible:outline-brand-600">Show as JSON</summary>
        <div className="mt-3 space-y-2">
          <CopyButton value={json} label="Copy JSON" context="of the claims" />
          <pre className="overflow-x-auto rounded bg-zinc-100 p-3 font-mono text-[12.5px] leading-5 text-zinc-800">{json}</pre>
        </div>
      </details>
    </>
  );
}
