/**
 * Token usage and model from the upstream's replies, for the audit row and the tokens-per-
 * minute limit. Streams are read incrementally as they pass — only `message_start`,
 * `message_delta`, `message_stop` and `error` events are parsed, and only the current
 * unfinished line is kept — never a whole stream; JSON replies are read up to a cap.
 * @see docs/gateway.md#audit
 */
import { StringDecoder } from "node:string_decoder";

export interface Usage {
  input_tokens: number | null;
  output_tokens: number | null;
  cache_creation_input_tokens: number | null;
  cache_read_input_tokens: number | null;
}

export interface ReplyFacts {
  model: string | null;
  usage: Usage;
  /** Streams: whether `message_stop` arrived (a stream without it is incomplete). */
  stopped: boolean;
  /** Streams: the type of an `error` event, if one came. */
  errorType: string | null;
}

const USAGE_FIELDS = ["input_tokens", "output_tokens", "cache_creation_input_tokens", "cache_read_input_tokens"] as const;

/** A line longer than this cannot be one of the events read here (their JSON is small); it is skipped. */
const MAX_LINE = 1024 * 1024;
/** JSON replies larger than this are passed on without reading their usage. */
const MAX_JSON = 4 * 1024 * 1024;

export function emptyFacts(): ReplyFacts {
  return { model: null, usage: { input_tokens: null, output_tokens: null, cache_creation_input_tokens: null, cache_read_input_tokens: null }, stopped: false, errorType: null };
}

/** `message_delta` usage is cumulative: each present field replaces the last. */
function mergeUsage(into: Usage, usage: unknown): void {
  if (!usage || typeof usage !== "object") return;
  for (const field of USAGE_FIELDS) {
    const v = (usage as Record<string, unknown>)[field];
    if (typeof v === "number" && Number.isFinite(v)) into[field] = v;
  }
}

/** Reads server-sent events chunk by chunk, as they pass through. */
export class SseUsageReader {
  readonly facts = emptyFacts();
  #decoder = new StringDecoder("utf8");
  #line = "";
  #skipping = false;

  push(chunk: Buffer): void {
    const text = this.#decoder.write(chunk);
    let start = 0;
    for (let nl = text.indexOf("\n", start); nl !== -1; nl = text.indexOf("\n", start)) {
      const piece = text.slice(start, nl);
      start = nl + 1;
      if (this.#skipping) {
        this.#skipping = false;
        this.#line = "";
        continue;
      }
      this.#onLine(this.#line.length > 0 ? this.#line + piece : piece);
      this.#line = "";
    }
    if (start < text.length && !this.#skipping) {
      this.#line += text.slice(start);
      if (this.#line.length > MAX_LINE) {
        this.#line = "";
        this.#skipping = true;
      }
    }
  }

  #onLine(raw: string): void {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (!line.startsWith("data:")) return;
    // Content deltas are most of a stream; they are recognised without parsing.
    if (!/"type":\s*"(message_start|message_delta|message_stop|error)"/.test(line.slice(0, 64))) return;
    let event: { type?: unknown; message?: { model?: unknown; usage?: unknown }; usage?: unknown; error?: { type?: unknown } };
    try {
      event = JSON.parse(line.slice(5)) as typeof event;
    } catch {
      return;
    }
    if (event.type === "message_start") {
      if (typeof event.message?.model === "string") this.facts.model = event.message.model.slice(0, 256);
      mergeUsage(this.facts.usage, event.message?.usage);
    } else if (event.type === "message_delta") {
      mergeUsage(this.facts.usage, event.usage);
    } else if (event.type === "message_stop") {
      this.facts.stopped = true;
    } else if (event.type === "error") {
      this.facts.errorType = typeof event.error?.type === "string" ? event.error.type.slice(0, 64) : "error";
    }
  }
}

/** Collects a JSON reply (up to a cap) and reads its `model` and `usage` at the end. */
export class JsonUsageReader {
  readonly facts = emptyFacts();
  #chunks: Buffer[] = [];
  #size = 0;

  push(chunk: Buffer): void {
    if (this.#size > MAX_JSON) return;
    this.#size += chunk.length;
    if (this.#size > MAX_JSON) this.#chunks = [];
    else this.#chunks.push(chunk);
  }

  end(): void {
    if (this.#size > MAX_JSON || this.#chunks.length === 0) return;
    try {
      const reply = JSON.parse(Buffer.concat(this.#chunks).toString("utf8")) as { model?: unknown; usage?: unknown };
      if (typeof reply.model === "string") this.facts.model = reply.model.slice(0, 256);
      mergeUsage(this.facts.usage, reply.usage);
    } catch {
      // not JSON after all: nothing to read
    }
    this.#chunks = [];
  }
}

/** Tokens counted against a tokens-per-minute limit: input (with cache) plus output. */
export function tokensUsed(usage: Usage): number {
  return (usage.input_tokens ?? 0) + (usage.output_tokens ?? 0) + (usage.cache_creation_input_tokens ?? 0) + (usage.cache_read_input_tokens ?? 0);
}
