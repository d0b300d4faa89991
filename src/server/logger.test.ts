import { describe, expect, it } from 'vitest';
import { REDACTED, redactSecrets, redactUrl } from './logger.ts';

describe('redactSecrets', () => {
  it('replaces values of fields named like tokens, secrets, codes and passwords, at any depth', () => {
    const input = {
      password: 'p',
      user: { accessToken: 'a', refresh_token: 'r', clientSecret: 's', code: 'c', authCode: 'ac', name: 'kept' },
      list: [{ apiKey: 'k', id: 1 }],
      headers: { authorization: 'Bearer x', cookie: 'c=1', 'user-agent': 'kept' },
      signed_request: 'sr',
      code_verifier: 'v',
    };
    expect(redactSecrets(input)).toEqual({
      password: REDACTED,
      user: {
        accessToken: REDACTED,
        refresh_token: REDACTED,
        clientSecret: REDACTED,
        code: REDACTED,
        authCode: REDACTED,
        name: 'kept',
      },
      list: [{ apiKey: REDACTED, id: 1 }],
      headers: { authorization: REDACTED, cookie: REDACTED, 'user-agent': 'kept' },
      signed_request: REDACTED,
      code_verifier: REDACTED,
    });
  });

  it('keeps ordinary fields, including status codes', () => {
    const input = { statusCode: 404, errorCode: 'NOT_FOUND', responseTime: 3, msg: 'hello' };
    expect(redactSecrets(input)).toEqual(input);
  });

  it('does not modify its input', () => {
    const input = { token: 't' };
    redactSecrets(input);
    expect(input.token).toBe('t');
  });
});

describe('redactUrl', () => {
  it('hides sensitive query parameters and keeps the rest', () => {
    expect(redactUrl('/api/oauth/callback/instagram?code=abc&state=xyz')).toBe(
      `/api/oauth/callback/instagram?code=${encodeURIComponent(REDACTED)}&state=${encodeURIComponent(REDACTED)}`,
    );
    expect(redactUrl('/x?access_token=1&page=2')).toContain('page=2');
    expect(redactUrl('/x?access_token=1&page=2')).not.toContain('access_token=1');
    expect(redactUrl('/plain/path')).toBe('/plain/path');
  });
});
