import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { liveVersions } from '../../src/sandbox/linkedin/rest-guard.ts';
import { type RunningSandbox, startSandbox } from '../helpers/sandbox.ts';
import { api, connect, linkedinControl, MEMBER_SUB } from './linkedin-helpers.ts';

const DAY_MS = 86_400_000;

describe('LinkedIn identity: /v2/userinfo and /v2/me', () => {
  let s: RunningSandbox;
  beforeAll(async () => {
    s = await startSandbox();
  });
  afterAll(() => s.close());
  beforeEach(() => s.control.reset());

  it('returns the OpenID claims, email only with the email scope, and needs no LinkedIn-Version', async () => {
    const full = await connect(s, 'openid profile email');
    const info = await api(s, '/v2/userinfo', { token: full.access_token, headers: { 'linkedin-version': undefined } });
    expect(info.status).toBe(200);
    expect(info.json).toEqual({
      sub: MEMBER_SUB,
      name: 'Sam Rivera',
      given_name: 'Sam',
      family_name: 'Rivera',
      picture: `${s.urls.media}/avatars/sam-rivera.jpg`,
      locale: 'en-US',
      email: 'sam@northwind.example',
      email_verified: true,
    });

    const noEmail = await connect(s, 'openid profile');
    const without = await api(s, '/v2/userinfo', { token: noEmail.access_token });
    expect(without.json).not.toHaveProperty('email');
    expect(without.json).not.toHaveProperty('email_verified');
  });

  it('switches locale to the object shape through the control route', async () => {
    await linkedinControl(s).updateSettings({ localeShape: 'object' });
    const { access_token } = await connect(s, 'openid profile');
    const info = await api(s, '/v2/userinfo', { token: access_token });
    expect(info.json?.locale).toEqual({ country: 'US', language: 'en' });
  });

  it('refuses /v2/userinfo without openid and /v2/me with only OIDC scopes', async () => {
    const member = await connect(s, 'w_member_social');
    const info = await api(s, '/v2/userinfo', { token: member.access_token });
    expect(info.status).toBe(403);
    expect(info.json).toMatchObject({ status: 403, code: 'ACCESS_DENIED' });

    const oidc = await connect(s, 'openid profile email');
    const me = await api(s, '/v2/me', { token: oidc.access_token });
    expect(me.status).toBe(403);
    expect(me.text).toBe('{"serviceErrorCode":100,"message":"Not enough permissions to access: GET /me","status":403}');

    const legacy = await connect(s, 'r_liteprofile');
    const allowed = await api(s, '/v2/me', { token: legacy.access_token });
    expect(allowed.json).toEqual({ id: MEMBER_SUB, localizedFirstName: 'Sam', localizedLastName: 'Rivera' });
  });
});

describe('LinkedIn REST: tokens, versions and daily limits', () => {
  let s: RunningSandbox;
  beforeAll(async () => {
    s = await startSandbox();
  });
  afterAll(() => s.close());
  beforeEach(() => s.control.reset());

  const acls = '/rest/organizationAcls?q=roleAssignee&role=ADMINISTRATOR&state=APPROVED';

  it('answers missing, unknown, expired and revoked tokens with 401 and the matching code', async () => {
    expect((await api(s, acls)).json).toEqual({
      status: 401,
      serviceErrorCode: 65604,
      code: 'EMPTY_ACCESS_TOKEN',
      message: 'Empty oauth2 access token',
    });
    expect((await api(s, acls, { token: 'AQVnot-a-token' })).json).toEqual({
      status: 401,
      serviceErrorCode: 65600,
      code: 'INVALID_ACCESS_TOKEN',
      message: 'Invalid access token',
    });
    const { access_token, refresh_token } = await connect(s, 'rw_organization_admin');
    expect((await api(s, acls, { token: refresh_token })).json).toMatchObject({ code: 'INVALID_ACCESS_TOKEN' });
    await s.control.revokeTokens({ token: access_token }, 458);
    expect((await api(s, acls, { token: access_token })).json).toEqual({
      status: 401,
      serviceErrorCode: 65601,
      code: 'REVOKED_ACCESS_TOKEN',
      message: 'The token used in the request has been revoked by the user',
    });
    const fresh = await connect(s, 'rw_organization_admin');
    await s.control.advanceClock(60 * DAY_MS + 1000);
    const expired = await api(s, acls, { token: fresh.access_token });
    expect(expired.status).toBe(401);
    expect(expired.json).toEqual({
      status: 401,
      serviceErrorCode: 65602,
      code: 'EXPIRED_ACCESS_TOKEN',
      message: 'The token used in the request has expired',
    });
  });

  it('requires LinkedIn-Version: 400 when missing, 426 when not live', async () => {
    const { access_token } = await connect(s, 'rw_organization_admin');
    const missing = await api(s, acls, { token: access_token, headers: { 'linkedin-version': undefined } });
    expect(missing.status).toBe(400);
    expect(missing.json).toEqual({
      status: 400,
      code: 'VERSION_MISSING',
      message: 'A version must be present. Please specify a version by adding the LinkedIn-Version header.',
    });

    const { now } = await s.control.advanceClock(0);
    const live = liveVersions(Date.parse(now));
    expect(live).toHaveLength(12);
    const oldest = live[11] ?? '';
    const year = Number(oldest.slice(0, 4));
    const month = Number(oldest.slice(4));
    const sunset = month === 1 ? `${year - 1}12` : `${year}${String(month - 1).padStart(2, '0')}`;
    const nextYear = `${Number(live[0]?.slice(0, 4)) + 1}01`;
    for (const version of [sunset, nextYear, '2025-10', 'latest']) {
      const response = await api(s, acls, { token: access_token, headers: { 'linkedin-version': version } });
      expect(response.status, version).toBe(426);
      expect(response.json).toEqual({
        status: 426,
        code: 'NONEXISTENT_VERSION',
        message: `Requested version ${version} is not active`,
      });
    }
    for (const version of [oldest, `${live[0]}.01`]) {
      expect((await api(s, acls, { token: access_token, headers: { 'linkedin-version': version } })).status).toBe(200);
    }
  });

  it('throttles per member and per app per UTC day with 429 and no Retry-After', async () => {
    const { access_token } = await connect(s, 'rw_organization_admin');
    await s.control.setLimits({ linkedinCallsPerDay: 3 });
    // Start at a UTC midnight so that the whole test runs inside one day.
    const { now } = await s.control.advanceClock(0);
    await s.control.advanceClock(DAY_MS - (Date.parse(now) % DAY_MS) + 1000);
    for (let call = 0; call < 3; call += 1) expect((await api(s, acls, { token: access_token })).status).toBe(200);
    const throttled = await api(s, acls, { token: access_token });
    expect(throttled.status).toBe(429);
    expect(throttled.response.headers.get('retry-after')).toBeNull();
    expect(throttled.json).toEqual({
      status: 429,
      code: 'TOO_MANY_REQUESTS',
      message: 'Resource level throttle MEMBER DAY limit for calls to this resource is reached.',
    });

    await s.control.advanceClock(DAY_MS);
    expect((await api(s, acls, { token: access_token })).status).toBe(200);

    await s.control.setLimits({ linkedinCallsPerDay: 100 });
    await linkedinControl(s).updateSettings({ appCallsPerDay: 2 });
    expect((await api(s, acls, { token: access_token })).status).toBe(200);
    const app = await api(s, acls, { token: access_token });
    expect(app.status).toBe(429);
    expect(app.json?.message).toBe(
      'Resource level throttle APPLICATION DAY limit for calls to this resource is reached.',
    );
  });
});

describe('LinkedIn REST: organizationAcls', () => {
  let s: RunningSandbox;
  beforeAll(async () => {
    s = await startSandbox();
  });
  afterAll(() => s.close());
  beforeEach(() => s.control.reset());

  it('lists the organizations the member administers, with paging', async () => {
    const { access_token } = await connect(s, 'openid rw_organization_admin');
    const response = await api(s, '/rest/organizationAcls?q=roleAssignee&role=ADMINISTRATOR&state=APPROVED', {
      token: access_token,
    });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({
      elements: [
        {
          organization: 'urn:li:organization:90000001',
          role: 'ADMINISTRATOR',
          state: 'APPROVED',
          roleAssignee: `urn:li:person:${MEMBER_SUB}`,
        },
      ],
      paging: { count: 10, start: 0, total: 1, links: [] },
    });
    const analysts = await api(s, '/rest/organizationAcls?q=roleAssignee&role=ANALYST', { token: access_token });
    expect(analysts.json).toMatchObject({ elements: [], paging: { total: 0 } });
  });

  it('needs an organization scope and the roleAssignee finder', async () => {
    const member = await connect(s, 'openid w_member_social');
    const denied = await api(s, '/rest/organizationAcls?q=roleAssignee', { token: member.access_token });
    expect(denied.status).toBe(403);
    expect(denied.json).toEqual({
      status: 403,
      serviceErrorCode: 100,
      code: 'ACCESS_DENIED',
      message: 'Not enough permissions to access: GET /rest/organizationAcls',
    });
    const social = await connect(s, 'r_organization_social');
    expect((await api(s, '/rest/organizationAcls?q=roleAssignee', { token: social.access_token })).status).toBe(200);
    const noFinder = await api(s, '/rest/organizationAcls', { token: social.access_token });
    expect(noFinder.status).toBe(400);
    expect(noFinder.json).toMatchObject({ code: 'ILLEGAL_ARGUMENT' });
    const badRole = await api(s, '/rest/organizationAcls?q=roleAssignee&role=OWNER', { token: social.access_token });
    expect(badRole.status).toBe(400);
  });
});

describe('LinkedIn REST: organization lookup', () => {
  let s: RunningSandbox;
  beforeAll(async () => {
    s = await startSandbox();
  });
  afterAll(() => s.close());
  beforeEach(() => s.control.reset());

  it('names an organization by id, needs an organization scope, and 404s an unknown one', async () => {
    const { access_token } = await connect(s, 'r_organization_social');
    const found = await api(s, '/rest/organizations/90000001', { token: access_token });
    expect(found.status).toBe(200);
    expect(found.json).toEqual({
      id: 90000001,
      localizedName: 'Northwind Coffee Co.',
      vanityName: 'northwind-coffee',
      name: { localized: { en_US: 'Northwind Coffee Co.' }, preferredLocale: { country: 'US', language: 'en' } },
    });
    expect((await api(s, '/rest/organizations/12345', { token: access_token })).status).toBe(404);
    const member = await connect(s, 'openid w_member_social');
    const denied = await api(s, '/rest/organizations/90000001', { token: member.access_token });
    expect(denied.status).toBe(403);
    expect(denied.json).toMatchObject({ code: 'ACCESS_DENIED' });
  });
});

describe('LinkedIn endpoints in the request log and fault queue', () => {
  let s: RunningSandbox;
  beforeAll(async () => {
    s = await startSandbox();
  });
  afterAll(() => s.close());
  beforeEach(() => s.control.reset());

  it('names every LinkedIn endpoint and serves queued faults by that name', async () => {
    const { access_token } = await connect(s, 'openid w_member_social');
    await s.control.queueFault('li.rest.posts.create', {
      type: 'response',
      status: 500,
      body: { status: 500, message: 'Internal Server Error' },
    });
    const faulted = await api(s, '/rest/posts', { token: access_token, method: 'POST', body: {} });
    expect(faulted.status).toBe(500);
    expect(faulted.json).toEqual({ status: 500, message: 'Internal Server Error' });
    await api(s, '/v2/userinfo', { token: access_token });
    const endpoints = (await s.control.requests()).map((entry) => `${entry.host} ${entry.endpoint} ${entry.status}`);
    expect(endpoints).toEqual([
      'www.linkedin.com li.oauth.authorize 200',
      'www.linkedin.com li.oauth.authorize.decision 302',
      'www.linkedin.com li.oauth.access_token 200',
      'api.linkedin.com li.rest.posts.create 500',
      'api.linkedin.com li.userinfo 200',
    ]);
  });
});
