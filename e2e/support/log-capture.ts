/** A pino destination that keeps a test server's log lines, parsed, for the test to read. */
import { EventEmitter } from "node:events";

export type LogLine = Record<string, unknown>;

export interface LogCapture {
  write(line: string): void;
  lines: LogLine[];
  /** Every line written, as text (to search for what must never be there). */
  text(): string;
  /** The first line matching `match`, already written or when it comes. */
  waitFor(match: (line: LogLine) => boolean): Promise<LogLine>;
  /** The access line of the request with this ID (written once its response has closed). */
  accessLine(requestId: string): Promise<LogLine>;
}

export function captureLogs(): LogCapture {
  const raw: string[] = [];
  const lines: LogLine[] = [];
  const events = new EventEmitter();
  const waitFor = (match: (line: LogLine) => boolean) =>
    new Promise<LogLine>((resolve) => {
      const found = lines.find(match);
      if (found) return resolve(found);
      const look = (line: LogLine) => {
        if (!match(line)) return;
        events.off("line", look);
        resolve(line);
      };
      events.on("line", look);
    });
  return {
    write(text) {
      raw.push(text);
      const line = JSON.parse(text) as LogLine;
      lines.push(line);
      events.emit("line", line);
    },
    lines,
    text: () => raw.join(""),
    waitFor,
    accessLine: (requestId) => waitFor((l) => l.msg === "request" && l.request_id === requestId),
  };
}
