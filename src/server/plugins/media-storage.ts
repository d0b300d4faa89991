import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { LocalDiskStorage, mediaRoot } from '../media/local-disk-storage.ts';
import type { MediaStorage } from '../media/storage.ts';

declare module 'fastify' {
  interface FastifyInstance {
    mediaStorage: MediaStorage;
  }
}

/**
 * Exposes the media storage: the one given (another backend, or a test double) or the local
 * disk under DATA_DIR/media, whose leftovers of crashed uploads are swept at start.
 */
export const mediaStoragePlugin = fp(
  async (app: FastifyInstance, { dataDir, storage }: { dataDir: string; storage?: MediaStorage }) => {
    if (storage) {
      app.decorate('mediaStorage', storage);
      return;
    }
    const local = new LocalDiskStorage(mediaRoot(dataDir));
    const removed = await local.removeStaleTemporaryFiles();
    if (removed > 0) app.log.info({ removed }, 'removed unfinished media uploads');
    app.decorate('mediaStorage', local);
  },
  { name: 'media-storage' },
);
