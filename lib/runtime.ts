/**
 * The process-wide runtime: configuration, the open store and the organization. Created
 * once by the server entry point and shared with Next's console code through globalThis
 * (Next bundles its own copy of these modules, so a module-level singleton would not be
 * shared).
 */
import type { Config } from "./config";
import { loadConfig } from "./config";
import { ensureOrganization } from "./services/organization";
import { openStore, type Store } from "./store/db";
import { KeySourceRegistry } from "./jwks/key-resolver";
import type { SecretKeyring } from "./core/secret-box";
import { loadSecretKeyring } from "./store/secret-key-file";
import { syncEnvironmentProviders } from "./services/sso-providers";
import { createMetrics, type Metrics } from "./observability/metrics";
import { logger } from "./observability/log";

export interface Runtime {
  config: Config;
  store: Store;
  organizationId: string;
  /** One cached key source per issuer, shared by the token endpoint, the poller and the console. */
  keys: KeySourceRegistry;
  /** Where clients reach this server: WIF_PUBLIC_URL, else http://localhost:PORT once listening. */
  publicUrl: string;
  /** Encrypts stored upstream keys (WIF_SECRET_KEY or the key file beside the database). */
  secrets: SecretKeyring;
  /** This server's Prometheus metrics (served at /metrics). */
  metrics: Metrics;
  /** Set when the runtime is closing, so background loops stop. */
  closed: boolean;
  close(): Promise<void>;
}

const KEY = Symbol.for("wif-console.runtime");
type Holder = { [KEY]?: Promise<Runtime> };

export async function createRuntime(config: Config): Promise<Runtime> {
  const store = await openStore(config.database);
  const org = await ensureOrganization(store.db);
  const secrets = loadSecretKeyring(config.secrets);
  await syncEnvironmentProviders(store.db, secrets, org.id, [...config.ssoProviders]);
  const metrics = createMetrics();
  if (store.pgPool) metrics.watchPool(store.pgPool);
  const runtime: Runtime = {
    config,
    store,
    organizationId: org.id,
    keys: new KeySourceRegistry({ allowInsecureLocal: config.allowInsecureIssuers, proxy: config.outboundProxy, onFetch: observeKeyFetch(metrics) }),
    metrics,
    publicUrl: config.publicUrl ?? `http://localhost:${config.port}`,
    secrets,
    closed: false,
    async close() {
      runtime.closed = true;
      metrics.close();
      await store.close();
    },
  };
  return runtime;
}

/** Every fetch of an issuer's keys is counted; a failed one is logged (the console shows it too). */
const observeKeyFetch = (metrics: Metrics) => (issuerId: string, error: Error | undefined) => {
  metrics.observeKeyFetch(issuerId, error === undefined);
  if (error) logger().warn({ issuer_id: issuerId, detail: error.message }, "fetching an issuer's keys failed");
};

/** Install `runtime` as the process's runtime (the server entry point does this first). */
export function setRuntime(runtime: Runtime): void {
  (globalThis as Holder)[KEY] = Promise.resolve(runtime);
}

/** The process's runtime; created from the environment on first use when no server set one. */
export function getRuntime(): Promise<Runtime> {
  const holder = globalThis as Holder;
  holder[KEY] ??= createRuntime(loadConfig());
  return holder[KEY];
}
