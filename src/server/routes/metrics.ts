import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Database } from '../db/client.ts';
import { AppError } from '../errors.ts';
import type { Metrics } from '../metrics.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** This process's Prometheus metrics (`src/server/metrics.ts`). */
    metrics: Metrics;
  }
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Whether the Authorization header carries `Bearer <token>`, compared in constant time. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const given = /^Bearer (.+)$/i.exec(header ?? '')?.[1] ?? '';
  return timingSafeEqual(digest(given), digest(token));
}

/**
 * Counts every answered request by its route pattern (never the raw URL), and serves the metrics
 * at `GET /metrics` in Prometheus text format to a scraper holding METRICS_TOKEN. Without the
 * setting the endpoint does not exist (404). Not in the OpenAPI document: it is for operators,
 * not API clients, and takes no session or API token.
 */
export const metricsPlugin = fp(
  async (
    app: FastifyInstance,
    { metrics, token, db, jobs }: { metrics: Metrics; token?: string; db: Database; jobs: boolean },
  ) => {
    app.decorate('metrics', metrics);
    metrics.collectFrom(db, { jobs });

    app.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? 'unmatched';
      metrics.httpRequests.inc({ method: request.method, route, status: String(reply.statusCode) });
      metrics.httpDuration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
    });

    app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
      if (!token) throw new AppError('NOT_FOUND');
      if (!bearerMatches(request.headers.authorization, token))
        throw new AppError('UNAUTHENTICATED', 'Send the metrics token: Authorization: Bearer <METRICS_TOKEN>.');
      const body = await metrics.registry.metrics();
      return reply.type(metrics.registry.contentType).send(body);
    });
  },
  { name: 'metrics' },
);
