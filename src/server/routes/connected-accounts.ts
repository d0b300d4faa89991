import { desc, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { connectedAccountList } from '../../contracts/connected-accounts.ts';
import { errorResponse } from '../../contracts/errors.ts';
import { connectedAccounts } from '../db/schema/index.ts';
import { userSecurity } from './openapi.ts';

const iso = (date: Date | null) => date?.toISOString() ?? null;

/** The signed-in user's connected social accounts. Tokens never leave the vault. */
export async function connectedAccountRoutes(app: FastifyInstance) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  app.addHook('preHandler', app.requireUser);

  api.get(
    '/api/connected-accounts',
    {
      schema: {
        tags: ['connected accounts'],
        summary: 'List your connected accounts',
        security: userSecurity,
        response: { 200: connectedAccountList, 401: errorResponse },
      },
    },
    async (request) => {
      const rows = await app.db
        .select()
        .from(connectedAccounts)
        .where(eq(connectedAccounts.userId, request.user!.id))
        .orderBy(desc(connectedAccounts.createdAt));
      return {
        accounts: rows.map((row) => ({
          id: row.id,
          provider: row.provider,
          username: row.username,
          displayName: row.displayName,
          profilePictureUrl: row.profilePictureUrl,
          parent: row.parent,
          status: row.status,
          statusReason: row.statusReason,
          tokenExpiresAt: iso(row.tokenExpiresAt),
          dataAccessExpiresAt: iso(row.dataAccessExpiresAt),
          lastRefreshedAt: iso(row.lastRefreshedAt),
          grantedScopes: row.grantedScopes,
          createdAt: row.createdAt.toISOString(),
        })),
      };
    },
  );
}
