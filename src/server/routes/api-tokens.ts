import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiTokenList, createApiTokenBody, createdApiToken } from '../../contracts/api-tokens.ts';
import { errorResponse } from '../../contracts/errors.ts';
import { notFound } from '../errors.ts';
import { type ApiTokenSummary, createApiToken, listApiTokens, revokeApiToken } from '../services/api-tokens.ts';
import { sessionSecurity as security, userSecurity } from './openapi.ts';

const serialize = (token: ApiTokenSummary) => ({
  ...token,
  createdAt: token.createdAt.toISOString(),
  lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
});

/** Personal API tokens of the signed-in user. Only a session lists and creates them, so a token cannot make a wider one. */
export async function apiTokenRoutes(app: FastifyInstance) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  app.addHook('preValidation', app.requireUser);

  api.get(
    '/api/api-tokens',
    {
      config: { scope: 'session' },
      schema: {
        tags: ['api tokens'],
        summary: 'List your API tokens',
        security,
        response: { 200: apiTokenList, 401: errorResponse },
      },
    },
    async (request) => ({ tokens: (await listApiTokens(app.db, request.user!.id)).map(serialize) }),
  );

  api.post(
    '/api/api-tokens',
    {
      config: { scope: 'session' },
      schema: {
        tags: ['api tokens'],
        summary: 'Create an API token (the secret is returned once)',
        security,
        body: createApiTokenBody,
        response: { 201: createdApiToken, 400: errorResponse, 401: errorResponse },
      },
    },
    async (request, reply) => {
      const { token, secret } = await createApiToken(app.db, { userId: request.user!.id, ...request.body });
      return reply.status(201).send({ token: serialize(token), secret });
    },
  );

  api.delete(
    '/api/api-tokens/:id',
    {
      // Revoking only ever takes access away: any token may do it, e.g. a token that leaked, itself.
      config: { scope: 'any' },
      schema: {
        tags: ['api tokens'],
        summary: 'Revoke an API token',
        security: userSecurity,
        params: z.object({ id: z.uuid() }),
        response: { 204: z.null(), 401: errorResponse, 404: errorResponse },
      },
    },
    async (request, reply) => {
      if (!(await revokeApiToken(app.db, { userId: request.user!.id, id: request.params.id })))
        throw notFound('The API token');
      return reply.status(204).send(null);
    },
  );
}
