/**
 * The real server — console (Next, built) and API — started the way `npm start` starts it,
 * as a child process on a free loopback port with a fresh SQLite database, for the fuzz and
 * soak runs, after building it when the sources are newer than the build (`npm start` never builds).
 * It comes with an owner's console session, an admin key and the build's server-action IDs,
 * and its resident memory can be read from /proc.
 */
import "../lib/server/register-server-only";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "../e2e/support/server-process";
import { buildIfStale } from "../lib/server/build";

// The store, services and console modules come in after the hook: any of them may import "server-only".
const { completeSetup } = await import("../lib/console/sign-in");
const { createAdminKey } = await import("../lib/services/api-keys");
const { ensureOrganization } = await import("../lib/services/organization");
const { openStore } = await import("../lib/store/db");

const root = path.resolve(import.meta.dirname, "..");

export interface ConsoleProcess {
  host: string;
  port: number;
  pid: number;
  sessionId: string;
  adminKey: string;
  /** Server-action IDs of this build, but sign-out's (it would end the session). */
  actionIds: string[];
  /** Resident set size of the server process, in MiB. */
  rssMiB(): number;
  /** The last lines the server printed. */
  logTail(lines?: number): string;
  /** Whether it still answers its health check. */
  healthy(): Promise<boolean>;
  stop(): Promise<void>;
}

/**
 * The server under npm → sh → node: follow the children running scripts/start.mjs (which
 * loads the bundled server in its own process) down to the last (Linux /proc).
 */
function serverProcess(pid: number): number {
  const runsServer = (child: number) => {
    try {
      return fs.readFileSync(`/proc/${child}/cmdline`, "utf8").includes("scripts/start.mjs");
    } catch {
      return false;
    }
  };
  const next = fs
    .readdirSync(`/proc/${pid}/task`)
    .flatMap((task) => fs.readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim().split(/\s+/))
    .filter(Boolean)
    .map(Number)
    .find(runsServer);
  return next === undefined ? pid : serverProcess(next);
}

async function waitForHealth(url: string, exited: () => string | undefined, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const failure = exited();
    if (failure) throw new Error(failure);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`no answer from ${url} within ${timeoutMs / 1000} s`);
}

/** `env.PORT` picks the port (a machine where ports are assigned); otherwise a free one. */
export async function startConsoleProcess(env: Record<string, string> = {}): Promise<ConsoleProcess> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wif-console-"));
  const host = "127.0.0.1";
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const databaseFile = path.join(dir, "wif.db");
  const setupCodeFile = path.join(dir, "setup-code");
  await buildIfStale(root);
  // Exactly `npm start` (its environment included), in a process group of its own so that
  // stopping it reaches the server under npm, sh and tsx.
  const child = spawn("npm", ["start", "--silent"], {
    cwd: root,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      HOST: host,
      DATABASE_URL: `file:${databaseFile}`,
      WIF_SETUP_CODE_FILE: setupCodeFile,
      // Nothing here is fetched, and the generated issuers point at refused addresses anyway.
      WIF_JWKS_POLL_SECONDS: "86400",
      ...env,
    },
  });
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  process.once("exit", () => killGroup("SIGKILL"));
  // The build's output, and anything the server logs, goes to a file beside the database.
  const logFile = path.join(dir, "server.log");
  const log = fs.createWriteStream(logFile);
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  // /healthz answers while Next is still loading; the setup code is written once it is ready.
  const announced = new Promise<void>((resolve) => {
    let seen = "";
    const onData = (chunk: Buffer) => {
      seen = (seen + chunk.toString()).slice(-4096);
      if (seen.includes("enter the setup code")) {
        child.stdout!.off("data", onData);
        resolve();
      }
    };
    child.stdout!.on("data", onData);
  });
  let exitMessage: string | undefined;
  child.once("exit", (code, signal) => (exitMessage = `the server exited (${signal ?? code}); see ${path.join(dir, "server.log")}`));

  await waitForHealth(`http://${host}:${port}/healthz`, () => exitMessage, 15 * 60_000);
  await announced;
  const serverPid = serverProcess(child.pid!);

  const store = await openStore({ kind: "sqlite", file: databaseFile });
  let sessionId: string;
  let adminKey: string;
  try {
    const org = await ensureOrganization(store.db);
    const code = fs.readFileSync(setupCodeFile, "utf8").trim();
    ({ sessionId } = await completeSetup(store, org.id, { code, email: "owner@example.com", name: "Owner", password: "a long enough owner password" }, { ip: "bench" }));
    ({ key: adminKey } = await createAdminKey(store.db, org.id, "bench", { type: "system" }));
  } finally {
    await store.close();
  }

  const manifest = JSON.parse(fs.readFileSync(path.join(root, ".next", "server", "server-reference-manifest.json"), "utf8")) as { node?: Record<string, { exportedName?: string }> };
  const actionIds = Object.entries(manifest.node ?? {})
    .filter(([, a]) => a.exportedName !== "signOutAction")
    .map(([id]) => id);

  return {
    host,
    port,
    pid: serverPid,
    sessionId,
    adminKey,
    actionIds,
    rssMiB() {
      const status = fs.readFileSync(`/proc/${serverPid}/status`, "utf8");
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
    },
    logTail(lines = 40) {
      return fs.readFileSync(logFile, "utf8").split("\n").slice(-lines).join("\n");
    },
    async healthy() {
      try {
        return (await fetch(`http://${host}:${port}/healthz`)).ok;
      } catch {
        return false;
      }
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
        killGroup("SIGTERM");
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
