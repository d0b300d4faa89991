import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponse } from '../../contracts/errors.ts';
import { markReadBody, notificationList } from '../../contracts/notifications.ts';
import { listNotifications, markNotificationsRead } from '../services/notifications.ts';
import { userSecurity as security } from './openapi.ts';

const tags = ['notifications'];

/** The signed-in user's in-app notifications about their connections and posts. */
export async function notificationRoutes(app: FastifyInstance) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  app.addHook('preValidation', app.requireUser);

  api.get(
    '/api/notifications',
    {
      config: { scope: 'accounts:read' },
      schema: {
        tags,
        summary: 'Your recent notifications',
        security,
        response: { 200: notificationList, 401: errorResponse },
      },
    },
    async (request) => {
      const { rows, unread } = await listNotifications(app.db, request.user!.id);
      return {
        unread,
        notifications: rows.map((row) => ({
          id: row.id,
          kind: row.kind,
          accountId: row.accountId,
          postId: row.postId,
          title: row.title,
          body: row.body,
          createdAt: row.createdAt.toISOString(),
          readAt: row.readAt?.toISOString() ?? null,
        })),
      };
    },
  );

  api.post(
    '/api/notifications/read',
    {
      config: { scope: 'accounts:write' },
      schema: {
        tags,
        summary: 'Mark notifications as read (all when no ids are given)',
        security,
        body: markReadBody.optional(),
        response: { 204: z.null(), 400: errorResponse, 401: errorResponse },
      },
    },
    async (request, reply) => {
      await markNotificationsRead(app.db, request.user!.id, request.body?.ids);
      return reply.status(204).send(null);
    },
  );
}
