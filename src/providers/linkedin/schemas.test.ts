import { describe, expect, it } from 'vitest';
import { introspection, oauthErrorBody, restErrorBody, tokenResponse, userinfo } from './schemas.ts';

describe('LinkedIn schemas', () => {
  it('reads a token answer with a refresh token, and one without token_type, refresh token or scope', () => {
    expect(
      tokenResponse.parse({
        access_token: 'AQV',
        expires_in: 5184000,
        scope: 'email,openid,profile,w_member_social',
        refresh_token: 'AQW',
        refresh_token_expires_in: 31536000,
        id_token: 'eyJ.x.y',
      }),
    ).toMatchObject({
      scope: ['email', 'openid', 'profile', 'w_member_social'],
      refresh_token: 'AQW',
      refresh_token_expires_in: 31536000,
    });
    const plain = tokenResponse.parse({ access_token: 'AQV', expires_in: 5184000 });
    expect(plain).toEqual({ access_token: 'AQV', expires_in: 5184000 });
    expect(tokenResponse.parse({ access_token: 'AQV', expires_in: 1, scope: 'openid profile' }).scope).toEqual([
      'openid',
      'profile',
    ]);
  });

  it('refuses a token answer without an access token or lifetime', () => {
    expect(tokenResponse.safeParse({ access_token: '', expires_in: 5184000 }).success).toBe(false);
    expect(tokenResponse.safeParse({ access_token: 'AQV' }).success).toBe(false);
  });

  it('reads introspection, active or only {"active":false}', () => {
    expect(
      introspection.parse({
        active: true,
        client_id: 'c',
        authorized_at: 1790000000,
        created_at: 1790000000,
        status: 'active',
        expires_at: 1795184000,
        scope: 'openid,profile,w_member_social',
        auth_type: '3L',
      }),
    ).toMatchObject({ active: true, expires_at: 1795184000, scope: ['openid', 'profile', 'w_member_social'] });
    expect(introspection.parse({ active: false })).toEqual({ active: false });
    expect(introspection.parse({ active: false, status: 'revoked' }).status).toBe('revoked');
  });

  it('reads userinfo with locale as a string or an object, and without picture or email (§10.13)', () => {
    const claims = { sub: '782bbtaQ', name: 'Jane Doe', given_name: 'Jane', family_name: 'Doe' };
    expect(userinfo.parse({ ...claims, locale: 'en-US', email: 'j@x', email_verified: true })).toMatchObject({
      locale: 'en-US',
    });
    expect(userinfo.parse({ ...claims, locale: { country: 'US', language: 'en' } }).locale).toEqual({
      country: 'US',
      language: 'en',
    });
    expect(userinfo.parse({ sub: '782bbtaQ' })).toEqual({ sub: '782bbtaQ' });
    expect(userinfo.safeParse({ name: 'No Sub' }).success).toBe(false);
  });

  it('tells the OAuth envelope from the REST one', () => {
    expect(oauthErrorBody.safeParse({ error: 'invalid_grant', error_description: 'x' }).success).toBe(true);
    expect(oauthErrorBody.safeParse({ status: 401, code: 'INVALID_ACCESS_TOKEN' }).success).toBe(false);
    expect(restErrorBody.safeParse({ status: 401, serviceErrorCode: 65600, message: 'x' }).success).toBe(true);
    expect(restErrorBody.safeParse({ message: 'only a message' }).success).toBe(false);
    expect(restErrorBody.safeParse('<html>').success).toBe(false);
  });
});
