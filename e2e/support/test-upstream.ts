/**
 * A local upstream for gateway tests and the bench: a small Messages API over real HTTP (JSON
 * and server-sent events, errors with retry-after and request-id, slow, broken and hanging
 * replies, file upload and download, batches, any other path) that records what it received.
 * It is a test upstream, not a mock of our code: the gateway forwards to it as to the real one.
 *
 * Behaviour is chosen by the request's `model`: `error-429`, `error-529`, `slow-stream` (sends
 * `message_start`, then waits for `release()`), `hold-stream` (sends `message_start`, then
 * waits for the connection to close), `drip-stream` (a ping every 100 ms for two seconds, then
 * the rest: the bench's long-lived streams), `broken-stream` (the socket dies mid-stream),
 * `hang` (never answers).
 */
import { EventEmitter, once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";

export const UPSTREAM_USAGE = { input_tokens: 11, output_tokens: 7, cache_creation_input_tokens: 2, cache_read_input_tokens: 3 };
export const UPSTREAM_TEXT = "Hello from the test upstream.";
/** Size of the file `GET /v1/files/:id/content` returns. */
export const DOWNLOAD_BYTES = 5 * 1024 * 1024;

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  rawHeaders: string[];
  bodyBytes: number;
  /** The body as text when under 64 KiB. */
  body: string | undefined;
  /** The connection closed before the reply ended (the gateway aborted the request). */
  aborted: boolean;
}

export interface TestUpstream {
  url: string;
  received: ReceivedRequest[];
  /** Emits `request` (ReceivedRequest) once a body is read, and `aborted` (ReceivedRequest). */
  events: EventEmitter;
  /** The next request whose path starts with `prefix`, once its body has arrived. */
  next(prefix?: string): Promise<ReceivedRequest>;
  /** Lets the `slow-stream` replies held so far finish. */
  release(): void;
  close(): Promise<void>;
}

const sse = (type: string, data: Record<string, unknown>) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;

let counter = 0;
const upstreamId = (prefix: string) => `${prefix}_up_${(++counter).toString().padStart(6, "0")}`;

function message(model: string) {
  return { id: upstreamId("msg"), type: "message", role: "assistant", model, content: [{ type: "text", text: UPSTREAM_TEXT }], stop_reason: "end_turn", stop_sequence: null, usage: UPSTREAM_USAGE };
}

/** The opening events of a stream, up to and including the first text delta. */
function streamHead(model: string): string {
  const m = message(model);
  return (
    sse("message_start", { message: { ...m, content: [], stop_reason: null, usage: { ...UPSTREAM_USAGE, output_tokens: 1 } } }) +
    sse("content_block_start", { index: 0, content_block: { type: "text", text: "" } }) +
    sse("content_block_delta", { index: 0, delta: { type: "text_delta", text: "Hello from " } })
  );
}

function streamTail(): string {
  return (
    sse("ping", {}) +
    sse("content_block_delta", { index: 0, delta: { type: "text_delta", text: "the test upstream." } }) +
    sse("content_block_stop", { index: 0 }) +
    sse("message_delta", { delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: UPSTREAM_USAGE.output_tokens } }) +
    sse("message_stop", {})
  );
}

const json = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": String(Buffer.byteLength(text)), "request-id": upstreamId("req"), ...headers }).end(text);
};

export async function startTestUpstream(): Promise<TestUpstream> {
  const received: ReceivedRequest[] = [];
  const events = new EventEmitter();
  events.setMaxListeners(0);
  let held: Array<() => void> = [];

  const server = http.createServer((req, res) => {
    const record: ReceivedRequest = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, rawHeaders: req.rawHeaders, bodyBytes: 0, body: undefined, aborted: false };
    const chunks: Buffer[] = [];
    res.on("close", () => {
      if (!res.writableFinished) {
        record.aborted = true;
        events.emit("aborted", record);
      }
    });
    req.on("data", (c: Buffer) => {
      record.bodyBytes += c.length;
      if (record.bodyBytes <= 64 * 1024) chunks.push(c);
    });
    req.on("end", () => {
      if (record.bodyBytes <= 64 * 1024) record.body = Buffer.concat(chunks).toString("utf8");
      received.push(record);
      events.emit("request", record);
      answer(req, res, record);
    });
  });

  function answer(req: http.IncomingMessage, res: http.ServerResponse, record: ReceivedRequest): void {
    const path = (req.url ?? "/").split("?")[0]!;
    let body: Record<string, unknown> = {};
    try {
      body = record.body && req.headers["content-type"]?.includes("json") ? (JSON.parse(record.body) as Record<string, unknown>) : {};
    } catch {
      // not JSON: the path decides
    }
    const model = typeof body.model === "string" ? body.model : "claude-test";
    if (req.method === "POST" && path === "/v1/messages") {
      if (model === "error-429") {
        return json(res, 429, { type: "error", error: { type: "rate_limit_error", message: "Number of requests has exceeded your rate limit" } }, { "retry-after": "7", "anthropic-ratelimit-requests-remaining": "0", "x-should-retry": "true" });
      }
      if (model === "error-529") return json(res, 529, { type: "error", error: { type: "overloaded_error", message: "Overloaded" } });
      if (model === "hang") return; // never answers: the gateway's headers timeout decides
      if (body.stream !== true) return json(res, 200, message(model));
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", "request-id": upstreamId("req") });
      if (model === "broken-stream") {
        // Once the first events are on the wire, the connection dies.
        res.write(streamHead(model), () => res.socket?.destroy());
        return;
      }
      res.write(streamHead(model));
      if (model === "hold-stream") return;
      if (model === "drip-stream") {
        let pings = 0;
        const timer = setInterval(() => {
          if (++pings <= 20) return void res.write(sse("ping", {}));
          clearInterval(timer);
          res.end(streamTail());
        }, 100);
        res.on("close", () => clearInterval(timer));
        return;
      }
      if (model === "slow-stream") {
        held.push(() => res.end(streamTail()));
        return;
      }
      res.end(streamTail());
      return;
    }
    if (req.method === "POST" && path === "/v1/messages/count_tokens") return json(res, 200, { input_tokens: 42 });
    if (req.method === "GET" && path === "/v1/models") {
      const data = ["claude-test-1", "claude-test-2"].map((id) => ({ type: "model", id, display_name: id, created_at: "2026-01-01T00:00:00Z" }));
      return json(res, 200, { data, has_more: false, first_id: data[0]!.id, last_id: data[1]!.id });
    }
    if (req.method === "POST" && path === "/v1/files") {
      const filename = /filename="([^"]+)"/.exec(record.body ?? "")?.[1] ?? "upload.bin";
      return json(res, 200, { id: upstreamId("file"), type: "file", filename, mime_type: "text/plain", size_bytes: record.bodyBytes, created_at: "2026-01-01T00:00:00Z", downloadable: true });
    }
    if (req.method === "GET" && /^\/v1\/files\/[^/]+\/content$/.test(path)) {
      res.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(DOWNLOAD_BYTES), "request-id": upstreamId("req") });
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      let sent = 0;
      const pump = () => {
        while (sent < DOWNLOAD_BYTES) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once("drain", pump);
        }
        res.end();
      };
      return pump();
    }
    if (req.method === "POST" && path === "/v1/messages/batches") {
      const requests = Array.isArray(body.requests) ? body.requests.length : 0;
      return json(res, 200, {
        id: upstreamId("msgbatch"), type: "message_batch", processing_status: "in_progress",
        request_counts: { processing: requests, succeeded: 0, errored: 0, canceled: 0, expired: 0 },
        created_at: "2026-01-01T00:00:00Z", expires_at: "2026-01-02T00:00:00Z", ended_at: null, cancel_initiated_at: null, archived_at: null, results_url: null,
      });
    }
    return json(res, 200, { ok: true, method: req.method, path });
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    events,
    async next(prefix = "/") {
      for (;;) {
        const [record] = (await once(events, "request")) as [ReceivedRequest];
        if (record.url.startsWith(prefix)) return record;
      }
    },
    release() {
      for (const finish of held) finish();
      held = [];
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
