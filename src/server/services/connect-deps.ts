import type { PgBoss } from 'pg-boss';
import type { Fetch } from '../../providers/meta-graph/client.ts';
import { MetaThrottle } from '../../providers/meta-graph/throttle.ts';
import { createProviders } from '../../providers/registry.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import type { Logger } from '../logger.ts';
import { LocalDiskStorage, mediaRoot } from '../media/local-disk-storage.ts';
import type { MediaStorage } from '../media/storage.ts';
import { countedFetch, type Metrics } from '../metrics.ts';
import { Keyring } from '../vault/keyring.ts';
import { Vault } from '../vault/vault.ts';
import type { ConnectDeps } from './connect-account.ts';
import { providerApis, providerOrigins, restrictedFetch } from './outbound.ts';
import { saveUsage } from './provider-usage.ts';

/**
 * The vault, the configured providers and the media storage (the one given, else the local disk
 * under DATA_DIR/media), for the HTTP routes and the background jobs alike.
 */
export function createConnectDeps(input: {
  config: Config;
  db: Database;
  log: Logger;
  fetch?: Fetch;
  now?: () => number;
  boss?: PgBoss;
  mediaStorage?: MediaStorage;
  metrics?: Metrics;
}): ConnectDeps {
  const keyring = new Keyring(input.config.tokenEncryptionKeys);
  const deps: ConnectDeps = {
    db: input.db,
    keyring,
    vault: new Vault(keyring),
    providers: {},
    publicUrl: input.config.publicUrl,
    log: input.log,
    now: input.now ?? Date.now,
    boss: input.boss,
    mediaStorage: input.mediaStorage ?? new LocalDiskStorage(mediaRoot(input.config.dataDir)),
    webhookPrivateTargets: input.config.webhookPrivateTargets,
    metrics: input.metrics,
    publishPrepareAheadMs: input.config.publishPrepareAheadMs,
  };
  // Providers read the time through the deps, so a clock swapped in (tests) reaches them too.
  const restricted = restrictedFetch(input.fetch ?? fetch, providerOrigins(input.config));
  const { metrics } = input;
  // Meta's usage levels: kept per process for pacing, stored when they change for every process to show.
  const throttle = new MetaThrottle({
    thresholdPercent: input.config.metaThrottlePercent,
    now: () => deps.now(),
    onReport: (report) =>
      void saveUsage(input.db, report).catch((error: unknown) =>
        input.log.warn({ err: error, scope: report.scope }, 'could not store Meta usage'),
      ),
    onHold: metrics ? (hold) => metrics.metaThrottleHolds.inc(hold) : undefined,
  });
  deps.providers = createProviders(input.config, {
    fetch: metrics ? countedFetch(restricted, metrics, providerApis(input.config)) : restricted,
    now: () => deps.now(),
    onUsage: metrics?.recordUsage,
    throttle,
    timeoutMs: input.config.platformTimeoutMs,
  });
  return deps;
}
