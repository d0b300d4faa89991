import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { errorResponse } from '../../contracts/errors.ts';
import { instanceInfo, sessionUser } from '../../contracts/instance.ts';
import type { Config } from '../config.ts';
import { isAdmin } from '../services/admins.ts';
import { version } from '../version.ts';
import { userSecurity } from './openapi.ts';

export async function instanceRoutes(app: FastifyInstance, { config }: { config: Config }) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get(
    '/api/instance',
    {
      schema: {
        tags: ['system'],
        summary: 'What this Tether instance runs in (public)',
        response: { 200: instanceInfo },
      },
    },
    async () => ({ version, sandbox: config.sandbox, publicUrl: config.publicUrl }),
  );
  api.get(
    '/api/me',
    {
      config: { scope: 'any' },
      preValidation: app.requireUser,
      schema: {
        tags: ['system'],
        summary: 'The signed-in user (session cookie or API token)',
        security: userSecurity,
        response: { 200: sessionUser, 401: errorResponse },
      },
    },
    async (request) => ({ ...request.user!, isAdmin: await isAdmin(app.db, request.user!.id) }),
  );
}
