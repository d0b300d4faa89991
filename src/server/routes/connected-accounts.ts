import rateLimit from '@fastify/rate-limit';
import { desc, eq } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  connectBody,
  connectedAccountDetail,
  connectedAccountList,
  connectResponse,
  providerId,
} from '../../contracts/connected-accounts.ts';
import { errorResponse } from '../../contracts/errors.ts';
import { connectedAccounts } from '../db/schema/index.ts';
import { addLogContext } from '../log-context.ts';
import { CONNECT_RATE_LIMIT, USER_RATE_LIMIT } from '../plugins/user-rate-limit.ts';
import { listEvents } from '../services/account-events.ts';
import { startConnect } from '../services/connect-account.ts';
import { refreshAccountNow } from '../services/keep-alive.ts';
import { type AccountRow, disconnectAccount, findOwnedAccount } from '../services/manage-account.ts';
import { userSecurity as security } from './openapi.ts';

const iso = (date: Date | null) => date?.toISOString() ?? null;

/** An account as the API shows it: never a token. */
export const serializeAccount = (row: AccountRow) => ({
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
  refreshTokenExpiresAt: iso(row.refreshTokenExpiresAt),
  lastRefreshedAt: iso(row.lastRefreshedAt),
  grantedScopes: row.grantedScopes,
  createdAt: row.createdAt.toISOString(),
});

const tags = ['connected accounts'];
const idParams = z.object({ id: z.uuid() });

/** The signed-in user's connected social accounts. Every route answers only for the owner. */
export async function connectedAccountRoutes(app: FastifyInstance) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  app.addHook('preValidation', app.requireUser);
  app.addHook('preHandler', async (request) => {
    const { id } = request.params as { id?: string };
    if (id) addLogContext({ accountId: id });
  });
  await app.register(rateLimit, USER_RATE_LIMIT);

  const detail = async (row: AccountRow) => ({
    ...serializeAccount(row),
    lastCheckedAt: iso(row.lastCheckedAt),
    events: (await listEvents(app.db, row.id)).map((event) => ({ ...event, createdAt: event.createdAt.toISOString() })),
  });

  api.get(
    '/api/connected-accounts',
    {
      config: { scope: 'accounts:read' },
      schema: {
        tags,
        summary: 'List your connected accounts',
        security,
        response: { 200: connectedAccountList, 401: errorResponse },
      },
    },
    async (request, reply) => {
      const userId = request.user!.id;
      // Made and checked against the response schema once per change, then kept by the read cache.
      const body = await app.readCache.accountList(request, userId, async () => {
        const rows = await app.db
          .select()
          .from(connectedAccounts)
          .where(eq(connectedAccounts.userId, userId))
          .orderBy(desc(connectedAccounts.createdAt));
        return JSON.stringify(z.encode(connectedAccountList, { accounts: rows.map(serializeAccount) }));
      });
      // A JSON string with a JSON content type goes out as it is, past the route's serializer.
      return (reply as FastifyReply).type('application/json; charset=utf-8').send(body);
    },
  );

  api.get(
    '/api/connected-accounts/:id',
    {
      config: { scope: 'accounts:read' },
      schema: {
        tags,
        summary: 'One connected account with its recent events',
        security,
        params: idParams,
        response: { 200: connectedAccountDetail, 401: errorResponse, 404: errorResponse },
      },
    },
    async (request) =>
      detail(await findOwnedAccount(app.db, { userId: request.user!.id, accountId: request.params.id })),
  );

  api.post(
    '/api/connected-accounts/:id/refresh',
    {
      config: { scope: 'accounts:write' },
      schema: {
        tags,
        summary: 'Refresh the tokens, or re-validate them where the platform cannot refresh',
        security,
        params: idParams,
        response: {
          200: connectedAccountDetail,
          401: errorResponse,
          404: errorResponse,
          409: errorResponse,
          502: errorResponse,
        },
      },
    },
    async (request) =>
      detail(await refreshAccountNow(app.connections, { userId: request.user!.id, accountId: request.params.id })),
  );

  api.delete(
    '/api/connected-accounts/:id',
    {
      config: { scope: 'accounts:write' },
      schema: {
        tags,
        summary: 'Disconnect: revoke at the platform where possible and delete the credentials',
        security,
        params: idParams,
        response: { 204: z.null(), 401: errorResponse, 404: errorResponse },
      },
    },
    async (request, reply) => {
      await disconnectAccount(app.connections, { userId: request.user!.id, accountId: request.params.id });
      return reply.status(204).send(null);
    },
  );

  api.post(
    '/api/connected-accounts/connect/:provider',
    {
      config: { scope: 'accounts:write', rateLimit: CONNECT_RATE_LIMIT },
      schema: {
        tags,
        summary: "Start connecting an account: returns the platform's login URL",
        security,
        params: z.object({ provider: providerId }),
        body: connectBody.optional(),
        response: {
          200: connectResponse,
          400: errorResponse,
          401: errorResponse,
          404: errorResponse,
          429: errorResponse,
        },
      },
    },
    async (request) => {
      const { loginUrl, state } = await startConnect(app.connections, {
        userId: request.user!.id,
        provider: request.params.provider,
        reconnectAccountId: request.body?.reconnectAccountId,
      });
      return { loginUrl, state };
    },
  );
}
