import { buttonClasses } from "../ui/button";

/**
 * Downloads of the exchanges the page shows (its filters, every page of them). Plain links:
 * the route answers with an attachment, so the browser saves it without leaving the page.
 */
export function ExportLinks({ filters }: { filters: Record<string, string> }) {
  const href = (format: "ndjson" | "csv") => `/history/export?${new URLSearchParams({ ...filters, format })}`;
  return (
    <>
      <a href={href("ndjson")} download className={buttonClasses("secondary", "sm")}>
        Export NDJSON
      </a>
      <a href={href("csv")} download className={buttonClasses("secondary", "sm")}>
        Export CSV
      </a>
    </>
  );
}
