import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Sandbox } from '../../sandbox/core/sandbox.ts';
import { seedDefaultWorkspace } from '../../sandbox/seed.ts';
import { buildSandboxServer } from '../../sandbox/server.ts';
import { SANDBOX_MOUNT_PATH } from '../config.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The provider sandbox mounted at /sandbox, when sandbox mode is on. */
    sandbox?: Sandbox;
  }
}

/**
 * Sandbox mode: the provider emulator runs in this process and answers everything under
 * /sandbox. Requests are handed over raw (body unread), so the sandbox parses them exactly as
 * it does when it runs on its own.
 */
export const sandboxPlugin = fp(
  async (app: FastifyInstance, { publicUrl }: { publicUrl: string }) => {
    const sandbox = new Sandbox(`${publicUrl}${SANDBOX_MOUNT_PATH}`);
    seedDefaultWorkspace(sandbox);
    const server = await buildSandboxServer({ sandbox, mountPath: SANDBOX_MOUNT_PATH });
    await server.ready();
    app.decorate('sandbox', sandbox);
    app.addHook('onClose', () => server.close());

    await app.register(async (scope) => {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', (_request, _payload, done) => done(null));
      const forward = (request: FastifyRequest, reply: FastifyReply) => {
        reply.hijack();
        server.routing(request.raw, reply.raw);
      };
      for (const url of [SANDBOX_MOUNT_PATH, `${SANDBOX_MOUNT_PATH}/*`]) {
        scope.route({
          method: ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'],
          url,
          schema: { hide: true },
          handler: forward,
        });
      }
    });
  },
  { name: 'sandbox' },
);
