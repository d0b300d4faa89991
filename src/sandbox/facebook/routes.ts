import type { FastifyInstance } from 'fastify';
import { graphErrorHandler } from '../core/graph.ts';
import { CONTROL_PREFIX, SANDBOX_HOSTS } from '../core/hosts.ts';
import type { Sandbox } from '../core/sandbox.ts';
import { facebookControlRoutes } from './control-routes.ts';
import { facebookDialogRoutes } from './dialog-routes.ts';
import { facebookMeRoutes } from './me-routes.ts';
import { facebookOAuthRoutes } from './oauth-routes.ts';
import { facebookPublishRoutes } from './publish-routes.ts';
import { pageReader, videoReader } from './readers.ts';

/** Graph routes on graph.facebook.com, in their own context so Graph's error envelope applies. */
async function facebookGraphRoutes(app: FastifyInstance, { sandbox }: { sandbox: Sandbox }) {
  app.setErrorHandler(graphErrorHandler);
  for (const routes of [facebookOAuthRoutes, facebookMeRoutes, facebookPublishRoutes])
    await app.register(routes, { sandbox, prefix: SANDBOX_HOSTS.facebookGraph.prefix });
}

/** Registers every Facebook host the sandbox emulates. */
export async function facebookRoutes(app: FastifyInstance, { sandbox }: { sandbox: Sandbox }) {
  await app.register(facebookDialogRoutes, { sandbox });
  await app.register(facebookGraphRoutes, { sandbox });
  await app.register(facebookControlRoutes, { prefix: `${CONTROL_PREFIX}/facebook`, sandbox });
  sandbox.graphReaders.push(pageReader(sandbox), videoReader(sandbox));
}
