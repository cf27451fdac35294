/** A refusal stays a refusal across copies of the module (the server's runtime and the console's bundle each load one). */
import { describe, expect, it, vi } from "vitest";
import { ExchangeDenied } from "./deny-reasons";

describe("ExchangeDenied", () => {
  it("is recognised when thrown by another copy of the module", async () => {
    vi.resetModules();
    const other = await import("./deny-reasons");
    expect(other.ExchangeDenied).not.toBe(ExchangeDenied);
    const denied = new other.ExchangeDenied("jwks_unavailable", "keys could not be fetched");
    expect(denied instanceof ExchangeDenied).toBe(true);
    expect(denied).toMatchObject({ reason: "jwks_unavailable", detail: "keys could not be fetched" });
  });

  it("is not claimed by other errors", () => {
    expect(new Error("jwks_unavailable") instanceof ExchangeDenied).toBe(false);
    expect(Object.assign(new Error("x"), { name: "ExchangeDenied", reason: "unknown_kid" }) instanceof ExchangeDenied).toBe(false);
    expect((null as unknown as object) instanceof ExchangeDenied).toBe(false);
  });
});
