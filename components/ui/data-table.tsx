import type { ReactNode } from "react";
import { cn } from "./cn";
import { Table, TBody, TD, TH, THead, TR } from "./table";

/** One column of a `DataTable`: its heading, and what each row shows under it. */
export interface Column<T> {
  header: ReactNode;
  cell: (row: T) => ReactNode;
  /** Shown from this breakpoint up, heading and cells alike; narrower screens leave the column out. */
  from?: "sm" | "md" | "lg";
  /** Classes for the cells. */
  className?: string;
}

const SHOWN_FROM = { sm: "hidden sm:table-cell", md: "hidden md:table-cell", lg: "hidden lg:table-cell" } as const;

/** The heading of a column of row actions: read by screen readers, not shown. */
export const ACTIONS_HEADER = <span className="sr-only">Actions</span>;

/**
 * Rows under column headings, for lists and detail pages alike. A column given as `false` is
 * left out (one only editors see).
 */
export function DataTable<T>({
  label,
  columns,
  rows,
  rowKey,
  rowClassName,
  className,
}: {
  label: string;
  columns: ReadonlyArray<Column<T> | false>;
  rows: readonly T[];
  rowKey: (row: T, index: number) => string;
  rowClassName?: (row: T) => string | undefined;
  className?: string;
}) {
  const shown = columns.filter((c): c is Column<T> => c !== false);
  return (
    <Table label={label} className={className}>
      <THead>
        <tr>
          {shown.map((c, i) => (
            <TH key={i} className={c.from && SHOWN_FROM[c.from]}>
              {c.header}
            </TH>
          ))}
        </tr>
      </THead>
      <TBody>
        {rows.map((row, index) => (
          <TR key={rowKey(row, index)} className={rowClassName?.(row)}>
            {shown.map((c, i) => (
              <TD key={i} className={cn(c.from && SHOWN_FROM[c.from], c.className)}>
                {c.cell(row)}
              </TD>
            ))}
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
