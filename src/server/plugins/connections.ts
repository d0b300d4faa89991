import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { PgBoss } from 'pg-boss';
import type { Fetch } from '../../providers/meta-graph/client.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import type { ConnectDeps } from '../services/connect-account.ts';
import { createConnectDeps } from '../services/connect-deps.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The vault, the configured providers and what the connect services need. */
    connections: ConnectDeps;
  }
}

/** Wires the token vault and the providers for the connected-accounts routes. */
export const connectionsPlugin = fp(
  async (
    app: FastifyInstance,
    { config, fetch, boss, metrics }: { config: Config; fetch: Fetch; boss?: PgBoss; metrics?: Metrics },
  ) => {
    app.decorate(
      'connections',
      createConnectDeps({
        config,
        db: app.db,
        log: app.log as Logger,
        fetch,
        boss,
        mediaStorage: app.mediaStorage,
        metrics,
      }),
    );
  },
  { name: 'connections', dependencies: ['db', 'media-storage'] },
);
