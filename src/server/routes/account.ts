import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { PgBoss } from 'pg-boss';
import { accountDeletion, deleteAccountBody } from '../../contracts/account.ts';
import { errorResponse } from '../../contracts/errors.ts';
import type { Config } from '../config.ts';
import { AppError } from '../errors.ts';
import { toWebHeaders } from '../plugins/auth.ts';
import { lockOutUser } from '../services/delete-account.ts';
import { findDataDeletion, requestDataDeletion, runDataDeletion } from '../services/meta-compliance.ts';
import { recordSignInFailure, signInRetryAfter } from '../services/sign-in-throttle.ts';
import { sessionSecurity } from './openapi.ts';

/** The request deletes the account itself; its job only runs if the request did not finish by then. */
const FALLBACK_AFTER_SECONDS = 5 * 60;

/** The signed-in user's own account. */
export async function accountRoutes(app: FastifyInstance, { config, boss }: { config: Config; boss?: PgBoss }) {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.delete(
    '/api/me',
    {
      config: { scope: 'session' },
      preValidation: app.requireUser,
      schema: {
        tags: ['system'],
        summary: 'Delete your account and all its data',
        description:
          'Confirmed with your current password. Revokes your connections at the platforms that allow it, deletes ' +
          'your media files, connected accounts, posts, webhooks, API tokens, sessions and notifications, and keeps ' +
          'only a record that a deletion happened (no personal data). Your sessions and tokens stop working at once; ' +
          'if the rest cannot finish now, a background job completes it.',
        security: sessionSecurity,
        body: deleteAccountBody,
        response: {
          200: accountDeletion,
          400: errorResponse,
          401: errorResponse,
          403: errorResponse,
          429: errorResponse,
          503: errorResponse,
        },
      },
    },
    async (request, reply) => {
      const { id: userId, email } = request.user!;
      if (!boss)
        throw new AppError('UNAVAILABLE', 'Deleting an account needs the job queue, which is not running here.');
      // Password guesses here count with failed sign-ins, so a stolen session cannot try many.
      const retryAfter = await signInRetryAfter(app.db, email);
      if (retryAfter !== null) {
        reply.header('retry-after', String(retryAfter));
        throw new AppError('RATE_LIMITED', 'Too many wrong passwords. Try again later.');
      }
      try {
        await app.auth.api.verifyPassword({
          body: { password: request.body.password },
          headers: toWebHeaders(request),
        });
      } catch {
        await recordSignInFailure(app.db, email);
        throw new AppError('PASSWORD_INCORRECT');
      }
      const deletion = await requestDataDeletion(
        app.db,
        boss,
        { source: 'user', subjectId: userId },
        { alsoInTransaction: (tx) => lockOutUser(tx, userId), startAfterSeconds: FALLBACK_AFTER_SECONDS },
      );
      try {
        await runDataDeletion(app.connections, deletion.id);
      } catch (error) {
        request.log.error(
          { err: error, deletionId: deletion.id },
          'account deletion interrupted; its job will finish it',
        );
      }
      const recorded = await findDataDeletion(app.db, deletion.confirmationCode);
      return {
        status: recorded?.status === 'completed' ? ('completed' as const) : ('pending' as const),
        statusUrl: `${config.publicUrl}/data-deletion/${deletion.confirmationCode}`,
      };
    },
  );
}
