import type { FastifyRequest } from 'fastify';
import pino, { type DestinationStream, type LoggerOptions } from 'pino';
import { currentLogContext } from './log-context.ts';

/**
 * Field names whose values are never logged: anything named like a token, secret, password,
 * OAuth code, verifier, key, signature, cookie or authorization header.
 */
const SENSITIVE_KEY =
  /(token|secret|password|passwd|authorization|cookie|verifier|signature|apikey|api_key|private_?key|^code$|_code$|^auth_?code$|^signed_request$)/i;
export const REDACTED = '[redacted]';

export const isSensitiveKey = (key: string) => SENSITIVE_KEY.test(key);

const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

/** Copies plain objects and arrays with sensitive values replaced; other values pass through. */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (depth > 8) return value;
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, depth + 1));
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = isSensitiveKey(key) && item != null ? REDACTED : redactSecrets(item, depth + 1);
  }
  return out;
}

/** In a URL, the OAuth `state` is a secret too: with the code, it completes someone's connect flow. */
const isSensitiveQueryKey = (key: string) => isSensitiveKey(key) || key.toLowerCase() === 'state';

/** Removes sensitive query parameters (OAuth `code` and `state`, tokens...) from a logged URL. */
export function redactUrl(raw: string): string {
  const queryStart = raw.indexOf('?');
  if (queryStart === -1) return raw;
  const params = new URLSearchParams(raw.slice(queryStart + 1));
  for (const key of [...params.keys()]) {
    if (isSensitiveQueryKey(key)) params.set(key, REDACTED);
  }
  return `${raw.slice(0, queryStart)}?${params.toString()}`;
}

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    // The request's or job's correlation ids (log-context.ts); a field the line sets itself wins.
    mixin: () => ({ ...currentLogContext() }),
    formatters: { log: (object) => redactSecrets(object) as Record<string, unknown> },
    // Headers are never serialised; these paths are a second line in case a caller logs them.
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'res.headers["set-cookie"]',
        'headers.authorization',
        'headers.cookie',
      ],
      censor: REDACTED,
    },
    serializers: {
      req: (request: FastifyRequest) => ({
        method: request.method,
        url: redactUrl(request.url),
        remoteAddress: request.ip,
      }),
    },
  };
}

export function createLogger(level: string, destination?: DestinationStream) {
  return destination ? pino(loggerOptions(level), destination) : pino(loggerOptions(level));
}

export type Logger = ReturnType<typeof createLogger>;
