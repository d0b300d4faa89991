import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Config } from '../config.ts';
import { AppError, type ErrorCode } from '../errors.ts';
import { toWebHeaders } from '../plugins/auth.ts';

/** Requests per client address and window on the sign-in/sign-up routes. */
export const AUTH_RATE_LIMIT = { max: 20, timeWindow: '1 minute' } as const;

/** better-auth's error codes that have a better-fitting code of ours. */
const AUTH_CODES: Record<string, ErrorCode> = {
  INVALID_EMAIL_OR_PASSWORD: 'INVALID_CREDENTIALS',
  USER_ALREADY_EXISTS: 'EMAIL_TAKEN',
  USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL: 'EMAIL_TAKEN',
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
  const error = upstream.message ? new AppError(code, upstream.message) : new AppError(code);
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
      const body = request.body === undefined ? undefined : JSON.stringify(request.body);
      const headers = toWebHeaders(request);
      // The body was parsed and is re-serialised: its original length no longer applies.
      headers.delete('content-length');
      headers.delete('transfer-encoding');
      const response = await app.auth.handler(
        new Request(new URL(request.url, config.publicUrl), { method: request.method, headers, body }),
      );
      return sendAuthResponse(reply, response);
    },
  });
}
