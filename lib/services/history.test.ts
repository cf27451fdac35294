/**
 * CSV export cells: one case per way a value could become a spreadsheet formula or break out
 * of its cell. Each attack row fails if its neutralisation is removed.
 */
import { describe, expect, it } from "vitest";
import { csvField } from "./history";

describe("csvField", () => {
  const attacks: Array<{ name: string; value: string; cell: string }> = [
    { name: "= formula", value: '=HYPERLINK("https://evil.example","x")', cell: `"'=HYPERLINK(""https://evil.example"",""x"")"` },
    { name: "+ formula", value: "+1+cmd|' /C calc'!A0", cell: `"'+1+cmd|' /C calc'!A0"` },
    { name: "- formula", value: "-2+3", cell: `"'-2+3"` },
    { name: "@ function", value: "@SUM(1,1)", cell: `"'@SUM(1,1)"` },
    { name: "leading tab", value: "\t=1+1", cell: `"'\t=1+1"` },
    { name: "leading carriage return", value: "\r=1+1", cell: `"'\r=1+1"` },
    { name: "leading line feed", value: "\n=1+1", cell: `"'\n=1+1"` },
    { name: "leading NUL", value: "\0=1+1", cell: `"'\0=1+1"` },
    { name: "formula behind spaces", value: "   =1+1", cell: `"'   =1+1"` },
    { name: "full-width equals", value: "\uFF1D1+1", cell: `"'\uFF1D1+1"` },
    { name: "comma splits the cell", value: "a,=1+1", cell: `"a,=1+1"` },
    { name: "semicolon (separator in some locales) splits the cell", value: "a;=1+1", cell: `"a;=1+1"` },
    { name: "quote closes the cell", value: 'a",=1+1', cell: `"a"",=1+1"` },
    { name: "line break starts a row", value: "a\r\n=1+1", cell: `"a\r\n=1+1"` },
  ];

  it.each(attacks)("neutralises $name", ({ value, cell }) => {
    expect(csvField(value)).toBe(cell);
  });

  it.each([
    { value: "repo:acme/app:ref:refs/heads/main", cell: '"repo:acme/app:ref:refs/heads/main"' },
    { value: "a=b", cell: '"a=b"' },
    { value: null, cell: '""' },
    { value: undefined, cell: '""' },
  ])("keeps the ordinary value $value as it is", ({ value, cell }) => {
    expect(csvField(value)).toBe(cell);
  });
});
