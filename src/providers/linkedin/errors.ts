import { type ProviderError, RateLimitedError, ReauthRequiredError, RejectedError, TransientError } from '../errors.ts';
import { oauthErrorBody, restErrorBody } from './schemas.ts';

const PROVIDER = 'linkedin';

/** Why an access token stopped working, by the REST `code` or `serviceErrorCode` of a 401 (sandbox doc, §10.14). */
const TOKEN_REASONS: Array<{ codes: string[]; serviceErrorCodes: number[]; reason: string; userMessage: string }> = [
  {
    codes: ['EXPIRED_ACCESS_TOKEN'],
    serviceErrorCodes: [65602],
    reason: 'token_expired',
    userMessage: 'The LinkedIn connection expired. Connect the account again.',
  },
  {
    codes: ['REVOKED_ACCESS_TOKEN'],
    serviceErrorCodes: [65601],
    reason: 'token_revoked',
    userMessage: 'Access to LinkedIn was revoked. Connect the account again.',
  },
];

/** A 426: the `LinkedIn-Version` sent is not live (LinkedIn serves each monthly version for about a year). */
export const VERSION_NOT_ACTIVE_MESSAGE =
  'LinkedIn no longer serves the API version Tether is set to. An administrator needs to set LINKEDIN_VERSION to a month from the last year (YYYYMM, e.g. the previous month) and restart Tether.';

export const INVALID_TOKEN_MESSAGE = 'LinkedIn no longer accepts this connection. Connect the account again.';

/** LinkedIn's limits are daily and reset at midnight UTC (reference §8.7); no wait is shorter than this. */
const MIN_RATE_LIMIT_WAIT_MS = 60_000;

/** `Retry-After` as seconds or an HTTP date, in milliseconds from `now`; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Milliseconds until the next midnight UTC, when LinkedIn's daily counters reset. */
export function untilNextUtcDay(now: number): number {
  const next = new Date(now);
  next.setUTCHours(24, 0, 0, 0);
  return next.getTime() - now;
}

export interface LinkedInErrorInput {
  status: number;
  body: unknown;
  /** The response's `Retry-After` header; LinkedIn documents none, but one is honoured when sent. */
  retryAfter?: string | null;
  /** Epoch milliseconds, for a wait given as a date and the default wait until the next UTC day. */
  now: number;
}

/**
 * Classifies a failed LinkedIn response (DESIGN §5 table) from the HTTP status, the OAuth `error`
 * (www.linkedin.com/oauth/v2) and the REST `code`/`serviceErrorCode` (api.linkedin.com), never
 * from message text. Pure; every branch has a fixture test.
 *
 * - `invalid_grant` (a refresh token that expired or was revoked) and any 401 from the API → ReauthRequired.
 * - `invalid_client` is Tether's own app credentials being wrong, not the member's grant: Rejected,
 *   so a misconfiguration does not mark every LinkedIn account for reconnecting at once.
 * - 429 → RateLimited, until `Retry-After` or else the next UTC day; 5xx → Transient; other 4xx → Rejected.
 */
export function parseLinkedInError({ status, body, retryAfter, now }: LinkedInErrorInput): ProviderError {
  const oauth = oauthErrorBody.safeParse(body);
  const rest = restErrorBody.safeParse(body);
  const restCode = rest.success ? (rest.data.code ?? rest.data.serviceErrorCode) : undefined;
  const code = oauth.success
    ? `oauth:${oauth.data.error}`
    : restCode === undefined
      ? `http:${status}`
      : `rest:${status}/${restCode}`;
  const detail = oauth.success ? oauth.data.error_description : rest.success ? rest.data.message : undefined;
  const common = { provider: PROVIDER, code, status, detail };

  if (oauth.success && oauth.data.error === 'invalid_grant') {
    return new ReauthRequiredError({
      ...common,
      reason: 'refresh_token_invalid',
      userMessage:
        'LinkedIn no longer accepts the refresh token: it expired or was revoked. Connect the account again.',
    });
  }
  if (oauth.success && oauth.data.error === 'invalid_client') {
    return new RejectedError({
      ...common,
      reason: 'invalid_client',
      userMessage:
        "LinkedIn did not accept Tether's app credentials. An administrator needs to check LINKEDIN_CLIENT_ID and LINKEDIN_CLIENT_SECRET.",
    });
  }
  if (status === 401) {
    const known = rest.success
      ? TOKEN_REASONS.find(
          (entry) =>
            (rest.data.code !== undefined && entry.codes.includes(rest.data.code)) ||
            (rest.data.serviceErrorCode !== undefined && entry.serviceErrorCodes.includes(rest.data.serviceErrorCode)),
        )
      : undefined;
    return new ReauthRequiredError({
      ...common,
      reason: known?.reason ?? 'invalid_token',
      userMessage: known?.userMessage ?? INVALID_TOKEN_MESSAGE,
    });
  }
  if (status === 429) {
    const wait = parseRetryAfter(retryAfter, now) ?? untilNextUtcDay(now);
    return new RateLimitedError({
      ...common,
      reason: 'rate_limited',
      userMessage: 'LinkedIn asked Tether to slow down; it will try again later.',
      scope: 'other',
      retryAfterMs: Math.max(wait, MIN_RATE_LIMIT_WAIT_MS),
    });
  }
  if (status >= 500 || status === 0) {
    return new TransientError({
      ...common,
      reason: 'server_error',
      userMessage: 'LinkedIn is not answering right now; Tether will retry.',
    });
  }
  return new RejectedError({
    ...common,
    reason: status === 403 ? 'access_denied' : status === 426 ? 'version_not_active' : 'rejected',
    userMessage:
      status === 403
        ? 'LinkedIn refused: the connection lacks a permission this needs.'
        : status === 426
          ? VERSION_NOT_ACTIVE_MESSAGE
          : 'LinkedIn refused the request.',
  });
}
