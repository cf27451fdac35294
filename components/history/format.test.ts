/** How an audit entry's detail reads in the console. */
import { expect, it } from "vitest";
import { auditDetails } from "./format";

it.each<[string, Record<string, unknown> | null, Array<[string, string]>]>([
  [
    "an update: one line per changed field, before → after",
    { changed: { oauth_scope: { from: "workspace:inference", to: "workspace:developer" }, workspace_id: { from: null, to: "wrkspc_1" } } },
    [
      ["oauth_scope", "workspace:inference → workspace:developer"],
      ["workspace_id", "(none) → wrkspc_1"],
    ],
  ],
  ["an update that changed nothing", { changed: {} }, [["changed", "nothing"]]],
  ["a creation's fields", { name: "ci", scopes: ["a", "b"] }, [["name", "ci"], ["scopes", "a, b"]]],
  ["no detail", null, []],
])("%s", (_name, detail, expected) => {
  expect(auditDetails({ action: "federation_rule.updated", status_code: null, detail })).toEqual(expected);
});
