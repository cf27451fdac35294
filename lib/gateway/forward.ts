/**
 * Forwards one request to the upstream and its reply back, as bytes: the request body streams
 * up as it arrives, the reply streams down chunk by chunk (server-sent events unbuffered, not
 * re-encoded), with back-pressure both ways (undici pauses the upstream socket while the
 * client's is full). A client that leaves aborts the upstream request; an upstream that fails
 * mid-reply cuts the client's reply, and the result says `incomplete`. Usage is read from the
 * bytes on their way past (usage.ts).
 * @see docs/gateway.md#streaming
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import type { Dispatcher } from "undici";
import { clientResponseHeaders, upstreamRequestHeaders } from "./headers";
import { sendGatewayError } from "./reply";
import { emptyFacts, JsonUsageReader, SseUsageReader, type ReplyFacts } from "./usage";

export type ForwardOutcome = "completed" | "incomplete" | "client_closed" | "upstream_unreachable" | "upstream_timeout";

export interface ForwardResult {
  /** The status the client received; 499 when it left before any reply. */
  status: number;
  outcome: ForwardOutcome;
  /** Why a forward did not complete (an undici error code, `no_message_stop`, `shutdown`…). */
  reason: string | null;
  upstreamRequestId: string | null;
  streamed: boolean;
  facts: ReplyFacts;
  /** Until the upstream's response headers arrived. */
  ttfbMs: number | null;
  requestBytes: number;
  responseBytes: number;
}

export interface ForwardRequest {
  req: IncomingMessage;
  res: ServerResponse;
  /** Upstream base URL (https, or http to loopback), without trailing slash. */
  baseUrl: string;
  /** Sent as `x-api-key`; the client's own credential never is. */
  apiKey: string;
  /** This server's request ID, added to the reply as `wif-request-id` (the upstream's `request-id` passes unchanged). */
  requestId: string;
  /** Read usage and model from the reply (Messages replies). */
  readUsage: boolean;
  /** `performance.now()` when the request arrived. */
  startedAt: number;
}

export interface Forwarding {
  done: Promise<ForwardResult>;
  /** Cut the exchange (shutdown deadline): the reply ends where it is. */
  abort(reason: string): void;
}

/** A client that left; an abort on its behalf. */
class ClientClosed extends Error {}
class Aborted extends Error {}

const origins = new Map<string, { origin: string; prefix: string }>();
function parseBase(baseUrl: string) {
  let parsed = origins.get(baseUrl);
  if (!parsed) {
    const url = new URL(baseUrl);
    parsed = { origin: url.origin, prefix: url.pathname.replace(/\/+$/, "") };
    if (origins.size > 1000) origins.clear();
    origins.set(baseUrl, parsed);
  }
  return parsed;
}

/** Counts the bytes of a body without a declared length (chunked) while it streams up. */
async function* counted(req: IncomingMessage, add: (n: number) => void): AsyncGenerator<Buffer> {
  for await (const chunk of req) {
    add((chunk as Buffer).length);
    yield chunk as Buffer;
  }
}

const TIMEOUTS = new Set(["UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT"]);

export function forward(dispatcher: Dispatcher, f: ForwardRequest): Forwarding {
  const { req, res } = f;
  const { origin, prefix } = parseBase(f.baseUrl);
  const declared = req.headers["content-length"];
  const chunked = req.headers["transfer-encoding"] !== undefined;
  let requestBytes = declared !== undefined ? Number(declared) : 0;
  const body = chunked ? Readable.from(counted(req, (n) => (requestBytes += n)), { objectMode: false }) : declared !== undefined && declared !== "0" ? req : null;

  let controller: Dispatcher.DispatchController | undefined;
  let cut: Error | undefined;
  let status = 0;
  let upstreamRequestId: string | null = null;
  let streamed = false;
  let ttfbMs: number | null = null;
  let responseBytes = 0;
  let reader: SseUsageReader | JsonUsageReader | undefined;
  let waitingForDrain = false;
  let settle!: (r: ForwardResult) => void;
  const done = new Promise<ForwardResult>((resolve) => (settle = resolve));
  let settled = false;

  const finish = (outcome: ForwardOutcome, reason: string | null, finalStatus = status) => {
    if (settled) return;
    settled = true;
    settle({ status: finalStatus, outcome, reason, upstreamRequestId, streamed, facts: reader?.facts ?? emptyFacts(), ttfbMs, requestBytes, responseBytes });
  };
  const stop = (err: Error) => {
    cut ??= err;
    controller?.abort(err);
  };
  const onDrain = () => {
    waitingForDrain = false;
    controller?.resume();
  };

  // The client left before its reply ended: stop the upstream request too.
  res.on("close", () => {
    if (!res.writableFinished) stop(new ClientClosed("the client closed the connection"));
  });

  const handler: Dispatcher.DispatchHandler = {
    onRequestStart(c) {
      controller = c;
      if (cut) c.abort(cut);
    },
    onResponseStart(_c, statusCode, headers) {
      ttfbMs = Math.round(performance.now() - f.startedAt);
      status = statusCode;
      const rid = headers["request-id"];
      upstreamRequestId = typeof rid === "string" ? rid.slice(0, 128) : null;
      const type = String(headers["content-type"] ?? "");
      streamed = type.startsWith("text/event-stream");
      if (f.readUsage && statusCode < 300) reader = streamed ? new SseUsageReader() : type.startsWith("application/json") ? new JsonUsageReader() : undefined;
      const out = clientResponseHeaders(headers);
      out.push("wif-request-id", f.requestId);
      // Every reply carries a request-id: the upstream's, or ours when it sent none.
      if (headers["request-id"] === undefined) out.push("request-id", f.requestId);
      res.writeHead(statusCode, out);
      // A stream's status and headers go out now, not with its first event.
      if (streamed) res.flushHeaders();
    },
    onResponseData(c, chunk) {
      responseBytes += chunk.length;
      reader?.push(chunk);
      if (!res.write(chunk) && !waitingForDrain) {
        waitingForDrain = true;
        c.pause();
        res.once("drain", onDrain);
      }
    },
    onResponseEnd() {
      if (reader instanceof JsonUsageReader) reader.end();
      res.end();
      const facts = reader?.facts;
      if (streamed && reader instanceof SseUsageReader && facts && !facts.stopped) finish("incomplete", facts.errorType ? `error_event:${facts.errorType}` : "no_message_stop");
      else finish("completed", null);
    },
    onResponseError(_c, err) {
      const code = (err as { code?: string }).code ?? err.name;
      if (cut instanceof ClientClosed || (res.destroyed && !res.writableFinished)) {
        finish("client_closed", "client_closed", res.headersSent ? status : 499);
        return;
      }
      if (!res.headersSent) {
        const timedOut = TIMEOUTS.has(code);
        const why = cut instanceof Aborted ? cut.message : timedOut ? "the upstream did not answer in time" : "the upstream could not be reached";
        sendGatewayError(res, timedOut ? 504 : 502, "api_error", `${why} (request-id ${f.requestId})`, f.requestId, true);
        finish(timedOut ? "upstream_timeout" : "upstream_unreachable", cut instanceof Aborted ? cut.message : code, timedOut ? 504 : 502);
        return;
      }
      // Mid-reply: end the client's reply where it is; a truncated stream is what it got.
      res.destroy(err);
      finish("incomplete", cut instanceof Aborted ? cut.message : code);
    },
  };

  try {
    dispatcher.dispatch({ origin, path: prefix + req.url, method: req.method as Dispatcher.HttpMethod, headers: upstreamRequestHeaders(req.rawHeaders, f.apiKey), body }, handler);
  } catch (err) {
    sendGatewayError(res, 502, "api_error", `the upstream could not be reached (request-id ${f.requestId})`, f.requestId, true);
    finish("upstream_unreachable", (err as Error).name, 502);
  }
  return { done, abort: (reason) => stop(new Aborted(reason)) };
}
