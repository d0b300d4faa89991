import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { controlRoutes } from './control/routes.ts';
import type { Fault, RandomFaultKind } from './core/faults.ts';
import {
  GraphError,
  graphErrorHandler,
  graphErrors,
  graphParams,
  sendGraphError,
  stripGraphVersion,
} from './core/graph.ts';
import { CONTROL_PREFIX, SANDBOX_HOSTS } from './core/hosts.ts';
import type { Sandbox } from './core/sandbox.ts';
import { facebookRoutes } from './facebook/routes.ts';
import { instagramRoutes } from './instagram/routes.ts';
import { RestError, restErrors } from './linkedin/rest-errors.ts';
import { linkedinRoutes } from './linkedin/routes.ts';
import { mediaRoutes } from './media/routes.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Stable name of a sandbox endpoint, used to queue faults and to filter the request log. */
    endpoint?: string;
  }
}

/** Uploads (videos, LinkedIn images) can be large; the platforms' own limits are checked per endpoint. */
const SANDBOX_BODY_LIMIT_BYTES = 320 * 1024 * 1024;
/** How long a `timeout` fault holds a request before dropping the connection. */
export const TIMEOUT_FAULT_MS = 30_000;

const GRAPH_PREFIXES = [SANDBOX_HOSTS.facebookGraph.prefix, SANDBOX_HOSTS.instagramGraph.prefix];

const hostOf = (path: string) =>
  Object.values(SANDBOX_HOSTS).find(({ prefix }) => path === prefix || path.startsWith(`${prefix}/`))?.host ??
  (path.startsWith(CONTROL_PREFIX) ? 'control' : 'unknown');

/** A random fault as the host would answer it: Graph's envelope on Meta's hosts, the REST one on LinkedIn's. */
function randomFault(kind: RandomFaultKind, host: string): Fault {
  if (kind === 'timeout' || kind === 'answer_lost') return { type: 'timeout' };
  const graph = host === SANDBOX_HOSTS.facebookGraph.host || host === SANDBOX_HOSTS.instagramGraph.host;
  const linkedin = host === SANDBOX_HOSTS.linkedinApi.host;
  if (kind === 'server_error') {
    if (graph) {
      const error = new GraphError({
        status: 500,
        code: 2,
        message: 'An unexpected error has occurred. Please retry your request later.',
        isTransient: true,
      });
      return { type: 'response', status: error.status, body: error.toBody() };
    }
    const error = new RestError({ status: 503, message: 'Service Unavailable' });
    return { type: 'response', status: error.status, body: linkedin ? error.toBody() : { error: error.message } };
  }
  if (graph) {
    const message = '(#4) Application request limit reached';
    const error = new GraphError({ code: 4, message, isTransient: true });
    const full = { call_count: 100, total_cputime: 100, total_time: 100 };
    return {
      type: 'response',
      status: error.status,
      body: error.toBody(),
      headers: { 'x-app-usage': JSON.stringify(full) },
    };
  }
  const error = restErrors.throttled('MEMBER');
  return { type: 'response', status: error.status, body: linkedin ? error.toBody() : { error: error.message } };
}

const headersForLog = (request: FastifyRequest) =>
  Object.fromEntries(
    Object.entries(request.headers)
      .filter(([name]) => !['host', 'connection', 'content-length', 'user-agent', 'accept-encoding'].includes(name))
      .map(([name, value]) => [name, String(value)]),
  );

export interface SandboxServerOptions {
  sandbox: Sandbox;
  /** Path the sandbox is mounted under in a bigger server (`/sandbox`), removed before routing. */
  mountPath?: string;
}

/**
 * The sandbox as its own Fastify instance: runnable standalone (`npm run sandbox`) or mounted
 * inside Tether's server, which hands it the raw requests below its mount path.
 */
export async function buildSandboxServer({ sandbox, mountPath = '' }: SandboxServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: false,
    bodyLimit: SANDBOX_BODY_LIMIT_BYTES,
    // Requests held by a timeout fault must not keep the server from closing.
    forceCloseConnections: true,
    rewriteUrl(request) {
      const url = request.url ?? '/';
      const local = mountPath && url.startsWith(mountPath) ? url.slice(mountPath.length) || '/' : url;
      return stripGraphVersion(local, GRAPH_PREFIXES);
    },
  });

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  // Requests whose answer is held once the platform has acted on them (random `answer_lost` faults).
  const answersLost = new WeakSet<FastifyRequest>();
  app.addHook('onRequest', async (request, reply) => {
    const endpoint = request.routeOptions.config?.endpoint;
    const randomKind = endpoint ? sandbox.faults.draw(endpoint) : undefined;
    if (randomKind === 'answer_lost') {
      answersLost.add(request);
      return;
    }
    const fault =
      sandbox.faults.take(endpoint ?? 'unknown') ?? (randomKind && randomFault(randomKind, hostOf(request.url)));
    if (!fault) return;
    if (fault.type === 'latency') {
      await new Promise((resolve) => setTimeout(resolve, fault.ms));
      return;
    }
    if (fault.type === 'timeout') {
      reply.hijack();
      const timer = setTimeout(() => request.raw.destroy(), TIMEOUT_FAULT_MS);
      request.raw.once('close', () => clearTimeout(timer));
      return;
    }
    return reply
      .status(fault.status)
      .headers(fault.headers ?? {})
      .send(fault.body ?? null);
  });

  app.addHook('onSend', async (request, _reply, payload) => {
    const socket = request.raw.socket;
    if (!answersLost.has(request) || !socket) return payload;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, TIMEOUT_FAULT_MS);
      socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    socket.destroy();
    return payload;
  });

  app.addHook('onResponse', async (request, reply) => {
    const path = request.url;
    if (path.startsWith(CONTROL_PREFIX)) return;
    sandbox.log.record({
      at: new Date(sandbox.clock.now()).toISOString(),
      host: hostOf(path),
      endpoint: request.routeOptions.config?.endpoint ?? 'unknown',
      method: request.method,
      path: request.originalUrl.slice(mountPath.length),
      status: reply.statusCode,
      headers: headersForLog(request),
      body: Buffer.isBuffer(request.body) ? `<${request.body.length} bytes>` : (request.body ?? null),
    });
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    if (GRAPH_PREFIXES.some((prefix) => path.startsWith(`${prefix}/`))) {
      const local = path.slice(path.indexOf('/', 1));
      return sendGraphError(reply, new GraphError({ code: 2500, message: `Unknown path components: ${local}` }));
    }
    return reply
      .status(404)
      .send({ error: { code: 'NOT_FOUND', message: `The sandbox has no endpoint ${request.method} ${path}` } });
  });

  await app.register(controlRoutes, { prefix: CONTROL_PREFIX, sandbox });
  await app.register(facebookRoutes, { sandbox });
  await app.register(instagramRoutes, { sandbox });
  await app.register(linkedinRoutes, { sandbox });
  await app.register(mediaRoutes, { prefix: SANDBOX_HOSTS.media.prefix, sandbox });
  await app.register(graphObjectRoutes, { sandbox });
  return app;
}

/** `GET /{object-id}` on both Graph hosts, answered by the readers the families registered. */
async function graphObjectRoutes(app: FastifyInstance, { sandbox }: { sandbox: Sandbox }) {
  app.setErrorHandler(graphErrorHandler);
  for (const host of ['facebookGraph', 'instagramGraph'] as const) {
    app.get(`${SANDBOX_HOSTS[host].prefix}/:id`, { config: { endpoint: 'graph.object' } }, async (request, reply) => {
      const { id } = request.params as { id: string };
      const params = graphParams(request);
      for (const read of sandbox.graphReaders) {
        const found = await read({ id, host, params, request, reply });
        if (found !== undefined) return found;
      }
      throw graphErrors.unknownObject(id);
    });
  }
}
