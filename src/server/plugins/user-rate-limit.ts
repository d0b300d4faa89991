import type { RateLimitPluginOptions } from '@fastify/rate-limit';

/**
 * Options for @fastify/rate-limit on routes that cost the platforms or the disk something
 * (starting a connect flow, uploading): counted per signed-in user, after authentication, and
 * only on routes that opt in with `config.rateLimit`. Counters live in the process's memory.
 */
export const USER_RATE_LIMIT: RateLimitPluginOptions = {
  global: false,
  hook: 'preHandler',
  keyGenerator: (request) => request.user?.id ?? request.ip,
};

/** Connect flows a user may start per window: plenty for a person, little for a script. */
export const CONNECT_RATE_LIMIT = { max: 30, timeWindow: '1 minute' } as const;
/** Uploads a user may make per window. */
export const UPLOAD_RATE_LIMIT = { max: 60, timeWindow: '1 minute' } as const;
