/**
 * The offline demo upstream (WIF_DEMO=1, or upstream URL `demo`): a small Messages API on a
 * loopback port of its own, so demo requests take the gateway's real path — token, scope,
 * limits, forwarding, audit — and get canned replies that say plainly no model was called.
 * @see docs/gateway.md#demo-upstream
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export const DEMO_TEXT =
  "This reply comes from WIF Console's built-in demo upstream: no model was called and nothing left this machine. " +
  "The gateway checked your token and its scope, forwarded the request with the workspace's upstream key, and recorded it.";

const DEMO_MODELS = [{ type: "model", id: "demo-model", display_name: "Demo upstream (no model is called)", created_at: "2026-01-01T00:00:00Z" }];

export interface DemoUpstream {
  url: string;
  close(): Promise<void>;
}

const json = (res: http.ServerResponse, status: number, body: unknown) => {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), "request-id": `req_demo_${Date.now().toString(36)}` }).end(text);
};

function readJson(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size <= 1024 * 1024) chunks.push(c);
    });
    req.on("end", () => {
      try {
        const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        resolve(parsed && typeof parsed === "object" ? (parsed as Record<string, unknown>) : {});
      } catch {
        resolve({});
      }
    });
  });
}

/** Rough token count for canned usage: about four characters a token. */
const approxTokens = (value: unknown) => Math.max(1, Math.ceil(JSON.stringify(value ?? "").length / 4));

function message(model: string, inputTokens: number) {
  return {
    id: `msg_demo_${Date.now().toString(36)}`,
    type: "message",
    role: "assistant",
    model,
    content: [{ type: "text", text: DEMO_TEXT }],
    stop_reason: "end_turn",
    stop_sequence: null,
    usage: { input_tokens: inputTokens, output_tokens: approxTokens(DEMO_TEXT), cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
  };
}

function stream(res: http.ServerResponse, model: string, inputTokens: number): void {
  const full = message(model, inputTokens);
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", "request-id": `req_demo_${Date.now().toString(36)}` });
  const send = (type: string, data: unknown) => res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...(data as object) })}\n\n`);
  send("message_start", { message: { ...full, content: [], stop_reason: null, usage: { ...full.usage, output_tokens: 1 } } });
  send("content_block_start", { index: 0, content_block: { type: "text", text: "" } });
  for (const piece of DEMO_TEXT.match(/.{1,40}(\s|$)/g) ?? [DEMO_TEXT]) send("content_block_delta", { index: 0, delta: { type: "text_delta", text: piece } });
  send("content_block_stop", { index: 0 });
  send("message_delta", { delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: full.usage.output_tokens } });
  send("message_stop", {});
  res.end();
}

export async function startDemoUpstream(): Promise<DemoUpstream> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0]!;
    void (async () => {
      if (req.method === "POST" && path === "/v1/messages") {
        const body = await readJson(req);
        const model = typeof body.model === "string" ? body.model : "demo-model";
        const input = approxTokens(body.messages) + approxTokens(body.system);
        if (body.stream === true) stream(res, model, input);
        else json(res, 200, message(model, input));
      } else if (req.method === "POST" && path === "/v1/messages/count_tokens") {
        const body = await readJson(req);
        json(res, 200, { input_tokens: approxTokens(body.messages) + approxTokens(body.system) });
      } else if (req.method === "GET" && path === "/v1/models") {
        json(res, 200, { data: DEMO_MODELS, has_more: false, first_id: DEMO_MODELS[0]!.id, last_id: DEMO_MODELS[0]!.id });
      } else if (req.method === "GET" && path.startsWith("/v1/models/")) {
        json(res, 200, { ...DEMO_MODELS[0], id: decodeURIComponent(path.slice("/v1/models/".length)) });
      } else {
        req.resume();
        json(res, 404, { type: "error", error: { type: "not_found_error", message: "The demo upstream answers Messages, count tokens and models only; no model is called." } });
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
