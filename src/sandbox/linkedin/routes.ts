import type { FastifyInstance } from 'fastify';
import { CONTROL_PREFIX, SANDBOX_HOSTS } from '../core/hosts.ts';
import type { Sandbox } from '../core/sandbox.ts';
import { linkedinControlRoutes } from './control-routes.ts';
import { identityRoutes } from './identity-routes.ts';
import { imagesRoutes, uploadRoutes } from './images-routes.ts';
import { oauthAuthorizeRoutes } from './oauth-authorize-routes.ts';
import { oauthTokenRoutes } from './oauth-token-routes.ts';
import { organizationRoutes } from './organization-routes.ts';
import { postsRoutes } from './posts-routes.ts';
import { restErrorHandler } from './rest-errors.ts';

/** api.linkedin.com: one error envelope for the OIDC and the versioned REST endpoints. */
async function apiRoutes(app: FastifyInstance, { sandbox }: { sandbox: Sandbox }) {
  app.setErrorHandler(restErrorHandler);
  // Only the sandbox: passing the whole options object on would repeat this plugin's prefix.
  const options = { sandbox };
  await app.register(identityRoutes, options);
  await app.register(postsRoutes, options);
  await app.register(imagesRoutes, options);
  await app.register(organizationRoutes, options);
}

/** Registers every LinkedIn host the sandbox emulates, and LinkedIn's control routes. */
export async function linkedinRoutes(app: FastifyInstance, options: { sandbox: Sandbox }) {
  const www = SANDBOX_HOSTS.linkedinWww.prefix;
  await app.register(oauthAuthorizeRoutes, { ...options, prefix: www });
  await app.register(oauthTokenRoutes, { ...options, prefix: www });
  await app.register(uploadRoutes, { ...options, prefix: www });
  await app.register(apiRoutes, { ...options, prefix: SANDBOX_HOSTS.linkedinApi.prefix });
  await app.register(linkedinControlRoutes, { ...options, prefix: `${CONTROL_PREFIX}/linkedin` });
}
