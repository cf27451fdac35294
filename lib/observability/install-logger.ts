/**
 * Builds the configured logger at start: JSON lines on stdout (written asynchronously,
 * flushed on shutdown), or pino-pretty's readable lines in development. Server entry points only.
 * @see docs/operating.md#logs
 */
import { format } from "node:util";
import pino, { type DestinationStream, type Logger } from "pino";
import type { LoggingConfig } from "../config";
import { loggerOptions, logger, setLogger } from "./log";

/** The logger `settings` ask for, writing to `destination` (stdout by default), installed as the process's logger. */
export async function installLogger(settings: LoggingConfig, destination?: DestinationStream): Promise<Logger> {
  let stream = destination;
  if (!stream && settings.pretty) {
    // A development dependency, loaded only under NODE_ENV=development.
    const { default: pretty } = await import("pino-pretty");
    stream = pretty({ colorize: true, translateTime: "HH:MM:ss.l", ignore: "pid,hostname" });
  }
  // Asynchronous: the token path does not wait for each access line's write to stdout.
  const created = pino(loggerOptions(settings.level), stream ?? pino.destination({ dest: 1, sync: false }));
  setLogger(created);
  return created;
}

/**
 * Whatever still writes to `console` (Next's error printer, libraries) goes through the logger
 * too, so a log pipeline reads one JSON line per event: `console.error` at error level, `warn`
 * at warn, the rest at info.
 */
export function routeConsoleToLogger(): void {
  const write = (level: "error" | "warn" | "info") => (...args: unknown[]) => logger()[level]({ source: "console" }, format(...args));
  console.error = write("error");
  console.warn = write("warn");
  console.log = write("info");
  console.info = write("info");
}

/** Write out buffered lines (before the process exits). */
export function flushLogs(): Promise<void> {
  return new Promise((resolve) => logger().flush(() => resolve()));
}
