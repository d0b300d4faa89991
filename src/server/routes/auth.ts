import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { passwordProblem } from '../../contracts/password-rules.ts';
import type { Config } from '../config.ts';
import { AppError, type ErrorCode } from '../errors.ts';
import { toWebHeaders } from '../plugins/auth.ts';
import { clearSignInFailures, recordSignInFailure, signInRetryAfter } from '../services/sign-in-throttle.ts';

/** Requests per client address and window on the sign-in/sign-up routes. */
export const AUTH_RATE_LIMIT = { max: 20, timeWindow: '1 minute' } as const;

/** better-auth's error codes that have a better-fitting code of ours. */
const AUTH_CODES: Record<string, ErrorCode> = {
  INVALID_EMAIL_OR_PASSWORD: 'INVALID_CREDENTIALS',
  USER_ALREADY_EXISTS: 'EMAIL_TAKEN',
  USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL: 'EMAIL_TAKEN',
};
/**
 * Sign-up's answer for an address that is taken. Without email verification a refusal still says
 * the address is registered (see docs/security.md); the message at least does not spell it out.
 */
const SIGN_UP_REFUSED = 'Could not create an account with these details. If you already have one, sign in instead.';

/** The routes that set a password, and where their body has it (and the email, for sign-up). */
const NEW_PASSWORD_FIELDS: Record<string, { password: string; email?: string }> = {
  '/api/auth/sign-up/email': { password: 'password', email: 'email' },
  '/api/auth/change-password': { password: 'newPassword' },
  '/api/auth/reset-password': { password: 'newPassword' },
};
const SIGN_IN_PATH = '/api/auth/sign-in/email';

const bodyField = (body: unknown, name: string | undefined): string | undefined => {
  if (!name || typeof body !== 'object' || body === null) return undefined;
  const value = (body as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
};

const STATUS_CODES: Record<number, ErrorCode> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  422: 'VALIDATION_FAILED',
  429: 'RATE_LIMITED',
};

async function sendAuthResponse(reply: FastifyReply, response: Response) {
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) reply.header('set-cookie', cookies);
  const location = response.headers.get('location');
  if (location) reply.header('location', location);
  const text = await response.text();
  if (response.status < 400) {
    reply.status(response.status);
    const type = response.headers.get('content-type');
    if (type) reply.type(type);
    return reply.send(text || null);
  }
  let upstream: { code?: string; message?: string } = {};
  try {
    upstream = JSON.parse(text);
  } catch {}
  const code = (upstream.code && AUTH_CODES[upstream.code]) || STATUS_CODES[response.status];
  if (!code) throw new AppError('INTERNAL_ERROR');
  const message = code === 'EMAIL_TAKEN' ? SIGN_UP_REFUSED : upstream.message;
  const error = message ? new AppError(code, message) : new AppError(code);
  return reply.status(error.statusCode).send(error.toBody());
}

/**
 * Mounts better-auth at /api/auth/*: sign-up/email, sign-in/email, sign-out, get-session...
 * Its errors are rewritten into Tether's `{error: {code, message}}` shape.
 */
export async function authRoutes(app: FastifyInstance, { config }: { config: Config }) {
  await app.register(rateLimit, { ...AUTH_RATE_LIMIT });
  app.route({
    method: ['GET', 'POST'],
    url: '/api/auth/*',
    schema: { hide: true },
    async handler(request, reply) {
      const path = new URL(request.url, config.publicUrl).pathname;
      const setsPassword = request.method === 'POST' ? NEW_PASSWORD_FIELDS[path] : undefined;
      const newPassword = bodyField(request.body, setsPassword?.password);
      if (newPassword !== undefined) {
        const problem = passwordProblem(newPassword, bodyField(request.body, setsPassword?.email));
        if (problem) throw new AppError('VALIDATION_FAILED', problem);
      }
      // Sign-in is throttled per email address, whatever the password, across processes.
      const signInEmail =
        request.method === 'POST' && path === SIGN_IN_PATH ? bodyField(request.body, 'email') : undefined;
      if (signInEmail !== undefined) {
        const retryAfter = await signInRetryAfter(app.db, signInEmail);
        if (retryAfter !== null) {
          reply.header('retry-after', String(retryAfter));
          throw new AppError(
            'RATE_LIMITED',
            `Too many failed sign-ins for this email. Try again in ${Math.ceil(retryAfter / 60)} minute(s).`,
          );
        }
      }
      const body = request.body === undefined ? undefined : JSON.stringify(request.body);
      const headers = toWebHeaders(request);
      // The body was parsed and is re-serialised: its original length no longer applies.
      headers.delete('content-length');
      headers.delete('transfer-encoding');
      const response = await app.auth.handler(
        new Request(new URL(request.url, config.publicUrl), { method: request.method, headers, body }),
      );
      if (signInEmail !== undefined) {
        if (response.status === 401) await recordSignInFailure(app.db, signInEmail);
        else if (response.ok) await clearSignInFailures(app.db, signInEmail);
      }
      return sendAuthResponse(reply, response);
    },
  });
}
