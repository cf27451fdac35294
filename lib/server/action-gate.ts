/**
 * Server actions (sign-in attempts among them) enter Next two at a time. Each costs Next's
 * action pipeline milliseconds of the event loop — 6–10 ms of CPU per refused sign-in,
 * measured on the shared bench machine — and that event loop also runs the token endpoint:
 * fifty at once put fifty actions' work ahead of every token exchange. Two at once leave the
 * token path room, and the rest of a flood waits here, having cost nothing yet (the
 * password-hash queue in lib/console/password.ts does the same for the thread pool). Console
 * actions are few and short for people; an action that waits on the network (a live
 * exchange, an issuer check) holds a slot until it answers.
 *
 * Queued requests are bounded: past `maxWaiting`, an action is answered 503 at once.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

export interface ActionGateOptions {
  /** Server actions inside Next at once. */
  concurrency: number;
  /** Server actions waiting for a turn before new ones are refused. */
  maxWaiting: number;
}

export const ACTION_GATE: ActionGateOptions = { concurrency: 2, maxWaiting: 256 };

/** A server action call: a POST carrying Next's action header. Pages and everything else pass straight through. */
export const isServerAction = (req: IncomingMessage) => req.method === "POST" && req.headers["next-action"] !== undefined;

export interface GatedHandler {
  (req: IncomingMessage, res: ServerResponse): void;
  /** Server actions waiting for a turn now (observability, tests). */
  queued(): number;
}

/**
 * Wraps the console's request handler: server actions run `handle` when a slot is free,
 * holding it until their response is finished or their connection closes.
 */
export function gateServerActions(
  handle: (req: IncomingMessage, res: ServerResponse) => void,
  options: ActionGateOptions = ACTION_GATE,
): GatedHandler {
  let running = 0;
  const waiting: Array<[IncomingMessage, ServerResponse]> = [];

  const start = (req: IncomingMessage, res: ServerResponse) => {
    running++;
    res.once("close", release);
    handle(req, res);
  };
  function release() {
    running--;
    while (waiting.length > 0 && running < options.concurrency) {
      const [req, res] = waiting.shift()!;
      // A client that gave up while waiting costs nothing more.
      if (!res.destroyed && !req.socket.destroyed) start(req, res);
    }
  }

  const gated = (req: IncomingMessage, res: ServerResponse) => {
    if (!isServerAction(req)) return handle(req, res);
    if (running < options.concurrency) return start(req, res);
    if (waiting.length >= options.maxWaiting) {
      res.writeHead(503, { "content-type": "text/plain; charset=utf-8", "retry-after": "5" }).end("The server is busy; try again in a moment.");
      return;
    }
    waiting.push([req, res]);
  };
  return Object.assign(gated, { queued: () => waiting.length });
}
