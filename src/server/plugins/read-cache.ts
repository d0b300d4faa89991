import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { ReadCache } from '../services/read-cache.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The process's cache of principals and account lists (services/read-cache.ts). */
    readCache: ReadCache;
  }
}

/** Subscribes the process's read cache to the database's change feed for the app's lifetime. */
export const readCachePlugin = fp(
  async (app: FastifyInstance) => {
    const cache = new ReadCache();
    await cache.start(app.database);
    app.decorate('readCache', cache);
    app.addHook('onClose', () => cache.stop());
  },
  { name: 'read-cache', dependencies: ['db'] },
);
