/** Tagged IDs: the right prefix and shape, strictly increasing within one process. */
import { expect, it } from "vitest";
import { isId, newId } from "./ids";

it("makes tagged, well-formed IDs that sort in creation order, many per millisecond", () => {
  const ids = Array.from({ length: 5000 }, () => newId("authEvent"));
  for (const id of ids) expect(id).toMatch(/^authev_[0-9A-HJKMNP-TV-Z]{26}$/);
  expect(ids.every((id, i) => i === 0 || id > ids[i - 1]!)).toBe(true);
  expect(new Set(ids).size).toBe(ids.length);
  expect(isId("authEvent", ids[0]!)).toBe(true);
  expect(isId("rule", ids[0]!)).toBe(false);
});
