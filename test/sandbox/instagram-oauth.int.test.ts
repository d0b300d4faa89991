import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DAY, HOUR } from '../../src/sandbox/core/clock.ts';
import { type RunningSandbox, startSandbox } from '../helpers/sandbox.ts';
import {
  ALL_SCOPES,
  authorizationCode,
  authorizeQuery,
  BRAND,
  CREATOR,
  decide,
  exchangeCode,
  expectGraphError,
  graph,
  IG_APP,
  igControl,
  igToken,
  REDIRECT,
} from './instagram-helpers.ts';

describe('Instagram Login: dialog, code exchange, long-lived tokens, profile', () => {
  let s: RunningSandbox;
  beforeAll(async () => {
    s = await startSandbox();
  });
  afterAll(() => s.close());
  beforeEach(async () => {
    await s.control.reset();
  });

  describe('authorize dialog', () => {
    it('shows the consent page with the app, the accounts and the permissions, on both hosts', async () => {
      for (const host of [s.urls.instagramWww, s.urls.instagramApi]) {
        const response = await fetch(`${host}/oauth/authorize?${authorizeQuery({ state: '<x>' })}`);
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toMatch(/text\/html/);
        expect(response.headers.get('content-security-policy')).toBe(
          "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self' http: https:",
        );
        const page = await response.text();
        expect(page).toContain('Allow Tether Sandbox (Instagram) to access your account?');
        expect(page).toContain('SANDBOX');
        expect(page).toContain('northwind.coffee');
        expect(page).toContain('sam.makes.things');
        expect(page).toContain('Create and publish content');
        expect(page).toContain('value="&lt;x&gt;"');
        expect(page).not.toContain('<x>');
      }
    });

    it('accepts space separated scopes', async () => {
      const response = await fetch(
        `${s.urls.instagramWww}/oauth/authorize?${authorizeQuery({ scope: ALL_SCOPES.join(' ') })}`,
      );
      expect(response.status).toBe(200);
    });

    it.each([
      ['an unknown client_id', { client_id: '999' }, 'Invalid platform app'],
      ['the Facebook app id', { client_id: '1000000000000001' }, 'Invalid platform app'],
      ['a non-http redirect_uri', { redirect_uri: 'javascript:alert(1)' }, 'Invalid redirect_uri'],
      ['response_type=token', { response_type: 'token' }, 'response_type=code'],
      ['no scope', { scope: undefined }, 'Missing required parameter: scope'],
      ['the deprecated business_* scopes', { scope: 'business_basic,business_content_publish' }, 'deprecated'],
      ['an unknown scope', { scope: 'instagram_business_basic,user_media' }, 'Invalid Scopes: user_media'],
    ])('shows an error page, never a redirect, for %s', async (_case, overrides, message) => {
      const response = await fetch(`${s.urls.instagramWww}/oauth/authorize?${authorizeQuery(overrides)}`, {
        redirect: 'manual',
      });
      expect(response.status).toBe(400);
      expect(response.headers.get('location')).toBeNull();
      expect(await response.text()).toContain(message);
    });

    it('refuses a redirect_uri the app has not registered', async () => {
      await s.control.upsertApp(IG_APP.id, { redirectUris: ['https://other.example/cb'] });
      const response = await fetch(`${s.urls.instagramWww}/oauth/authorize?${authorizeQuery()}`);
      expect(response.status).toBe(400);
      expect(await response.text()).toContain('Invalid redirect_uri');
    });

    it('redirects with code and state and the #_ fragment on Allow', async () => {
      const location = await decide(s, 'allow');
      expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
      expect(location.searchParams.get('code')).toMatch(/^AQB/);
      expect(location.searchParams.get('state')).toBe('st-123');
      expect(location.hash).toBe('#_');
    });

    it('redirects with the user_denied triple on Cancel', async () => {
      const location = await decide(s, 'cancel');
      expect(location.search).toBe(
        '?error=access_denied&error_reason=user_denied&error_description=The+user+denied+your+request&state=st-123',
      );
    });

    it('re-validates the posted form', async () => {
      const response = await fetch(`${s.urls.instagramWww}/oauth/authorize`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: authorizeQuery({ redirect_uri: 'ftp://evil.example' }),
        redirect: 'manual',
      });
      expect(response.status).toBe(400);
      expect(response.headers.get('location')).toBeNull();
    });
  });

  describe('code exchange', () => {
    it('alternates the wrapped and flat shapes, keeping every digit of user_id', async () => {
      const first = await exchangeCode(s, await authorizationCode(s, ALL_SCOPES, CREATOR));
      expect(first.status).toBe(200);
      expect(await first.json()).toEqual({
        data: [{ access_token: expect.stringMatching(/^IGAA/), user_id: CREATOR, permissions: ALL_SCOPES.join(',') }],
      });

      // 17841400000000001 is odd and above 2^53: only the raw JSON text holds it exactly.
      const second = await exchangeCode(s, await authorizationCode(s));
      const text = await second.text();
      expect(text).toMatch(new RegExp(`"user_id":${BRAND}[,}]`));
      const flat = JSON.parse(text);
      expect(flat.permissions).toEqual(ALL_SCOPES);
      expect(flat.access_token).toMatch(/^IGAA/);
      expect(String(flat.user_id)).not.toBe(BRAND);

      const third = await exchangeCode(s, await authorizationCode(s));
      expect(await third.json()).toHaveProperty('data.0.user_id', BRAND);
    });

    it('can be switched to always wrapped or always flat', async () => {
      await igControl(s).updateSettings({ tokenResponseShape: 'flat' });
      for (let i = 0; i < 2; i++) {
        const response = await exchangeCode(s, await authorizationCode(s));
        expect(await response.text()).toContain(`"user_id":${BRAND}`);
      }
      await igControl(s).updateSettings({ tokenResponseShape: 'wrapped' });
      for (let i = 0; i < 2; i++) {
        const response = await exchangeCode(s, await authorizationCode(s));
        expect(await response.json()).toHaveProperty('data.0.user_id', BRAND);
      }
      expect((await igControl(s).settings()).tokenResponseShape).toBe('wrapped');
      await expect(igControl(s).updateSettings({ tokenResponseShape: 'xml' as 'flat' })).rejects.toThrow();
    });

    it('issues a one-hour token for the chosen account and scopes', async () => {
      const response = await exchangeCode(s, await authorizationCode(s, ['instagram_business_basic'], CREATOR));
      const token = (await response.json()).data[0].access_token;
      const [record] = await s.control.tokens(CREATOR);
      expect(record).toMatchObject({ token, kind: 'instagram_user', scopes: ['instagram_business_basic'] });
      expect((record?.expiresAt ?? 0) - (record?.issuedAt ?? 0)).toBe(HOUR);
    });

    it('refuses a reused code', async () => {
      const code = await authorizationCode(s);
      expect((await exchangeCode(s, code)).status).toBe(200);
      const again = await exchangeCode(s, code);
      expect(again.status).toBe(400);
      expect(await again.json()).toEqual({
        error_type: 'OAuthException',
        code: 400,
        error_message: 'Matching code was not found or was already used',
      });
    });

    it('refuses an expired code, an unknown code and a code with #_ left on', async () => {
      const code = await authorizationCode(s);
      expect((await (await exchangeCode(s, `${code}#_`)).json()).error_message).toMatch(/Matching code/);
      await s.control.advanceClock(HOUR + 1);
      const expired = await exchangeCode(s, code);
      expect(expired.status).toBe(400);
      expect((await expired.json()).error_message).toBe('Matching code was not found or was already used');
    });

    it('refuses a redirect_uri other than the dialog one, a bad secret and missing fields', async () => {
      const code = await authorizationCode(s);
      const mismatch = await exchangeCode(s, code, { redirect_uri: 'https://tether.example/other' });
      expect(mismatch.status).toBe(400);
      expect(await mismatch.json()).toMatchObject({ error_type: 'OAuthException', code: 400 });
      const secret = await exchangeCode(s, code, { client_secret: 'wrong' });
      expect((await secret.json()).error_message).toBe('Error validating client secret.');
      const missing = await exchangeCode(s, code, { grant_type: '' });
      expect((await missing.json()).error_message).toBe('Missing required field grant_type');
      // None of these failures used the code up.
      expect((await exchangeCode(s, code)).status).toBe(200);
    });
  });

  describe('long-lived tokens and refresh', () => {
    const shortLived = async () => {
      await igControl(s).updateSettings({ tokenResponseShape: 'wrapped' });
      const response = await exchangeCode(s, await authorizationCode(s));
      return (await response.json()).data[0].access_token as string;
    };
    const exchange = (token: string, secret = IG_APP.secret) =>
      fetch(
        `${s.urls.instagramGraph}/access_token?${new URLSearchParams({ grant_type: 'ig_exchange_token', client_secret: secret, access_token: token })}`,
      );
    const refresh = (token: string) =>
      fetch(
        `${s.urls.instagramGraph}/v25.0/refresh_access_token?${new URLSearchParams({ grant_type: 'ig_refresh_token', access_token: token })}`,
      );

    it('exchanges a short-lived token for a 60-day token', async () => {
      const response = await exchange(await shortLived());
      expect(response.status).toBe(200);
      const body = await response.json();
      expect(body).toEqual({
        access_token: expect.stringMatching(/^IGAA/),
        token_type: 'bearer',
        expires_in: 5_184_000,
      });
      const bad = await exchange(await shortLived(), 'wrong');
      expectGraphError({ status: bad.status, body: await bad.json() }, 100);
      const twice = await exchange(body.access_token);
      expectGraphError({ status: twice.status, body: await twice.json() }, 100);
    });

    it('refreshes a token at least 24 hours old into a new 60-day token', async () => {
      const long = (await (await exchange(await shortLived())).json()).access_token;
      const early = await refresh(long);
      expect(early.status).toBe(400);
      const error = expectGraphError({ status: early.status, body: await early.json() }, 10);
      expect(error.type).toBe('OAuthException');
      expect(error.message).toMatch(/too new to refresh/);

      await s.control.advanceClock(DAY);
      const response = await refresh(long);
      expect(response.status).toBe(200);
      const body = await response.json();
      expect(body).toMatchObject({ token_type: 'bearer', expires_in: 5_184_000 });
      expect(body.access_token).not.toBe(long);
      // The new token's age counts from now.
      expect((await refresh(body.access_token)).status).toBe(400);
    });

    it('allows refreshCallsPerSecond refreshes per app in any second and refuses the rest with code 4', async () => {
      const [a, b, c] = [igToken(s), igToken(s), igToken(s)];
      await s.control.advanceClock(DAY);
      await s.control.setLimits({ refreshCallsPerSecond: 2 });
      const usage = (response: Response) => JSON.parse(response.headers.get('x-app-usage') ?? '{}').call_count;
      const [first, second, third] = [await refresh(a), await refresh(b), await refresh(c)];
      expect([first.status, second.status]).toEqual([200, 200]);
      expect([usage(first), usage(second)]).toEqual([50, 100]);
      expect(third.status).toBe(400);
      expect(usage(third)).toBe(100);
      const error = expectGraphError({ status: third.status, body: await third.json() }, 4);
      expect(error.message).toBe('(#4) Application request limit reached');
      // The refused call was not counted: a second later the allowance is whole again.
      await s.control.advanceClock(1000);
      const again = await refresh(c);
      expect(again.status).toBe(200);
      expect(usage(again)).toBe(50);
    });

    it('refuses to refresh without instagram_business_basic', async () => {
      const token = igToken(s, { scopes: ['instagram_business_content_publish'] });
      await s.control.advanceClock(DAY);
      const response = await refresh(token);
      expectGraphError({ status: response.status, body: await response.json() }, 10);
    });

    it('answers 190/463 for an expired token and 190 with the revocation subcode for a revoked one', async () => {
      const long = (await (await exchange(await shortLived())).json()).access_token;
      await s.control.advanceClock(60 * DAY);
      const expired = await refresh(long);
      expect(expired.status).toBe(400);
      expect(expired.headers.get('www-authenticate')).toMatch(/invalid_token/);
      expectGraphError({ status: expired.status, body: await expired.json() }, 190, 463);

      const revokedToken = igToken(s);
      await s.control.revokeTokens({ token: revokedToken }, 460);
      const revoked = await graph(s, 'graph-instagram', 'GET', '/me', revokedToken);
      expectGraphError(revoked, 190, 460);
      await s.control.revokeTokens({ token: igToken(s) }, 458);
    });
  });

  describe('profile', () => {
    it('answers /me with user_id (the professional account id) and the app-scoped id', async () => {
      const token = igToken(s);
      const fields = 'user_id,username,name,account_type,profile_picture_url,followers_count,follows_count,media_count';
      const result = await graph(s, 'graph-instagram', 'GET', '/me', token, { fields });
      expect(result.status).toBe(200);
      expect(result.body).toEqual({
        user_id: BRAND,
        username: 'northwind.coffee',
        name: 'Northwind Coffee',
        account_type: 'BUSINESS',
        profile_picture_url: `${s.urls.media}/avatars/northwind-coffee.jpg`,
        followers_count: 12840,
        follows_count: 311,
        media_count: 0,
        id: '2590000000000001',
      });
      const usage = JSON.parse(result.headers.get('x-business-use-case-usage') ?? '{}');
      expect(usage[BRAND][0]).toMatchObject({ type: 'instagram', estimated_time_to_regain_access: 0 });
    });

    it('takes the token as a query parameter too, and refuses unknown fields and Facebook tokens', async () => {
      const token = igToken(s, { accountId: CREATOR });
      const response = await fetch(`${s.urls.instagramGraph}/me?fields=username,account_type&access_token=${token}`);
      expect(await response.json()).toEqual({
        username: 'sam.makes.things',
        account_type: 'MEDIA_CREATOR',
        id: '2590000000000002',
      });
      expectGraphError(await graph(s, 'graph-instagram', 'GET', '/me', token, { fields: 'email' }), 100);
      const facebook = s.sandbox.tokens.issue({
        kind: 'facebook_user',
        appId: '1000000000000001',
        subjectId: '1',
        scopes: [],
        expiresAt: null,
      });
      expectGraphError(await graph(s, 'graph-instagram', 'GET', '/me', facebook.token), 190);
      expectGraphError(await graph(s, 'graph-instagram', 'GET', '/me', 'IGAAnonsense'), 190);
    });

    it('throttles with 80002 at the Instagram call limit', async () => {
      await s.control.setLimits({ instagramCallsPerHour: 2 });
      const token = igToken(s);
      expect((await graph(s, 'graph-instagram', 'GET', '/me', token)).status).toBe(200);
      const second = await graph(s, 'graph-instagram', 'GET', '/me', token);
      // The call that reaches the limit is served and already says when access comes back.
      expect(JSON.parse(second.headers.get('x-business-use-case-usage') ?? '{}')[BRAND][0]).toMatchObject({
        call_count: 100,
        estimated_time_to_regain_access: 60,
      });
      const third = await graph(s, 'graph-instagram', 'GET', '/me', token);
      expectGraphError(third, 80002);
      expect(JSON.parse(third.headers.get('x-business-use-case-usage') ?? '{}')[BRAND][0]).toMatchObject({
        estimated_time_to_regain_access: 60,
      });
      await s.control.advanceClock(HOUR);
      expect((await graph(s, 'graph-instagram', 'GET', '/me', token)).status).toBe(200);
    });
  });
});
