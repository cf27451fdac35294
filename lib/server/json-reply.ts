import type http from "node:http";

/** A JSON reply the server writes itself (readiness, metrics refusals, the password step): never cached; `headers` added. */
export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed) return; // the client went away
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": String(Buffer.byteLength(text)), "cache-control": "no-store", ...headers }).end(text);
}
