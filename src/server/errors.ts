/**
 * Every error code the HTTP API returns, in one place. Codes are part of the public contract:
 * add new ones, never rename. The message is safe to show to the user.
 */
export const ERROR_CODES = {
  BAD_REQUEST: { status: 400, message: 'The request is not valid.' },
  VALIDATION_FAILED: { status: 400, message: 'Some fields are missing or not valid.' },
  INVALID_JSON: { status: 400, message: 'The request body is not valid JSON.' },
  UNAUTHENTICATED: { status: 401, message: 'Sign in or send a valid API token.' },
  INVALID_CREDENTIALS: { status: 401, message: 'The email or password is not correct.' },
  FORBIDDEN: { status: 403, message: 'You are not allowed to do this.' },
  PASSWORD_INCORRECT: { status: 403, message: 'The password is not correct.' },
  SIGNED_REQUEST_INVALID: { status: 400, message: 'The signed_request is not valid.' },
  WEBHOOK_SIGNATURE_INVALID: { status: 403, message: 'The X-Hub-Signature-256 header does not match the body.' },
  NOT_FOUND: { status: 404, message: 'Nothing was found here.' },
  METHOD_NOT_ALLOWED: { status: 405, message: 'This method is not allowed here.' },
  CONFLICT: { status: 409, message: 'This conflicts with existing data.' },
  ACCOUNT_BUSY: { status: 409, message: 'This account is being checked right now; try again in a moment.' },
  EMAIL_TAKEN: { status: 409, message: 'An account with this email already exists.' },
  PROVIDER_NOT_CONFIGURED: { status: 400, message: 'This provider is not configured on this Tether instance.' },
  FLOW_NOT_SELECTABLE: { status: 409, message: 'This connection attempt is finished or expired. Start again.' },
  PROVIDER_UNAVAILABLE: { status: 502, message: 'The platform did not answer; try again shortly.' },
  POST_INVALID: { status: 400, message: 'The post cannot be published as it is.' },
  ACCOUNT_NOT_USABLE: { status: 409, message: 'The account cannot be published to right now.' },
  POST_NOT_CANCELABLE: { status: 409, message: 'The post is already publishing or done.' },
  TARGET_NOT_RETRYABLE: { status: 409, message: 'Only a failed target can be retried.' },
  MEDIA_IN_USE: { status: 409, message: 'A post that is still to be published uses this file.' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The request body is too large.' },
  MEDIA_UNREADABLE: { status: 422, message: 'The file could not be read; it may be damaged.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'This content type is not supported here.' },
  RANGE_NOT_SATISFIABLE: { status: 416, message: 'The requested range is not within the file.' },
  RATE_LIMITED: { status: 429, message: 'Too many requests; try again shortly.' },
  INTERNAL_ERROR: { status: 500, message: 'Something went wrong on our side.' },
  UNAVAILABLE: { status: 503, message: 'The service is not available right now.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** One item of what is wrong, e.g. one problem of one post target. */
export interface ErrorDetail {
  target?: string;
  code: string;
  message: string;
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: ErrorDetail[] };
}

/** An error meant for the API client: a stable code and a message a person can act on. */
export class AppError extends Error {
  override name = 'AppError';
  readonly code: ErrorCode;
  readonly statusCode: number;
  readonly details?: ErrorDetail[];

  constructor(code: ErrorCode, message: string = ERROR_CODES[code].message, details?: ErrorDetail[]) {
    super(message);
    this.code = code;
    this.statusCode = ERROR_CODES[code].status;
    this.details = details;
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) } };
  }
}

export const notFound = (what = 'Nothing') => new AppError('NOT_FOUND', `${what} was not found.`);
