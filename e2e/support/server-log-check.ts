/**
 * After the browser run (Playwright's global teardown): the server's whole output during the
 * run — every journey, sign-in and token tester included — must hold no secret: no `sk-ant-`
 * key or token, no JWT (`eyJ`), none of the passwords the specs type.
 * @see docs/operating.md#logs
 */
import fs from "node:fs";
import path from "node:path";
import { OWNER } from "../helpers";

/** Every password the specs use ends in "passphrase …" or is the owner's. */
const NEEDLES = ["sk-ant-", "eyJ", "passphrase", OWNER.password];

export default function checkServerLog(): void {
  const file = path.join(process.env.WIF_E2E_DATA_DIR!, "server.log");
  if (!fs.existsSync(file)) return; // the server never started: the run has failed already
  const text = fs.readFileSync(file, "utf8");
  const found = NEEDLES.filter((needle) => text.includes(needle));
  if (found.length > 0) throw new Error(`the server's output during the run holds ${found.map((n) => JSON.stringify(n)).join(", ")}; see ${file}`);
}
