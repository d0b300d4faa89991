import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, type ErrorCode } from '../errors.ts';

/** Fastify's own error codes that are the client's fault, mapped to ours. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_REQUEST',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_JSON',
  FST_ERR_RATE_LIMIT_EXCEEDED: 'RATE_LIMITED',
};

const STATUS_CODES: Record<number, ErrorCode> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
};

/** PostgreSQL's codes for text it cannot store (a NUL character, U+0000): the request carried it. */
const UNSTORABLE_TEXT_CODES = new Set(['22021', '22P05']);

/** The SQLSTATE of a database error, also when the query builder wrapped it (`cause`). */
function sqlState(error: unknown): string | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 4; current = current.cause, depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

function toAppError(error: FastifyError): AppError {
  if (error instanceof AppError) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const details = error.validation
      .map((issue) => {
        const where = `${error.validationContext ?? 'body'}${issue.instancePath.replaceAll('/', '.')}`;
        return `${where}: ${issue.message}`;
      })
      .join('; ');
    return new AppError('VALIDATION_FAILED', details);
  }
  if (error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY')
    return new AppError('INVALID_JSON');
  const mapped = (error.code && FASTIFY_CODES[error.code]) || (error.statusCode && STATUS_CODES[error.statusCode]);
  if (mapped) {
    // Fastify's client-error messages are written for API users; keep them when they are ours to show.
    const keepMessage = error.statusCode !== undefined && error.statusCode < 500 && mapped !== 'RATE_LIMITED';
    return keepMessage ? new AppError(mapped, error.message) : new AppError(mapped);
  }
  if (UNSTORABLE_TEXT_CODES.has(sqlState(error) ?? ''))
    return new AppError('VALIDATION_FAILED', 'Text may not contain NUL characters (\\u0000).');
  // Any other client error a plugin raises stays the client's: a 400 with its message, never a 500.
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500)
    return new AppError('BAD_REQUEST', error.message);
  return new AppError('INTERNAL_ERROR');
}

/** One place turns every error into `{error: {code, message}}`; 5xx never carry internals. */
export const errorHandlerPlugin = fp(
  async (app: FastifyInstance) => {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      const appError = toAppError(error);
      if (appError.statusCode >= 500) request.log.error({ err: error }, 'request failed');
      else request.log.info({ errorCode: appError.code }, appError.message);
      return reply.status(appError.statusCode).send(appError.toBody());
    });
  },
  { name: 'error-handler' },
);
