/**
 * SIGTERM and SIGINT drain the server (lib/server/serve.ts `close()`) and exit 0 once it is
 * drained; a second signal exits at once, with 1.
 * @see docs/operating.md#drain
 */
import { logger } from "../observability/log";

export function drainOnSignals(server: { close(): Promise<void> }): void {
  let stopping = false;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (stopping) process.exit(1);
      stopping = true;
      logger().info({ signal }, "shutting down");
      server.close().then(
        () => process.exit(0),
        (err: unknown) => {
          logger().fatal({ err }, "shutdown failed");
          logger().flush();
          process.exit(1);
        },
      );
    });
  }
}
