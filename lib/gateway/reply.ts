/** Replies the gateway makes itself (denials, upstream failures), in the platform's error envelope. */
import type { ServerResponse } from "node:http";

export function sendGatewayError(res: ServerResponse, status: number, type: string, message: string, requestId: string, retry: boolean, extra: string[] = []): void {
  if (res.headersSent || res.destroyed) return;
  const json = JSON.stringify({ type: "error", error: { type, message } });
  res
    .writeHead(status, [
      "content-type",
      "application/json",
      "content-length",
      String(Buffer.byteLength(json)),
      "request-id",
      requestId,
      "x-should-retry",
      String(retry),
      "cache-control",
      "no-store",
      ...extra,
    ])
    .end(json);
}
