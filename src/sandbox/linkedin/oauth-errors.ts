import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

/** An OAuth 2.0 error on www.linkedin.com/oauth/v2: `{error, error_description}` (reference §8.1). */
export class OAuthError extends Error {
  readonly status: number;
  readonly error: string;

  constructor(status: number, error: string, description: string) {
    super(description);
    this.status = status;
    this.error = error;
  }
}

export const oauthErrors = {
  missing: (name: string) => new OAuthError(400, 'invalid_request', `A required parameter "${name}" is missing`),
  badCode: () =>
    new OAuthError(
      400,
      'invalid_request',
      'Unable to retrieve access token: appid/redirect uri/code verifier does not match authorization code. Or authorization code expired. Or external member binding exists',
    ),
  badRefreshToken: () =>
    new OAuthError(
      400,
      'invalid_grant',
      'The provided authorization grant or refresh token is invalid, expired or revoked',
    ),
  badClient: () => new OAuthError(401, 'invalid_client', 'Client authentication failed'),
  unsupportedGrant: (grant: string) =>
    new OAuthError(400, 'unsupported_grant_type', `The grant type "${grant}" is not supported`),
};

/** Error handler of the OAuth endpoints: every failure, body-parsing ones included, in the OAuth envelope. */
export function oauthErrorHandler(error: FastifyError | OAuthError, _request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof OAuthError) {
    return reply.status(error.status).send({ error: error.error, error_description: error.message });
  }
  const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 500;
  return reply
    .status(status)
    .send({ error: status < 500 ? 'invalid_request' : 'server_error', error_description: error.message });
}
