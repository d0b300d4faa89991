import type { FastifyReply } from 'fastify';

/**
 * The old Instagram envelope api.instagram.com still uses for OAuth errors (reference §3.2):
 * `{"error_type":"OAuthException","code":400,"error_message":"…"}`.
 */
export class InstagramOAuthError extends Error {
  readonly status: number;
  readonly errorType: string;

  constructor(message: string, status = 400, errorType = 'OAuthException') {
    super(message);
    this.status = status;
    this.errorType = errorType;
  }
}

export const sendInstagramOAuthError = (reply: FastifyReply, error: InstagramOAuthError) =>
  reply.status(error.status).send({ error_type: error.errorType, code: error.status, error_message: error.message });

/** Error handler for api.instagram.com: everything, even a malformed body, answers in the legacy envelope. */
export function instagramOAuthErrorHandler(error: Error, _request: unknown, reply: FastifyReply) {
  if (error instanceof InstagramOAuthError) return sendInstagramOAuthError(reply, error);
  const status = (error as { statusCode?: number }).statusCode;
  if (status && status < 500) return sendInstagramOAuthError(reply, new InstagramOAuthError(error.message));
  return sendInstagramOAuthError(reply, new InstagramOAuthError('An unknown error has occurred.', 500));
}

export const CODE_NOT_FOUND = 'Matching code was not found or was already used';
