import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import helmet from 'helmet';
import type { PgBoss } from 'pg-boss';
import type { Fetch } from '../providers/meta-graph/client.ts';
import type { Config } from './config.ts';
import type { DatabaseHandle } from './db/client.ts';
import { logContextPlugin, RequestLogController, requestIdOf } from './log-context.ts';
import type { Logger } from './logger.ts';
import type { MediaStorage } from './media/storage.ts';
import { Metrics } from './metrics.ts';
import { authPlugin } from './plugins/auth.ts';
import { connectionsPlugin } from './plugins/connections.ts';
import { dbPlugin } from './plugins/db.ts';
import { errorHandlerPlugin } from './plugins/error-handler.ts';
import { mediaStoragePlugin } from './plugins/media-storage.ts';
import { readCachePlugin } from './plugins/read-cache.ts';
import { sandboxPlugin } from './plugins/sandbox.ts';
import { webPlugin } from './plugins/web.ts';
import { accountRoutes } from './routes/account.ts';
import { adminRoutes } from './routes/admin.ts';
import { apiTokenRoutes } from './routes/api-tokens.ts';
import { authRoutes } from './routes/auth.ts';
import { connectedAccountRoutes } from './routes/connected-accounts.ts';
import { healthRoutes } from './routes/health.ts';
import { instanceRoutes } from './routes/instance.ts';
import { mediaRoutes } from './routes/media.ts';
import { mediaFileRoutes } from './routes/media-files.ts';
import { metaCallbackRoutes } from './routes/meta-callbacks.ts';
import { metricsPlugin } from './routes/metrics.ts';
import { notificationRoutes } from './routes/notifications.ts';
import { oauthRoutes } from './routes/oauth.ts';
import { documentScope } from './routes/openapi.ts';
import { postRoutes } from './routes/posts.ts';
import { providerRoutes } from './routes/providers.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import { version } from './version.ts';

/** JSON bodies larger than this are refused with 413; uploads have their own limits. */
export const JSON_BODY_LIMIT_BYTES = 1024 * 1024;

const defaultWebRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/web');

export interface AppDeps {
  config: Config;
  database: DatabaseHandle;
  logger: Logger;
  /** Where the built web app lives; defaults to dist/web. */
  webRoot?: string;
  /** How providers reach the platforms (tests route it in-process); defaults to global fetch. */
  providerFetch?: Fetch;
  /** The job queue, for routes that enqueue work (publishing); those answer 503 without it. */
  boss?: PgBoss;
  /** Where media files are kept; defaults to the local disk under DATA_DIR/media. */
  mediaStorage?: MediaStorage;
  /** This process's metrics, shared with its job workers; a new set when not given. */
  metrics?: Metrics;
}

/** Content-Security-Policy for the app and the API docs: no inline scripts, nothing from other origins. */
const contentSecurityPolicy = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    // Component libraries set element style attributes at run time.
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:', 'https:'],
    fontSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
};

/**
 * The security headers every answer carries, as helmet sets them. They do not depend on the
 * request, so helmet's middleware runs once, here, on a response that only records them.
 */
function securityHeaders(https: boolean): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: string | number) => {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader: () => {},
  };
  helmet({ contentSecurityPolicy, crossOriginEmbedderPolicy: false, strictTransportSecurity: https })(
    {} as IncomingMessage,
    recorder as unknown as ServerResponse,
    () => {},
  );
  return headers;
}

/** Builds the whole HTTP app without listening, so tests drive it with `app.inject`. */
export async function buildApp({
  config,
  database,
  logger,
  webRoot = defaultWebRoot,
  providerFetch = fetch,
  boss,
  mediaStorage,
  metrics = new Metrics(),
}: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    // Request ids reach log lines through the log context (log-context.ts), not a logger binding,
    // so a line never carries them twice.
    genReqId: requestIdOf,
    logController: new RequestLogController(),
    childLoggerFactory: (parent, _bindings, options) => parent.child({}, options),
    bodyLimit: JSON_BODY_LIMIT_BYTES,
    routerOptions: { ignoreTrailingSlash: true },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // Only JSON bodies are accepted by the API; anything else is a 415.
  app.removeContentTypeParser('text/plain');

  await app.register(logContextPlugin);
  await app.register(errorHandlerPlugin);
  await app.register(metricsPlugin, { metrics, token: config.metricsToken, db: database.db, jobs: boss !== undefined });
  const headers = securityHeaders(config.publicUrl.startsWith('https://'));
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Tether API', version, description: 'Connect social accounts and publish to them.' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'A personal API token (tth_...)' },
          session: { type: 'apiKey', in: 'cookie', name: 'better-auth.session_token' },
        },
      },
    },
    transform: (input) => {
      const transformed = jsonSchemaTransform(input);
      return { ...transformed, schema: documentScope(transformed.schema, input.route.config?.scope) };
    },
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: false });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(dbPlugin, { database });
  await app.register(readCachePlugin);
  await app.register(authPlugin, { config });
  await app.register(mediaStoragePlugin, { dataDir: config.dataDir, storage: mediaStorage });
  await app.register(connectionsPlugin, { config, fetch: providerFetch, boss, metrics });

  await app.register(healthRoutes);
  await app.register(instanceRoutes, { config });
  await app.register(authRoutes, { config });
  await app.register(accountRoutes, { config, boss });
  await app.register(apiTokenRoutes);
  await app.register(providerRoutes, { config });
  await app.register(connectedAccountRoutes);
  await app.register(oauthRoutes);
  await app.register(notificationRoutes);
  await app.register(postRoutes, { boss });
  await app.register(mediaRoutes, { config });
  await app.register(mediaFileRoutes);
  await app.register(webhookRoutes, { config });
  await app.register(metaCallbackRoutes, { config, boss });
  await app.register(adminRoutes, { boss });
  if (config.sandbox) await app.register(sandboxPlugin, { publicUrl: config.publicUrl });
  await app.register(webPlugin, { root: webRoot });
  return app;
}
