import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { PgBoss } from 'pg-boss';
import { z } from 'zod';
import { adminOverview, adminOverviewQuery, retriedJob } from '../../contracts/admin.ts';
import { errorResponse } from '../../contracts/errors.ts';
import { AppError } from '../errors.ts';
import { adminOverview as readOverview, retryFailedJob, retryFailedTarget } from '../services/admin-overview.ts';
import { isAdmin } from '../services/admins.ts';
import { currentUsage } from '../services/provider-usage.ts';
import { userSecurity as security } from './openapi.ts';

const tags = ['admin'];
const errors = { 400: errorResponse, 401: errorResponse, 403: errorResponse };

/**
 * The admin area's API, for users flagged admin (sessions, or API tokens with the `admin` scope
 * whose user is admin). Everyone else gets 403.
 */
export async function adminRoutes(app: FastifyInstance, { boss }: { boss?: PgBoss }) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const requireAdmin = async (request: FastifyRequest) => {
    await app.requireUser(request);
    if (!(await isAdmin(app.db, request.user!.id)))
      throw new AppError('FORBIDDEN', 'Only administrators of this Tether instance can use the admin area.');
  };
  app.addHook('preValidation', requireAdmin);
  const queue = () => {
    if (!boss) throw new AppError('UNAVAILABLE', 'Retrying needs the job queue, which is not running here.');
    return boss;
  };

  api.get(
    '/api/admin/overview',
    {
      config: { scope: 'admin' },
      schema: {
        tags,
        summary: 'Success rates, errors, accounts to reconnect, queues, failed jobs and usage levels',
        description:
          'Connect and publishing success rates with a series per hour or day over the window, errors by provider and where they happened, accounts that need reconnecting, job queue depth and the oldest waiting job, recent failed jobs, and current usage against the platforms’ limits.',
        security,
        querystring: adminOverviewQuery,
        response: { 200: adminOverview, ...errors },
      },
    },
    async (request) =>
      readOverview(app.db, {
        window: request.query.window,
        bucket: request.query.bucket,
        now: new Date(app.connections.now()),
        boss,
        usage: await currentUsage(app.db),
      }),
  );

  api.post(
    '/api/admin/failed-targets/:id/retry',
    {
      config: { scope: 'admin' },
      schema: {
        tags,
        summary: "Publish a failed post target again, as its owner's Retry would",
        security,
        params: z.object({ id: z.uuid() }),
        response: { 200: retriedJob, ...errors, 404: errorResponse, 409: errorResponse, 503: errorResponse },
      },
    },
    async (request) => {
      const { postId, ownerId } = await retryFailedTarget(app.connections, queue(), request.params.id);
      request.log.info(
        { adminId: request.user!.id, targetId: request.params.id, postId, ownerId },
        'admin retried a failed post target',
      );
      return { retried: true as const };
    },
  );

  api.post(
    '/api/admin/failed-jobs/:queue/:id/retry',
    {
      config: { scope: 'admin' },
      schema: {
        tags,
        summary: 'Run a failed background job again',
        security,
        params: z.object({ queue: z.string().min(1).max(100), id: z.uuid() }),
        response: { 200: retriedJob, ...errors, 404: errorResponse, 409: errorResponse, 503: errorResponse },
      },
    },
    async (request) => {
      const { queue: name, id } = request.params;
      await retryFailedJob(app.db, queue(), name, id);
      request.log.info({ adminId: request.user!.id, queue: name, jobId: id }, 'admin retried a failed job');
      return { retried: true as const };
    },
  );
}
