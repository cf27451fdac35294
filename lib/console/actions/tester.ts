"use server";
/**
 * Token tester actions. Each checks origin, session and role, then calls one lib/services
 * service. The token arrives in the action's body and is never stored or logged (Next's
 * server-function logging is off in next.config.ts; failures are logged without input).
 */
import { runLiveExchange } from "@/lib/services/live-exchange";
import { mintSampleToken, testToken } from "@/lib/services/token-tester";
import { getRuntime } from "@/lib/runtime";
import { runAs } from "./run-as";

/** Viewers and up: testing only reads. */
export async function testTokenAction(input: unknown) {
  return runAs("viewer", async (ctx) => testToken(ctx, input, await getRuntime()));
}

/** Admins: a demo token can be exchanged wherever the demo issuer is trusted. */
export async function mintSampleTokenAction(input: unknown) {
  return runAs("admin", async (ctx) => mintSampleToken(ctx, input, await getRuntime()));
}

/** Admins: runs a real exchange (consuming the token's jti) and may call the API with the result. */
export async function liveExchangeAction(input: unknown) {
  return runAs("admin", async (ctx) => {
    const runtime = await getRuntime();
    return runLiveExchange(ctx, input, { publicUrl: runtime.publicUrl, allowInsecureLocal: runtime.config.allowInsecureIssuers });
  });
}
