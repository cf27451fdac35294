/**
 * First start: until an owner exists, issue a one-time setup code and print how to get in.
 * The code also goes to `WIF_SETUP_CODE_FILE` when set (automation and the e2e tests read it).
 */
import fs from "node:fs";
import path from "node:path";
import { issueSetupCode } from "../console/setup-code";
import type { RunningServer } from "./serve";
import { logger } from "../observability/log";

export async function announceFirstRun(server: RunningServer): Promise<void> {
  const { runtime } = server;
  const code = await issueSetupCode(runtime.store.db);
  if (!code) return;
  const file = runtime.config.setupCodeFile;
  if (file) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // Readable by this user only: the code grants ownership of the installation.
    fs.writeFileSync(file, `${code}\n`, { mode: 0o600 });
  }
  // The operator reads this once; the code works once and is replaced at the next start.
  logger().warn(
    { setup_url: `${runtime.publicUrl}/setup` },
    `No console user yet. Create the owner account: open ${runtime.publicUrl}/setup and enter the setup code ${code}. The code works once and is replaced at the next start until setup is done.`,
  );
}
