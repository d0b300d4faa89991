import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { flowView, providerId, selectBody, selectResponse } from '../../contracts/connected-accounts.ts';
import { errorResponse } from '../../contracts/errors.ts';
import { ConnectFailure, completeConnect, getSelectableFlow, selectCandidates } from '../services/connect-account.ts';
import { userSecurity as security } from './openapi.ts';

/** Where every connect flow ends in the web app. */
export const ACCOUNTS_PAGE = '/settings/social-accounts';

/**
 * The OAuth redirect URI registered with each platform, and the account picker. Redirects only
 * ever go to the app's own pages.
 */
export async function oauthRoutes(app: FastifyInstance) {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/api/oauth/callback/:provider',
    {
      schema: {
        tags: ['connected accounts'],
        summary: 'OAuth redirect URI: completes a connect flow in the browser that started it',
        params: z.object({ provider: providerId }),
        querystring: z.record(z.string(), z.string()),
      },
    },
    async (request, reply) => {
      const user = await app.currentUser(request);
      try {
        const outcome = await completeConnect(app.connections, {
          userId: user?.id ?? null,
          provider: request.params.provider,
          query: request.query,
        });
        // The provider lets the picker start the same flow again once this one has expired.
        if (outcome.kind === 'select')
          return reply.redirect(
            `${ACCOUNTS_PAGE}/select/${outcome.flowId}?${new URLSearchParams({ provider: request.params.provider })}`,
          );
        const params = new URLSearchParams({ connected: outcome.accountIds.join(',') });
        // `reason:name`; the reason is a fixed word, so the first colon splits them.
        for (const { reason, name } of outcome.skipped) params.append('skipped', `${reason}:${name}`);
        return reply.redirect(`${ACCOUNTS_PAGE}?${params}`);
      } catch (error) {
        if (!(error instanceof ConnectFailure)) throw error;
        request.log.info({ errorCode: error.code, detail: error.message }, 'connect flow failed');
        // The provider lets the page name the platform the login happened on.
        const params = new URLSearchParams({ error: error.code, provider: request.params.provider });
        return reply.redirect(`${ACCOUNTS_PAGE}?${params}`);
      }
    },
  );

  api.get(
    '/api/oauth/flows/:flowId',
    {
      config: { scope: 'accounts:read' },
      preValidation: app.requireUser,
      schema: {
        tags: ['connected accounts'],
        summary: 'The accounts found by a connect flow, to pick from',
        security,
        params: z.object({ flowId: z.uuid() }),
        response: { 200: flowView, 401: errorResponse, 404: errorResponse },
      },
    },
    async (request) => {
      const flow = await getSelectableFlow(app.connections, {
        userId: request.user!.id,
        flowId: request.params.flowId,
      });
      return {
        id: flow.id,
        provider: flow.provider,
        status: flow.status,
        expiresAt: flow.expiresAt.toISOString(),
        candidates: flow.candidates.map((candidate) => ({
          id: candidate.externalId,
          username: candidate.username,
          displayName: candidate.displayName,
          profilePictureUrl: candidate.profilePictureUrl,
          parent: candidate.parent,
          alreadyConnected: candidate.connectedAccountId !== null,
        })),
        problems: flow.problems,
      };
    },
  );

  api.post(
    '/api/oauth/flows/:flowId/select',
    {
      config: { scope: 'accounts:write' },
      preValidation: app.requireUser,
      schema: {
        tags: ['connected accounts'],
        summary: 'Connect the picked accounts of a flow',
        security,
        params: z.object({ flowId: z.uuid() }),
        body: selectBody,
        response: {
          200: selectResponse,
          400: errorResponse,
          401: errorResponse,
          404: errorResponse,
          409: errorResponse,
        },
      },
    },
    async (request) => ({
      accountIds: await selectCandidates(app.connections, {
        userId: request.user!.id,
        flowId: request.params.flowId,
        externalIds: request.body.candidateIds,
      }),
    }),
  );
}
