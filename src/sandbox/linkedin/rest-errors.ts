import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

/** An error of api.linkedin.com: `{status, serviceErrorCode?, code?, message}` (reference §8.5). */
export class RestError extends Error {
  readonly status: number;
  readonly serviceErrorCode?: number;
  readonly code?: string;

  constructor(input: { status: number; message: string; serviceErrorCode?: number; code?: string }) {
    super(input.message);
    this.status = input.status;
    this.serviceErrorCode = input.serviceErrorCode;
    this.code = input.code;
  }

  toBody() {
    return {
      status: this.status,
      ...(this.serviceErrorCode === undefined ? {} : { serviceErrorCode: this.serviceErrorCode }),
      ...(this.code === undefined ? {} : { code: this.code }),
      message: this.message,
    };
  }
}

export const restErrors = {
  emptyToken: () =>
    new RestError({
      status: 401,
      serviceErrorCode: 65604,
      code: 'EMPTY_ACCESS_TOKEN',
      message: 'Empty oauth2 access token',
    }),
  invalidToken: () =>
    new RestError({
      status: 401,
      serviceErrorCode: 65600,
      code: 'INVALID_ACCESS_TOKEN',
      message: 'Invalid access token',
    }),
  expiredToken: () =>
    new RestError({
      status: 401,
      serviceErrorCode: 65602,
      code: 'EXPIRED_ACCESS_TOKEN',
      message: 'The token used in the request has expired',
    }),
  revokedToken: () =>
    new RestError({
      status: 401,
      serviceErrorCode: 65601,
      code: 'REVOKED_ACCESS_TOKEN',
      message: 'The token used in the request has been revoked by the user',
    }),
  /** Scope or role missing. `path` is the request path as LinkedIn names it (`POST /rest/posts`). */
  accessDenied: (path: string) =>
    new RestError({
      status: 403,
      serviceErrorCode: 100,
      code: 'ACCESS_DENIED',
      message: `Not enough permissions to access: ${path}`,
    }),
  missingVersion: () =>
    new RestError({
      status: 400,
      code: 'VERSION_MISSING',
      message: 'A version must be present. Please specify a version by adding the LinkedIn-Version header.',
    }),
  nonexistentVersion: (version: string) =>
    new RestError({ status: 426, code: 'NONEXISTENT_VERSION', message: `Requested version ${version} is not active` }),
  illegalArgument: (message: string) => new RestError({ status: 400, code: 'ILLEGAL_ARGUMENT', message }),
  /** Rest.li data validation: `ERROR :: /field :: reason` (reference §8.5). */
  validation: (field: string, reason: string) =>
    new RestError({ status: 422, message: `ERROR :: ${field} :: ${reason}\n` }),
  /** A 422 with a plain message, e.g. a duplicate post. */
  validationMessage: (message: string) => new RestError({ status: 422, message }),
  required: (field: string) =>
    new RestError({
      status: 422,
      message: `ERROR :: ${field} :: field is required but not found and has no default value\n`,
    }),
  /** A value of the wrong kind where a URN is expected: LinkedIn answers 403, not 422 (reference §8.5). */
  fieldValueFailed: (field: string) =>
    new RestError({
      status: 403,
      message: `Field Value validation failed in REQUEST_BODY: Data Processing Exception while processing fields [${field}]`,
    }),
  notFound: () => new RestError({ status: 404, code: 'NOT_FOUND', message: 'Not Found' }),
  throttled: (level: 'APPLICATION' | 'MEMBER') =>
    new RestError({
      status: 429,
      code: 'TOO_MANY_REQUESTS',
      message: `Resource level throttle ${level} DAY limit for calls to this resource is reached.`,
    }),
};

/** Error handler of api.linkedin.com and the upload host: everything in the REST envelope, never a bare 500. */
export function restErrorHandler(error: FastifyError | RestError, _request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof RestError) return reply.status(error.status).send(error.toBody());
  const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 500;
  return reply.status(status).send({ status, message: error.message });
}
