/** Replies the gateway makes itself (denials, upstream failures), in the platform's error envelope. */
import type { ServerResponse } from "node:http";

/**
 * What every JSON reply of the bare node:http endpoints (the gateway, the token endpoint) starts
 * its headers with, as the flat [name, value, …] list node:http takes without a per-key walk.
 */
export function jsonHead(json: string, requestId: string): string[] {
  return ["content-type", "application/json", "content-length", String(Buffer.byteLength(json)), "request-id", requestId];
}

export function sendGatewayError(res: ServerResponse, status: number, type: string, message: string, requestId: string, retry: boolean, extra: string[] = []): void {
  if (res.headersSent || res.destroyed) return;
  const json = JSON.stringify({ type: "error", error: { type, message } });
  res
    .writeHead(status, [
      ...jsonHead(json, requestId),
      "x-should-retry",
      String(retry),
      "cache-control",
      "no-store",
      ...extra,
    ])
    .end(json);
}
