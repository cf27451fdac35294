/**
 * A test server with the gateway pointed at a local test upstream, its upstream key set through
 * the Admin API (so it is stored sealed), and helpers to wait for a request's audit row.
 */
import type { GatewayRequestRow } from "../../lib/store/gateway-request-log";
import { setUpFederation, type Federation } from "./federation";
import { startTestServer, type DatabaseKind, type TestServer, type TestServerOptions } from "./test-server";
import { startTestUpstream, type TestUpstream } from "./test-upstream";

export const UPSTREAM_KEY = "sk-ant-api03-upstream-secret-key-0123456789-WXYZ";

export interface GatewayHarness {
  server: TestServer;
  upstream: TestUpstream;
  federation: Federation;
  /** The audit row of the next request matching `predicate`, once committed (subscribe before sending). */
  nextRow(predicate?: (row: GatewayRequestRow) => boolean): Promise<GatewayRequestRow>;
  close(): Promise<void>;
}

export async function startGatewayHarness(kind: DatabaseKind, env: Record<string, string> = {}, options: TestServerOptions = {}): Promise<GatewayHarness> {
  const upstream = await startTestUpstream();
  const server = await startTestServer(kind, { WIF_UPSTREAM_URL: upstream.url, ...env }, options);
  await server.admin("POST", "/gateway/upstream", { api_key: UPSTREAM_KEY });
  const federation = await setUpFederation(server);
  return {
    server,
    upstream,
    federation,
    nextRow(predicate = () => true) {
      return new Promise((resolve, reject) => {
        const onRow = (row: GatewayRequestRow) => {
          if (!predicate(row)) return;
          server.gateway.events.off("row", onRow);
          server.gateway
            .flushAudit()
            .then(() => server.runtime.store.db.selectFrom("gateway_requests").selectAll().where("id", "=", row.id).executeTakeFirstOrThrow())
            .then((stored) => resolve(stored as GatewayRequestRow), reject);
        };
        server.gateway.events.on("row", onRow);
      });
    },
    async close() {
      upstream.release();
      await server.close();
      await upstream.close();
    },
  };
}
