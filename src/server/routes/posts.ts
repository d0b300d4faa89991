import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { PgBoss } from 'pg-boss';
import { z } from 'zod';
import { errorResponse } from '../../contracts/errors.ts';
import { createPostBody, post, postList, postListQuery, postValidation } from '../../contracts/posts.ts';
import { AppError } from '../errors.ts';
import { addLogContext } from '../log-context.ts';
import { cancelPost, createPost, getPost, listPosts, retryTarget, validatePost } from '../services/posts.ts';
import { userSecurity as security } from './openapi.ts';

const tags = ['posts'];
const idParams = z.object({ id: z.uuid() });

/** Posts of the signed-in user: create (now or scheduled), list, status, cancel, retry a failed target. */
export async function postRoutes(app: FastifyInstance, { boss }: { boss: PgBoss | undefined }) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  app.addHook('preValidation', app.requireUser);
  app.addHook('preHandler', async (request) => {
    const { id } = request.params as { id?: string };
    if (id) addLogContext({ postId: id });
  });
  const queue = () => {
    if (!boss) throw new AppError('UNAVAILABLE', 'Publishing needs the job queue, which is not running here.');
    return boss;
  };

  api.post(
    '/api/posts',
    {
      config: { scope: 'posts:write' },
      schema: {
        tags,
        summary: 'Publish a post now or at `scheduledAt`, to one or more accounts',
        description:
          'Every target is validated for its platform first; a problem anywhere refuses the whole post with POST_INVALID and the problems in `error.details`.',
        security,
        body: createPostBody,
        response: { 201: post, 400: errorResponse, 401: errorResponse, 503: errorResponse },
      },
    },
    async (request, reply) => {
      const created = await createPost(app.connections, queue(), { userId: request.user!.id, body: request.body });
      addLogContext({ postId: created.id });
      request.log.info({ targets: created.targets.length, scheduledAt: created.scheduledAt }, 'post created');
      return reply.status(201).send(created);
    },
  );

  api.post(
    '/api/posts/validate',
    {
      config: { scope: 'posts:write' },
      schema: {
        tags,
        summary: 'Check a post without publishing it (a dry run of creating it)',
        description:
          'Takes the body of `POST /api/posts` and answers the problems that would refuse it, as `POST_INVALID` details would list them; nothing is stored.',
        security,
        body: createPostBody,
        response: { 200: postValidation, 400: errorResponse, 401: errorResponse },
      },
    },
    async (request) => {
      const { problems } = await validatePost(app.connections, { userId: request.user!.id, body: request.body });
      return { problems };
    },
  );

  api.get(
    '/api/posts',
    {
      config: { scope: 'posts:read' },
      schema: {
        tags,
        summary: 'List posts, latest scheduled first',
        security,
        querystring: postListQuery,
        response: { 200: postList, 400: errorResponse, 401: errorResponse },
      },
    },
    async (request) => ({ posts: await listPosts(app.db, { userId: request.user!.id, query: request.query }) }),
  );

  api.get(
    '/api/posts/:id',
    {
      config: { scope: 'posts:read' },
      schema: {
        tags,
        summary: 'A post with the status of each target',
        security,
        params: idParams,
        response: { 200: post, 401: errorResponse, 404: errorResponse },
      },
    },
    async (request) => getPost(app.db, { userId: request.user!.id, postId: request.params.id }),
  );

  api.delete(
    '/api/posts/:id',
    {
      config: { scope: 'posts:write' },
      schema: {
        tags,
        summary: 'Cancel the targets that have not started publishing',
        security,
        params: idParams,
        response: { 200: post, 401: errorResponse, 404: errorResponse, 409: errorResponse },
      },
    },
    async (request) => cancelPost(app.db, { userId: request.user!.id, postId: request.params.id }),
  );

  api.post(
    '/api/posts/:id/targets/:targetId/retry',
    {
      config: { scope: 'posts:write' },
      schema: {
        tags,
        summary: 'Publish a failed target again',
        security,
        params: z.object({ id: z.uuid(), targetId: z.uuid() }),
        response: { 200: post, 401: errorResponse, 404: errorResponse, 409: errorResponse, 503: errorResponse },
      },
    },
    async (request) =>
      retryTarget(app.connections, queue(), {
        userId: request.user!.id,
        postId: request.params.id,
        targetId: request.params.targetId,
      }),
  );
}
