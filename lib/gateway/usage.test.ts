import { describe, expect, it } from "vitest";
import { JsonUsageReader, SseUsageReader, tokensUsed } from "./usage";

const sse = (type: string, data: Record<string, unknown>) => `event: ${type}\r\ndata: ${JSON.stringify({ type, ...data })}\r\n\r\n`;
const STREAM =
  sse("message_start", { message: { id: "m", model: "claude-x", usage: { input_tokens: 25, output_tokens: 1, cache_read_input_tokens: 4 } } }) +
  sse("content_block_start", { index: 0, content_block: { type: "text", text: "" } }) +
  sse("content_block_delta", { index: 0, delta: { type: "text_delta", text: "héllo \"usage\": {\"output_tokens\": 999} 🎉" } }) +
  sse("ping", {}) +
  sse("message_delta", { delta: { stop_reason: "end_turn" }, usage: { output_tokens: 15 } }) +
  sse("message_stop", {});

describe("usage from a stream", () => {
  it.each([1, 2, 3, 7, 64, STREAM.length])("reads the same usage whatever the chunk size (%i bytes)", (size) => {
    const bytes = Buffer.from(STREAM, "utf8");
    const reader = new SseUsageReader();
    for (let i = 0; i < bytes.length; i += size) reader.push(bytes.subarray(i, i + size));
    expect(reader.facts).toEqual({
      model: "claude-x",
      usage: { input_tokens: 25, output_tokens: 15, cache_creation_input_tokens: null, cache_read_input_tokens: 4 },
      stopped: true,
      errorType: null,
    });
    expect(tokensUsed(reader.facts.usage)).toBe(44);
  });

  it("notes an error event and a missing message_stop", () => {
    const reader = new SseUsageReader();
    reader.push(Buffer.from(sse("message_start", { message: { model: "m", usage: { input_tokens: 1 } } }) + sse("error", { error: { type: "overloaded_error", message: "x" } })));
    expect(reader.facts.stopped).toBe(false);
    expect(reader.facts.errorType).toBe("overloaded_error");
  });

  it("skips an over-long line without keeping it", () => {
    const reader = new SseUsageReader();
    reader.push(Buffer.from(`data: ${"x".repeat(2 * 1024 * 1024)}`));
    reader.push(Buffer.from(`\n${sse("message_stop", {})}`));
    expect(reader.facts.stopped).toBe(true);
  });
});

describe("usage from a JSON reply", () => {
  it("reads model and usage at the end", () => {
    const reader = new JsonUsageReader();
    const body = JSON.stringify({ model: "claude-y", usage: { input_tokens: 3, output_tokens: 4, cache_creation_input_tokens: 5 } });
    reader.push(Buffer.from(body.slice(0, 10)));
    reader.push(Buffer.from(body.slice(10)));
    reader.end();
    expect(reader.facts.model).toBe("claude-y");
    expect(reader.facts.usage).toEqual({ input_tokens: 3, output_tokens: 4, cache_creation_input_tokens: 5, cache_read_input_tokens: null });
  });
});
