/**
 * A real server process for tests that must see what only a process shows: its log output
 * on stdout and stderr, its exit code, its answer to a real SIGTERM. `api` runs the server
 * without the console (e2e/support/api-process.ts); `console` runs what `npm start` runs,
 * lib/server/start.ts (the console must be built: call buildConsoleIfStale first). Both run
 * under `node --import tsx`, one process, so a signal reaches the server itself and its exit
 * code is the server's. The URL is read from the server's "listening" log line.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { EventEmitter, once } from "node:events";
import net from "node:net";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");

export interface ServerProcess {
  url: string;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** stdout's lines, each parsed as JSON (a line that is not JSON fails the parse: logs are JSON). */
  logLines(): Array<Record<string, unknown>>;
  /** Resolves with the first log line (parsed) for which `match` is true, already written or still to come. */
  waitForLine(match: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  signal(signal: NodeJS.Signals): void;
  /** The exit code (null when killed by a signal) once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL the process group if it is still running. */
  kill(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

const parseLines = (text: string) =>
  text
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as Record<string, unknown>);

export async function startServerProcess(kind: "api" | "console", env: Record<string, string>): Promise<ServerProcess> {
  const port = env.PORT ?? String(await freePort());
  const entry = kind === "console" ? "lib/server/start.ts" : "e2e/support/api-process.ts";
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", path.join(root, entry)], {
    cwd: root,
    // A process group of its own, so a test that fails midway can kill it with anything it started.
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: "production", MALLOC_MMAP_THRESHOLD_: "131072", HOST: "127.0.0.1", PORT: port, WIF_JWKS_POLL_SECONDS: "86400", ...env },
  });
  let stdout = "";
  let all = "";
  const lineEvents = new EventEmitter();
  child.stdout!.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
    all += chunk.toString("utf8");
    lineEvents.emit("data");
  });
  child.stderr!.on("data", (chunk: Buffer) => {
    all += chunk.toString("utf8");
  });
  const exited = once(child, "exit").then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
  exited.then(() => lineEvents.emit("data"), () => undefined);
  const complete = () => stdout.slice(0, stdout.lastIndexOf("\n") + 1);
  const group = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  process.once("exit", () => group("SIGKILL"));

  const waitForLine = (match: (line: Record<string, unknown>) => boolean) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const look = () => {
        const found = parseLines(complete()).find(match);
        if (found) {
          lineEvents.off("data", look);
          return resolve(found);
        }
        if (child.exitCode !== null || child.signalCode !== null) {
          lineEvents.off("data", look);
          reject(new Error(`the server exited (${child.exitCode ?? child.signalCode}) before the line; its output:\n${all.slice(-4000)}`));
        }
      };
      lineEvents.on("data", look);
      look();
    });

  const listening = await waitForLine((l) => typeof l.url === "string" && String(l.msg).startsWith("WIF Console listening"));
  return {
    url: String(listening.url),
    output: () => all,
    logLines: () => parseLines(complete()),
    waitForLine,
    signal: (signal) => process.kill(child.pid!, signal),
    exited,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) {
        group("SIGKILL");
        await exited;
      }
    },
  };
}
