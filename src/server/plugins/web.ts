import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { notFound } from '../errors.ts';

/** Paths that belong to the server; everything else is a page of the single-page app. */
const SERVER_PATHS = /^\/(api|docs|openapi\.json|health|sandbox|webhooks|data-deletion|metrics|media)(\/|$|\?)/;
const HASHED_ASSET = /\/assets\//;

/**
 * Serves the built web app (`npm run build` writes dist/web) with an index.html fallback for
 * client-side routes. Unknown server paths and non-GET requests get the JSON 404.
 */
export const webPlugin = fp(
  async (app: FastifyInstance, { root }: { root: string }) => {
    const built = fs.existsSync(path.join(root, 'index.html'));
    if (built) {
      await app.register(fastifyStatic, {
        root,
        wildcard: false,
        index: false,
        setHeaders(res, filePath) {
          res.header('cache-control', HASHED_ASSET.test(filePath) ? 'public, max-age=31536000, immutable' : 'no-cache');
        },
      });
    } else {
      app.log.warn({ root }, 'web app not built: run `npm run build` (API and docs still work)');
    }
    app.setNotFoundHandler((request, reply) => {
      const wantsPage = (request.method === 'GET' || request.method === 'HEAD') && !SERVER_PATHS.test(request.url);
      if (built && wantsPage) return reply.header('cache-control', 'no-cache').sendFile('index.html');
      throw notFound(`${request.method} ${request.url.split('?')[0]}`);
    });
  },
  { name: 'web' },
);
