/** A bench's server in a child node process: started with tsx, ready when it prints its URL, stopped with SIGINT. */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";

const root = path.resolve(import.meta.dirname, "..");

export interface ChildServer {
  url: string;
  child: ChildProcess;
}

/** `args`: the script and its arguments; `nodeFlags` go to node first (e.g. `--cpu-prof`). The first stdout line is the URL. */
export function startChildServer(args: string[], nodeFlags: string[] = []): Promise<ChildServer> {
  const child = spawn(process.execPath, [...nodeFlags, "--import", "tsx", ...args], { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
  // Never leave a server behind, even when the bench fails.
  process.once("exit", () => child.kill());
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`${path.basename(args[0] ?? "server")} exited with ${code}`)));
    createInterface({ input: child.stdout! }).once("line", (url) => resolve({ url, child }));
  });
}

/** SIGINT lets the child exit normally, so `--cpu-prof` can write its profile and queued rows are flushed. */
export function stopChildServer({ child }: ChildServer): Promise<void> {
  child.removeAllListeners("exit");
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGINT");
  return exited;
}
