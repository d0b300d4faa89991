import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningSandbox, startSandbox } from '../helpers/sandbox.ts';
import {
  authorizeCode,
  connect,
  exchangeCode,
  LI_APP,
  linkedinControl,
  MEMBER_SUB,
  tokenCall,
} from './linkedin-helpers.ts';

const DAY_MS = 86_400_000;

/** Seconds counted down on the virtual clock, which also moves with real time while the test runs. */
const expectAbout = (actual: unknown, seconds: number) => {
  expect(actual).toBeGreaterThanOrEqual(seconds - 2);
  expect(actual).toBeLessThanOrEqual(seconds);
};
const BAD_CODE =
  'Unable to retrieve access token: appid/redirect uri/code verifier does not match authorization code. Or authorization code expired. Or external member binding exists';

describe('LinkedIn OAuth: accessToken', () => {
  let s: RunningSandbox;
  beforeAll(async () => {
    s = await startSandbox();
  });
  afterAll(() => s.close());
  beforeEach(() => s.control.reset());

  it('exchanges a code for a 60-day token, a 365-day refresh token and an id_token, without token_type', async () => {
    const { status, body } = await exchangeCode(s, await authorizeCode(s, 'openid profile email w_member_social'));
    expect(status).toBe(200);
    expect(Object.keys(body).sort()).toEqual([
      'access_token',
      'expires_in',
      'id_token',
      'refresh_token',
      'refresh_token_expires_in',
      'scope',
    ]);
    expect(body.access_token).toMatch(/^AQV[\w-]{120}$/);
    expect(body.refresh_token).toMatch(/^AQW[\w-]{120}$/);
    expect(body.expires_in).toBe(5_184_000);
    expect(body.refresh_token_expires_in).toBe(31_536_000);
    expect(body.scope).toBe('email,openid,profile,w_member_social');

    const [header = '', payload = '', signature = ''] = String(body.id_token).split('.');
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({ typ: 'JWT', alg: 'HS256' });
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    expect(claims).toMatchObject({
      iss: 'https://www.linkedin.com',
      aud: LI_APP.clientId,
      sub: MEMBER_SUB,
      email: 'sam@northwind.example',
      name: 'Sam Rivera',
    });
    expect(claims.exp - claims.iat).toBe(3600);
    expect(signature).toBe(createHmac('sha256', LI_APP.secret).update(`${header}.${payload}`).digest('base64url'));
  });

  it('gives no refresh token to apps without programmatic refresh, and no id_token without openid', async () => {
    await s.control.upsertApp(LI_APP.clientId, { programmaticRefresh: false });
    const { body } = await exchangeCode(s, await authorizeCode(s, 'w_member_social'));
    expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'scope']);
    expect(body.scope).toBe('w_member_social');
    const refresh = await tokenCall(s, {
      grant_type: 'refresh_token',
      refresh_token: String(body.access_token),
      client_id: LI_APP.clientId,
      client_secret: LI_APP.secret,
    });
    expect(refresh).toEqual({
      status: 400,
      body: {
        error: 'invalid_grant',
        error_description: 'The provided authorization grant or refresh token is invalid, expired or revoked',
      },
    });
  });

  it('refuses a reused, expired or foreign-redirect code with invalid_request', async () => {
    const code = await authorizeCode(s, 'openid');
    expect((await exchangeCode(s, code, { redirect_uri: 'https://tether.example/other' })).body).toEqual({
      error: 'invalid_request',
      error_description: BAD_CODE,
    });
    expect((await exchangeCode(s, code)).status).toBe(200);
    expect(await exchangeCode(s, code)).toEqual({
      status: 400,
      body: { error: 'invalid_request', error_description: BAD_CODE },
    });

    const late = await authorizeCode(s, 'openid');
    await s.control.advanceClock(30 * 60_000 + 1000);
    expect((await exchangeCode(s, late)).body.error).toBe('invalid_request');
  });

  it('answers bad credentials 401, unknown grants and missing fields 400', async () => {
    const code = await authorizeCode(s, 'openid');
    expect(await exchangeCode(s, code, { client_secret: 'wrong' })).toEqual({
      status: 401,
      body: { error: 'invalid_client', error_description: 'Client authentication failed' },
    });
    expect((await exchangeCode(s, code, { client_id: '1000000000000001' })).status).toBe(401);
    expect(await exchangeCode(s, code, { grant_type: 'password' })).toEqual({
      status: 400,
      body: { error: 'unsupported_grant_type', error_description: 'The grant type "password" is not supported' },
    });
    expect(
      await tokenCall(s, {
        grant_type: 'authorization_code',
        client_id: LI_APP.clientId,
        client_secret: LI_APP.secret,
      }),
    ).toEqual({
      status: 400,
      body: { error: 'invalid_request', error_description: 'A required parameter "code" is missing' },
    });
    // The code survived the failed attempts.
    expect((await exchangeCode(s, code)).status).toBe(200);
  });

  it('refreshes into a new access token while the refresh token keeps its original expiry', async () => {
    const first = await connect(s, 'openid profile w_member_social');
    await s.control.advanceClock(10 * DAY_MS);
    const refreshed = await tokenCall(s, {
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token ?? '',
      client_id: LI_APP.clientId,
      client_secret: LI_APP.secret,
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.access_token).not.toBe(first.access_token);
    expect(refreshed.body).toMatchObject({
      expires_in: 5_184_000,
      refresh_token: first.refresh_token,
      scope: 'openid,profile,w_member_social',
    });
    expect(refreshed.body).not.toHaveProperty('id_token');
    // Counts down from the original 365 days (a second may pass in real time between the calls).
    expectAbout(refreshed.body.refresh_token_expires_in, 31_536_000 - 10 * 86_400);

    await s.control.advanceClock(300 * DAY_MS);
    const later = await tokenCall(s, {
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token ?? '',
      client_id: LI_APP.clientId,
      client_secret: LI_APP.secret,
    });
    expectAbout(later.body.refresh_token_expires_in, 31_536_000 - 310 * 86_400);

    await s.control.advanceClock(56 * DAY_MS);
    const dead = await tokenCall(s, {
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token ?? '',
      client_id: LI_APP.clientId,
      client_secret: LI_APP.secret,
    });
    expect(dead.status).toBe(400);
    expect(dead.body.error).toBe('invalid_grant');
  });

  it('refuses a revoked refresh token or one of another client', async () => {
    const { refresh_token } = await connect(s, 'openid');
    await s.control.upsertApp('otherlinkedinclient', { secret: 'other-secret', platform: 'linkedin', name: 'Other' });
    const foreign = await tokenCall(s, {
      grant_type: 'refresh_token',
      refresh_token: refresh_token ?? '',
      client_id: 'otherlinkedinclient',
      client_secret: 'other-secret',
    });
    expect(foreign.body.error).toBe('invalid_grant');
    await s.control.revokeTokens({ token: refresh_token ?? '' }, 458);
    const revoked = await tokenCall(s, {
      grant_type: 'refresh_token',
      refresh_token: refresh_token ?? '',
      client_id: LI_APP.clientId,
      client_secret: LI_APP.secret,
    });
    expect(revoked).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('revokes the earlier tokens when the member approves a different scope set', async () => {
    const first = await connect(s, 'openid profile');
    const same = await connect(s, 'profile openid');
    const introspect = async (token: string) =>
      (
        await fetch(`${s.urls.linkedinWww}/oauth/v2/introspectToken`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ client_id: LI_APP.clientId, client_secret: LI_APP.secret, token }),
        })
      ).json();
    expect(await introspect(first.access_token)).toMatchObject({ active: true });

    const wider = await connect(s, 'openid profile email');
    expect(await introspect(first.access_token)).toMatchObject({ active: false, status: 'revoked' });
    expect(await introspect(same.refresh_token ?? '')).toMatchObject({ active: false, status: 'revoked' });
    expect(await introspect(wider.access_token)).toMatchObject({ active: true, scope: 'email,openid,profile' });
    expect(await linkedinControl(s).grants()).toEqual([
      { appId: LI_APP.clientId, memberSub: MEMBER_SUB, scopes: ['openid', 'profile', 'email'] },
    ]);
  });
});

describe('LinkedIn OAuth: introspectToken', () => {
  let s: RunningSandbox;
  beforeAll(async () => {
    s = await startSandbox();
  });
  afterAll(() => s.close());
  beforeEach(() => s.control.reset());

  const introspect = (form: Record<string, string>) =>
    fetch(`${s.urls.linkedinWww}/oauth/v2/introspectToken`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form),
    });

  it('describes an active, an expired and a revoked token', async () => {
    const { now } = await s.control.advanceClock(0);
    const { access_token } = await connect(s, 'openid profile w_member_social');
    const form = { client_id: LI_APP.clientId, client_secret: LI_APP.secret, token: access_token };
    const active = await introspect(form);
    expect(active.status).toBe(200);
    const body = await active.json();
    expect(body).toEqual({
      active: true,
      client_id: LI_APP.clientId,
      authorized_at: expect.any(Number),
      created_at: expect.any(Number),
      status: 'active',
      expires_at: body.created_at + 5_184_000,
      scope: 'openid,profile,w_member_social',
      auth_type: '3L',
    });
    expect(Math.abs(body.created_at - Date.parse(now) / 1000)).toBeLessThan(5);

    await s.control.advanceClock(61 * DAY_MS);
    expect(await (await introspect(form)).json()).toMatchObject({ active: false, status: 'expired' });

    const second = await connect(s, 'openid profile w_member_social');
    await s.control.revokeTokens({ token: second.access_token }, 458);
    expect(await (await introspect({ ...form, token: second.access_token })).json()).toMatchObject({
      active: false,
      status: 'revoked',
    });
  });

  it('says only active:false for a token of another client or an unknown one; 401 for bad credentials', async () => {
    const { access_token } = await connect(s, 'openid');
    await s.control.upsertApp('otherlinkedinclient', { secret: 'other-secret', platform: 'linkedin', name: 'Other' });
    const foreign = await introspect({
      client_id: 'otherlinkedinclient',
      client_secret: 'other-secret',
      token: access_token,
    });
    expect(await foreign.json()).toEqual({ active: false });
    const unknown = await introspect({ client_id: LI_APP.clientId, client_secret: LI_APP.secret, token: 'AQVnope' });
    expect(await unknown.json()).toEqual({ active: false });
    const bad = await introspect({ client_id: LI_APP.clientId, client_secret: 'wrong', token: access_token });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toEqual({ error: 'invalid_client', error_description: 'Client authentication failed' });
  });
});
