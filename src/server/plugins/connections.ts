import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Fetch } from '../../providers/meta-graph/client.ts';
import { createProviders } from '../../providers/registry.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { ConnectDeps } from '../services/connect-account.ts';
import { Keyring } from '../vault/keyring.ts';
import { Vault } from '../vault/vault.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The vault, the configured providers and what the connect services need. */
    connections: ConnectDeps;
  }
}

/** Wires the token vault and the providers for the connected-accounts routes. */
export const connectionsPlugin = fp(
  async (app: FastifyInstance, { config, fetch }: { config: Config; fetch: Fetch }) => {
    const keyring = new Keyring(config.tokenEncryptionKeys);
    app.decorate('connections', {
      db: app.db,
      keyring,
      vault: new Vault(keyring),
      providers: createProviders(config, { fetch, now: Date.now }),
      publicUrl: config.publicUrl,
      log: app.log as Logger,
    });
  },
  { name: 'connections', dependencies: ['db'] },
);
