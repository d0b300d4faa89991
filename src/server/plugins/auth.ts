import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { ApiScope } from '../../contracts/api-scopes.ts';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../contracts/password-rules.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import * as schema from '../db/schema/index.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { claimFirstAdmin } from '../services/admins.ts';
import { authenticateApiToken, type TokenCaller, type TokenUser } from '../services/api-tokens.ts';

const SESSION_DAYS = 30;
const DAY_SECONDS = 24 * 60 * 60;

export function createAuth({ db, config, logger }: { db: Database; config: Config; logger: Logger }) {
  return betterAuth({
    appName: 'Tether',
    baseURL: config.publicUrl,
    basePath: '/api/auth',
    secret: config.authSecret,
    database: drizzleAdapter(db, {
      provider: 'pg',
      schema: {
        user: schema.user,
        session: schema.session,
        account: schema.account,
        verification: schema.verification,
      },
    }),
    emailAndPassword: {
      enabled: true,
      minPasswordLength: PASSWORD_MIN_LENGTH,
      maxPasswordLength: PASSWORD_MAX_LENGTH,
    },
    session: { expiresIn: SESSION_DAYS * DAY_SECONDS, updateAge: DAY_SECONDS },
    // Whichever way a user is created (sign-up, the CLI), the first of the install becomes admin.
    databaseHooks: {
      user: {
        create: {
          after: async (created) => {
            if (await claimFirstAdmin(db, created.id)) logger.info({ userId: created.id }, 'first user made admin');
          },
        },
      },
    },
    // Fastify's rate limiter guards these routes (routes/auth.ts), in every environment.
    rateLimit: { enabled: false },
    telemetry: { enabled: false },
    // better-auth's own messages go to Tether's log (redacted, JSON), not to the console.
    logger: { level: 'warn', log: (level, message) => logger[level]({ component: 'auth' }, message) },
    advanced: {
      useSecureCookies: config.publicUrl.startsWith('https://'),
      // Explicit, so that the origin/CSRF checks also hold under NODE_ENV=test.
      disableOriginCheck: false,
      disableCSRFCheck: false,
    },
  });
}

export type Auth = ReturnType<typeof createAuth>;
export type AuthUser = TokenUser;

/**
 * What a route that needs a user asks of an API token: one scope; `any`, any valid token; or
 * `session`, no token at all (only a signed-in browser). Sessions may do everything. A route that
 * declares nothing is closed to tokens.
 */
export type RouteScope = ApiScope | 'any' | 'session';

declare module 'fastify' {
  interface FastifyContextConfig {
    scope?: RouteScope;
  }
  interface FastifyInstance {
    auth: Auth;
    /**
     * preValidation hook (before the body is looked at, so an unauthorised caller learns nothing
     * from validation errors): answers 401 unless the request carries a session cookie or an API token, and
     * 403 when a token lacks what the route's `config.scope` asks for.
     */
    requireUser: (request: FastifyRequest) => Promise<void>;
    /** The user behind the request, or null; for routes that also serve signed-out browsers. */
    currentUser: (request: FastifyRequest) => Promise<AuthUser | null>;
  }
  interface FastifyRequest {
    user: AuthUser | null;
  }
}

/** Same headers as the request, for better-auth's Web-standard API. */
export function toWebHeaders(request: FastifyRequest): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.set(name, String(value));
  }
  return headers;
}

/** Who is calling: a token's user with the token's scopes, or a session's user (scopes `null`: everything). */
type Caller = TokenCaller | { user: AuthUser; scopes: null };

async function resolveCaller(app: FastifyInstance, request: FastifyRequest): Promise<Caller | null> {
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    // A request that presents a token is judged by the token alone, never by a cookie beside it.
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    return match?.[1] ? authenticateApiToken(app.db, app.readCache, request, match[1]) : null;
  }
  if (!request.headers.cookie) return null;
  const session = await app.auth.api.getSession({ headers: toWebHeaders(request) });
  if (!session) return null;
  return { user: { id: session.user.id, email: session.user.email, name: session.user.name }, scopes: null };
}

/** Refuses a token that the route's scope does not admit (403 naming what is missing). */
function checkScope(required: RouteScope | undefined, scopes: readonly ApiScope[]): void {
  if (required === 'any') return;
  if (required === undefined) throw new AppError('FORBIDDEN', 'API tokens cannot be used here.');
  if (required === 'session') throw new AppError('FORBIDDEN', 'API tokens cannot do this: sign in to Tether instead.');
  if (!scopes.includes(required)) throw new AppError('FORBIDDEN', `This API token lacks the "${required}" scope.`);
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The origin a browser request came from: `Origin`, or else the origin of `Referer`. */
function requestOrigin(request: FastifyRequest): string | undefined {
  if (request.headers.origin) return request.headers.origin;
  const referer = request.headers.referer;
  if (!referer) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return 'invalid';
  }
}

export const authPlugin = fp(
  async (app: FastifyInstance, { config }: { config: Config }) => {
    const ownOrigin = new URL(config.publicUrl).origin;
    app.decorate('auth', createAuth({ db: app.db, config, logger: app.log as Logger }));
    app.decorateRequest('user', null);
    app.decorate('currentUser', async (request: FastifyRequest) => (await resolveCaller(app, request))?.user ?? null);
    app.decorate('requireUser', async (request: FastifyRequest) => {
      const caller = await resolveCaller(app, request);
      if (!caller) throw new AppError('UNAUTHENTICATED');
      if (caller.scopes) checkScope(request.routeOptions.config.scope, caller.scopes);
      request.user = caller.user;
      // CSRF: a browser sends the session cookie on requests other sites start, so a change made
      // with the cookie must come from Tether's own pages. API tokens are never sent by a browser.
      if (request.headers.authorization === undefined && !SAFE_METHODS.has(request.method)) {
        if (requestOrigin(request) !== ownOrigin)
          throw new AppError('FORBIDDEN', 'Changes with a session cookie are only accepted from Tether itself.');
      }
    });
  },
  { name: 'auth', dependencies: ['db', 'read-cache'] },
);
