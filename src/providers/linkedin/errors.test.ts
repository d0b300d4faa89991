import { describe, expect, it } from 'vitest';
import { parseLinkedInError, parseRetryAfter, untilNextUtcDay, VERSION_NOT_ACTIVE_MESSAGE } from './errors.ts';

/** 2026-11-22T18:00:00Z: six hours before LinkedIn's daily counters reset. */
const NOW = Date.UTC(2026, 10, 22, 18, 0, 0);
const HOUR = 60 * 60_000;

const rest = (status: number, fields: Record<string, unknown> = {}) => ({
  status,
  message: 'platform message',
  ...fields,
});
const oauth = (error: string) => ({ error, error_description: 'platform message' });
const parse = (status: number, body: unknown, retryAfter?: string) =>
  parseLinkedInError({ status, body, retryAfter, now: NOW });

describe('parseLinkedInError', () => {
  it.each([
    [
      'EXPIRED_ACCESS_TOKEN code',
      rest(401, { serviceErrorCode: 65602, code: 'EXPIRED_ACCESS_TOKEN' }),
      'token_expired',
    ],
    ['serviceErrorCode 65602 alone', rest(401, { serviceErrorCode: 65602 }), 'token_expired'],
    [
      'REVOKED_ACCESS_TOKEN code',
      rest(401, { serviceErrorCode: 65601, code: 'REVOKED_ACCESS_TOKEN' }),
      'token_revoked',
    ],
    ['serviceErrorCode 65601 alone', rest(401, { serviceErrorCode: 65601 }), 'token_revoked'],
    ['INVALID_ACCESS_TOKEN', rest(401, { serviceErrorCode: 65600, code: 'INVALID_ACCESS_TOKEN' }), 'invalid_token'],
    ['EMPTY_ACCESS_TOKEN', rest(401, { serviceErrorCode: 65604, code: 'EMPTY_ACCESS_TOKEN' }), 'invalid_token'],
    ['no body', undefined, 'invalid_token'],
    ['an HTML body', '<html>Unauthorized</html>', 'invalid_token'],
  ])('401 with %s → reauth_required (%s)', (_name, body, reason) => {
    const error = parse(401, body);
    expect(error).toMatchObject({ kind: 'reauth_required', reason, status: 401, provider: 'linkedin' });
    expect(error.userMessage).not.toContain('platform message');
  });

  it('names the REST code in the error code, else the service code, else the status', () => {
    expect(parse(401, rest(401, { serviceErrorCode: 65602, code: 'EXPIRED_ACCESS_TOKEN' })).code).toBe(
      'rest:401/EXPIRED_ACCESS_TOKEN',
    );
    expect(parse(401, rest(401, { serviceErrorCode: 65602 })).code).toBe('rest:401/65602');
    expect(parse(401, undefined).code).toBe('http:401');
  });

  it.each([400, 401])('invalid_grant (%i) → reauth_required (refresh_token_invalid)', (status) => {
    expect(parse(status, oauth('invalid_grant'))).toMatchObject({
      kind: 'reauth_required',
      reason: 'refresh_token_invalid',
      code: 'oauth:invalid_grant',
      status,
    });
  });

  it("invalid_client (401) → rejected: Tether's app credentials, not the member's grant", () => {
    const error = parse(401, oauth('invalid_client'));
    expect(error).toMatchObject({ kind: 'rejected', reason: 'invalid_client', code: 'oauth:invalid_client' });
    expect(error.userMessage).toContain('LINKEDIN_CLIENT_SECRET');
  });

  it.each([
    ['seconds', '120', 120_000],
    ['an HTTP date', new Date(NOW + HOUR).toUTCString(), HOUR],
    ['a wait shorter than a minute (raised to one)', '5', 60_000],
  ])('429 with Retry-After as %s → rate_limited for that long', (_name, header, retryAfterMs) => {
    expect(parse(429, rest(429, { code: 'TOO_MANY_REQUESTS' }), header)).toMatchObject({
      kind: 'rate_limited',
      reason: 'rate_limited',
      scope: 'other',
      retryAfterMs,
    });
  });

  it('429 without Retry-After → rate_limited until the next UTC day, when the daily limits reset', () => {
    expect(parse(429, rest(429, { code: 'TOO_MANY_REQUESTS' }))).toMatchObject({
      kind: 'rate_limited',
      retryAfterMs: 6 * HOUR,
    });
    expect(parse(429, undefined, 'soon')).toMatchObject({ kind: 'rate_limited', retryAfterMs: 6 * HOUR });
  });

  it.each([500, 502, 503, 504, 0])('%i → transient', (status) => {
    expect(parse(status, status ? rest(status) : undefined)).toMatchObject({
      kind: 'transient',
      reason: 'server_error',
    });
  });

  it('a 5xx in the OAuth envelope → transient', () => {
    expect(parse(503, oauth('temporarily_unavailable'))).toMatchObject({
      kind: 'transient',
      code: 'oauth:temporarily_unavailable',
    });
  });

  it.each([
    ['bad or expired code', 400, oauth('invalid_request'), 'rejected', 'oauth:invalid_request'],
    ['unsupported grant', 400, oauth('unsupported_grant_type'), 'rejected', 'oauth:unsupported_grant_type'],
    [
      'missing permission',
      403,
      rest(403, { serviceErrorCode: 100, code: 'ACCESS_DENIED' }),
      'access_denied',
      'rest:403/ACCESS_DENIED',
    ],
    [
      '/v2/me without a code field',
      403,
      { serviceErrorCode: 100, message: 'x', status: 403 },
      'access_denied',
      'rest:403/100',
    ],
    ['version missing', 400, rest(400, { code: 'VERSION_MISSING' }), 'rejected', 'rest:400/VERSION_MISSING'],
    [
      'version not active',
      426,
      rest(426, { code: 'NONEXISTENT_VERSION' }),
      'version_not_active',
      'rest:426/NONEXISTENT_VERSION',
    ],
    ['missing field', 422, { message: 'ERROR :: /author :: field is required\n', status: 422 }, 'rejected', 'http:422'],
    ['duplicate', 422, { status: 422, message: 'Content is a duplicate of urn:li:share:1' }, 'rejected', 'http:422'],
    ['not found, no body', 404, undefined, 'rejected', 'http:404'],
  ])('other 4xx (%s) → rejected', (_name, status, body, reason, code) => {
    expect(parse(status, body)).toMatchObject({ kind: 'rejected', reason, code, status });
  });

  it('a version LinkedIn no longer serves names the setting to change', () => {
    const error = parse(426, rest(426, { code: 'NONEXISTENT_VERSION' }));
    expect(error.userMessage).toBe(VERSION_NOT_ACTIVE_MESSAGE);
    expect(error.userMessage).toContain('LINKEDIN_VERSION');
  });

  it('keeps the platform message for logs only', () => {
    const error = parse(400, oauth('invalid_request'));
    expect(error.message).toContain('platform message');
    expect(error.userMessage).toBe('LinkedIn refused the request.');
  });
});

describe('parseRetryAfter and untilNextUtcDay', () => {
  it('reads seconds and dates, and nothing else', () => {
    expect(parseRetryAfter('30', NOW)).toBe(30_000);
    expect(parseRetryAfter(new Date(NOW - HOUR).toUTCString(), NOW)).toBe(0);
    expect(parseRetryAfter('', NOW)).toBeUndefined();
    expect(parseRetryAfter(null, NOW)).toBeUndefined();
    expect(parseRetryAfter('later', NOW)).toBeUndefined();
  });

  it('counts to the next midnight UTC, a whole day from midnight itself', () => {
    expect(untilNextUtcDay(NOW)).toBe(6 * HOUR);
    expect(untilNextUtcDay(Date.UTC(2026, 10, 23))).toBe(24 * HOUR);
  });
});
