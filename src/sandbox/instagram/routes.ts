import type { FastifyInstance } from 'fastify';
import type { Sandbox } from '../core/sandbox.ts';
import { instagramControlRoutes } from './control-routes.ts';
import { instagramGraphTokenRoutes } from './graph-token-routes.ts';
import { instagramDialogRoutes } from './oauth-dialog.ts';
import { instagramTokenRoutes } from './oauth-token.ts';
import { instagramPublishingRoutes } from './publishing-routes.ts';
import { instagramGraphReaders } from './readers.ts';
import { instagramRuploadRoutes } from './rupload-routes.ts';

/** Registers every Instagram host the sandbox emulates; each plugin keeps its own error envelope. */
export async function instagramRoutes(app: FastifyInstance, options: { sandbox: Sandbox }) {
  await app.register(instagramDialogRoutes, options);
  await app.register(instagramTokenRoutes, options);
  await app.register(instagramGraphTokenRoutes, options);
  await app.register(instagramPublishingRoutes, options);
  await app.register(instagramRuploadRoutes, options);
  await app.register(instagramControlRoutes, options);
  options.sandbox.graphReaders.push(...instagramGraphReaders(options.sandbox));
}
