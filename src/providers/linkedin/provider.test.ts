import { describe, expect, it } from 'vitest';
import { Secret } from '../../server/vault/secret.ts';
import type { Fetch } from '../meta-graph/client.ts';
import { createLinkedInProvider } from './provider.ts';

const NOW = Date.UTC(2026, 10, 22, 12);
const DAY = 24 * 60 * 60_000;
const SCOPES = ['openid', 'profile', 'email', 'w_member_social'];

interface Call {
  url: string;
  form: Record<string, string>;
  headers: Record<string, string>;
}

/** Answers by path; records each call with its form fields. */
function fakeLinkedIn(answers: Record<string, () => Response>) {
  const calls: Call[] = [];
  const fetch: Fetch = async (url, init) => {
    const path = new URL(url).pathname;
    calls.push({
      url,
      form: Object.fromEntries(new URLSearchParams(typeof init?.body === 'string' ? init.body : '')),
      headers: (init?.headers ?? {}) as Record<string, string>,
    });
    const answer = answers[path];
    if (!answer) throw new Error(`unexpected call to ${path}`);
    return answer();
  };
  return { fetch, calls };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const provider = (fetch: Fetch, now = () => NOW) =>
  createLinkedInProvider(
    {
      clientId: 'client-1',
      clientSecret: 'shh',
      version: '202610',
      scopes: SCOPES,
      apiUrl: 'http://li.test/api',
      wwwUrl: 'http://li.test/www',
    },
    { fetch, now },
  );

const TOKEN_PATH = '/www/oauth/v2/accessToken';
const INTROSPECT_PATH = '/www/oauth/v2/introspectToken';

describe('LinkedIn member provider', () => {
  it('refreshes with a refresh token, has no revocation, and asks for the configured scopes', () => {
    const li = provider(fakeLinkedIn({}).fetch);
    expect(li).toMatchObject({ id: 'linkedin', capabilities: { refresh: 'refresh_token' }, requiredScopes: SCOPES });
    expect(li.revoke).toBeUndefined();
    const url = new URL(
      li.authorizationUrl({ state: 'st 1', redirectUri: 'http://t.test/api/oauth/callback/linkedin' }),
    );
    expect(url.origin + url.pathname).toBe('http://li.test/www/oauth/v2/authorization');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'client-1',
      redirect_uri: 'http://t.test/api/oauth/callback/linkedin',
      state: 'st 1',
      scope: 'openid profile email w_member_social',
    });
    expect(url.search).toContain('scope=openid%20profile%20email%20w_member_social');
    expect(url.search).not.toContain('code_challenge');
  });

  it('exchanges a code for an access token and a refresh token with its own expiry', async () => {
    const fake = fakeLinkedIn({
      [TOKEN_PATH]: () =>
        json(200, {
          access_token: 'AQV-1',
          expires_in: 5184000,
          scope: 'email,openid,profile,w_member_social',
          refresh_token: 'AQW-1',
          refresh_token_expires_in: 31536000,
          id_token: 'eyJ.x.y',
        }),
    });
    const tokens = await provider(fake.fetch).exchangeCode({ code: 'c-1', redirectUri: 'http://t.test/cb' });
    expect(tokens.accessToken.reveal()).toBe('AQV-1');
    expect(tokens.expiresAt).toEqual(new Date(NOW + 60 * DAY));
    expect(tokens.refreshToken?.reveal()).toBe('AQW-1');
    expect(tokens.refreshTokenExpiresAt).toEqual(new Date(NOW + 365 * DAY));
    expect(tokens.scopes).toEqual(['email', 'openid', 'profile', 'w_member_social']);
    expect(fake.calls[0]?.form).toEqual({
      grant_type: 'authorization_code',
      code: 'c-1',
      redirect_uri: 'http://t.test/cb',
      client_id: 'client-1',
      client_secret: 'shh',
    });
  });

  it('takes an answer without token_type, refresh token or scope: all requested scopes were granted', async () => {
    const fake = fakeLinkedIn({ [TOKEN_PATH]: () => json(200, { access_token: 'AQV-2', expires_in: 5184000 }) });
    const tokens = await provider(fake.fetch).exchangeCode({ code: 'c', redirectUri: 'http://t.test/cb' });
    expect(tokens.refreshToken).toBeUndefined();
    expect(tokens.refreshTokenExpiresAt).toBeUndefined();
    expect(tokens.scopes).toEqual(SCOPES);
  });

  it('rejects a bad code (invalid_request) without asking for a reconnect', async () => {
    const fake = fakeLinkedIn({
      [TOKEN_PATH]: () => json(400, { error: 'invalid_request', error_description: 'Unable to retrieve access token' }),
    });
    await expect(
      provider(fake.fetch).exchangeCode({ code: 'used', redirectUri: 'http://t.test/cb' }),
    ).rejects.toMatchObject({ kind: 'rejected', code: 'oauth:invalid_request' });
  });

  it('lists the member themself from userinfo, named by name, given and family name, or email', async () => {
    const claims = [
      {
        sub: 'm1',
        name: 'Sam Rivera',
        picture: 'https://media.test/sam.jpg',
        locale: { country: 'US', language: 'en' },
      },
      { sub: 'm2', given_name: 'Jo', family_name: 'Lee' },
      { sub: 'm3', email: 'x@example.com' },
      { sub: 'm4' },
    ];
    const found = [];
    for (const claim of claims) {
      const fake = fakeLinkedIn({ '/api/v2/userinfo': () => json(200, claim) });
      const { candidates, problems } = await provider(fake.fetch).listTargets({
        accessToken: new Secret('AQV-1'),
        expiresAt: null,
        scopes: SCOPES,
      });
      expect(problems).toEqual([]);
      expect(fake.calls[0]?.headers).toMatchObject({ authorization: 'Bearer AQV-1' });
      expect(fake.calls[0]?.headers).not.toHaveProperty('linkedin-version');
      found.push(...candidates);
    }
    expect(found).toEqual([
      {
        externalId: 'm1',
        username: null,
        displayName: 'Sam Rivera',
        profilePictureUrl: 'https://media.test/sam.jpg',
        parent: null,
      },
      { externalId: 'm2', username: null, displayName: 'Jo Lee', profilePictureUrl: null, parent: null },
      { externalId: 'm3', username: null, displayName: 'x@example.com', profilePictureUrl: null, parent: null },
      { externalId: 'm4', username: null, displayName: null, profilePictureUrl: null, parent: null },
    ]);
  });

  it('inspects with introspection: expiry and scopes when active, the reason when not', async () => {
    const answers = [
      { active: true, status: 'active', expires_at: 1795184000, scope: 'openid,profile,w_member_social' },
      { active: false, status: 'expired', expires_at: 1795184000 },
      { active: false, status: 'revoked' },
      { active: false },
    ];
    const results = [];
    for (const answer of answers) {
      const fake = fakeLinkedIn({ [INTROSPECT_PATH]: () => json(200, answer) });
      results.push(await provider(fake.fetch).inspect(new Secret('AQV-1')));
      expect(fake.calls[0]?.form).toEqual({ token: 'AQV-1', client_id: 'client-1', client_secret: 'shh' });
    }
    expect(results).toEqual([
      {
        valid: true,
        expiresAt: new Date(1795184000 * 1000),
        dataAccessExpiresAt: null,
        scopes: ['openid', 'profile', 'w_member_social'],
      },
      {
        valid: false,
        expiresAt: undefined,
        dataAccessExpiresAt: null,
        scopes: undefined,
        invalidReason: 'token_expired',
      },
      {
        valid: false,
        expiresAt: undefined,
        dataAccessExpiresAt: null,
        scopes: undefined,
        invalidReason: 'token_revoked',
      },
      {
        valid: false,
        expiresAt: undefined,
        dataAccessExpiresAt: null,
        scopes: undefined,
        invalidReason: 'invalid_token',
      },
    ]);
  });

  it('lets a throttled or failing introspection through as an error, not as an invalid token', async () => {
    const throttled = fakeLinkedIn({ [INTROSPECT_PATH]: () => json(429, { status: 429 }) });
    await expect(provider(throttled.fetch).inspect(new Secret('t'))).rejects.toMatchObject({ kind: 'rate_limited' });
    const badClient = fakeLinkedIn({ [INTROSPECT_PATH]: () => json(401, { error: 'invalid_client' }) });
    await expect(provider(badClient.fetch).inspect(new Secret('t'))).rejects.toMatchObject({ kind: 'rejected' });
  });

  it('refreshes: a new access token, the refresh token keeping its first expiry', async () => {
    const firstExpiry = new Date(NOW + 300 * DAY);
    const fake = fakeLinkedIn({
      [TOKEN_PATH]: () =>
        json(200, {
          access_token: 'AQV-new',
          expires_in: 5184000,
          scope: 'email,openid,profile,w_member_social',
          refresh_token: 'AQW-1',
          // Counted from LinkedIn's clock and rounded: never moves the stored date.
          refresh_token_expires_in: 300 * 86400 + 1,
        }),
    });
    const refreshed = await provider(fake.fetch).refresh?.({
      accessToken: new Secret('AQV-old'),
      expiresAt: new Date(NOW + 5 * DAY),
      scopes: SCOPES,
      refreshToken: new Secret('AQW-1'),
      refreshTokenExpiresAt: firstExpiry,
    });
    expect(refreshed?.accessToken.reveal()).toBe('AQV-new');
    expect(refreshed?.expiresAt).toEqual(new Date(NOW + 60 * DAY));
    expect(refreshed?.refreshToken?.reveal()).toBe('AQW-1');
    expect(refreshed?.refreshTokenExpiresAt).toEqual(firstExpiry);
    expect(fake.calls[0]?.form).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'AQW-1',
      client_id: 'client-1',
      client_secret: 'shh',
    });
  });

  it('never lets a refreshed access token outlive its refresh token, and takes a new refresh token with its expiry', async () => {
    const ending = new Date(NOW + 5 * DAY);
    const capped = fakeLinkedIn({
      [TOKEN_PATH]: () => json(200, { access_token: 'AQV-new', expires_in: 5184000, refresh_token: 'AQW-1' }),
    });
    const last = await provider(capped.fetch).refresh?.({
      accessToken: new Secret('AQV-old'),
      expiresAt: new Date(NOW + DAY),
      scopes: SCOPES,
      refreshToken: new Secret('AQW-1'),
      refreshTokenExpiresAt: ending,
    });
    expect(last?.expiresAt).toEqual(ending);
    expect(last?.refreshTokenExpiresAt).toEqual(ending);

    const rotated = fakeLinkedIn({
      [TOKEN_PATH]: () =>
        json(200, {
          access_token: 'AQV-new',
          expires_in: 5184000,
          refresh_token: 'AQW-2',
          refresh_token_expires_in: 31536000,
        }),
    });
    const next = await provider(rotated.fetch).refresh?.({
      accessToken: new Secret('AQV-old'),
      expiresAt: new Date(NOW + DAY),
      scopes: SCOPES,
      refreshToken: new Secret('AQW-1'),
      refreshTokenExpiresAt: ending,
    });
    expect(next?.refreshToken?.reveal()).toBe('AQW-2');
    expect(next?.refreshTokenExpiresAt).toEqual(new Date(NOW + 365 * DAY));
    expect(next?.expiresAt).toEqual(new Date(NOW + 60 * DAY));
    expect(next?.scopes).toEqual(SCOPES);
  });

  it('asks for a reconnect when the refresh token is dead, and refuses to refresh without one', async () => {
    const dead = fakeLinkedIn({
      [TOKEN_PATH]: () =>
        json(400, {
          error: 'invalid_grant',
          error_description: 'The provided authorization grant or refresh token is invalid, expired or revoked',
        }),
    });
    const tokens = { accessToken: new Secret('AQV'), expiresAt: null, scopes: SCOPES };
    await expect(
      provider(dead.fetch).refresh?.({ ...tokens, refreshToken: new Secret('AQW-dead') }),
    ).rejects.toMatchObject({ kind: 'reauth_required', reason: 'refresh_token_invalid' });
    const none = fakeLinkedIn({});
    await expect(provider(none.fetch).refresh?.(tokens)).rejects.toMatchObject({
      kind: 'rejected',
      reason: 'no_refresh_token',
    });
    expect(none.calls).toEqual([]);
  });
});
