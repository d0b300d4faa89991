import { randomUUID } from 'node:crypto';
import fastifyRequestContext, { asyncLocalStorage, requestContext } from '@fastify/request-context';
import { type FastifyInstance, type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Correlation ids every log line carries while a request or a job runs, however deep the call
 * that logs: one filter on `postId` (or `accountId`, `requestId`, `jobId`) follows a post from
 * the request that created it through every publish run. The logger's mixin reads them from
 * one async-local store, which requests enter in `onRequest` and jobs around their handler.
 */
export interface LogContext {
  requestId?: string;
  jobId?: string;
  queue?: string;
  accountId?: string;
  postId?: string;
  targetId?: string;
}

declare module '@fastify/request-context' {
  interface RequestContextData extends LogContext {}
}

/** The correlation ids of the request or job running now (empty outside of both). */
export const currentLogContext = (): LogContext => requestContext.getStore() ?? {};

/** Adds ids learnt along the way (the post a request created, the account a job works on). */
export function addLogContext(fields: LogContext): void {
  const store = requestContext.getStore();
  if (store) Object.assign(store, fields);
}

/** Runs a job's handler with its own ids; everything it logs carries them. */
export function withLogContext<T>(fields: LogContext, run: () => Promise<T>): Promise<T> {
  // The library types its store as the accessor object; the stored value is the data itself.
  return (asyncLocalStorage as unknown as { run(store: LogContext, fn: () => Promise<T>): Promise<T> }).run(
    { ...fields },
    run,
  );
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * A request's id: the caller's `X-Request-Id` when it is a plain token (a proxy's id), otherwise
 * a new UUID. It is echoed in the response's `X-Request-Id`.
 */
export function requestIdOf(request: { headers: Record<string, string | string[] | undefined> }): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/**
 * Fastify's per-request log lines: one line per request, when it completes, with the request id
 * in the line itself (a response finishes outside the request's log context).
 */
export class RequestLogController extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const line = {
      requestId: request.id,
      req: request,
      statusCode: reply.statusCode,
      responseTimeMs: Math.round(reply.elapsedTime),
    };
    if (error) request.log.error({ ...line, err: error }, 'request errored');
    else request.log.info(line, 'request completed');
  }
}

export const logContextPlugin = fp(
  async (app: FastifyInstance) => {
    await app.register(fastifyRequestContext, {
      defaultStoreValues: (request: FastifyRequest) => ({ requestId: request.id }),
    });
    app.addHook('onRequest', async (request, reply) => {
      reply.header('x-request-id', request.id);
    });
  },
  { name: 'log-context' },
);
