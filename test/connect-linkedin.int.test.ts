import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connectErrorText } from '../src/contracts/connect-errors.ts';
import { DEFAULT_APPS } from '../src/sandbox/core/apps.ts';
import { DAY } from '../src/sandbox/core/clock.ts';
import { DEFAULT_WORKSPACE, seedDefaultWorkspace } from '../src/sandbox/seed.ts';
import { DEFAULT_LINKEDIN_SCOPES, LINKEDIN_ORG_SCOPES } from '../src/server/config.ts';
import { accountCredentials, accountEvents } from '../src/server/db/schema/index.ts';
import { checkAccount, REFRESH_MARGIN_MS } from '../src/server/services/keep-alive.ts';
import { createTestApp, ORIGIN, signUp, type TestApp } from './helpers/test-app.ts';

const MEMBER = DEFAULT_WORKSPACE.linkedinMemberSub;
const LINKEDIN_APP = DEFAULT_APPS.find((app) => app.platform === 'linkedin')?.id ?? '';

const local = (url: string) => {
  const parsed = new URL(url);
  return parsed.pathname + parsed.search;
};

/**
 * Start → the sandbox's LinkedIn consent page (its form posted with Allow or Cancel) → Tether's
 * callback; returns where the browser lands.
 */
async function connect(
  t: TestApp,
  cookie: string,
  options: { action?: 'allow' | 'cancel'; reconnectAccountId?: string } = {},
): Promise<URL> {
  const start = await t.app.inject({
    method: 'POST',
    url: '/api/connected-accounts/connect/linkedin',
    headers: { cookie, origin: ORIGIN },
    payload: options.reconnectAccountId ? { reconnectAccountId: options.reconnectAccountId } : {},
  });
  expect(start.statusCode, start.body).toBe(200);
  const loginUrl = new URL(start.json().loginUrl);
  expect(loginUrl.pathname).toBe('/sandbox/linkedin-www/oauth/v2/authorization');
  // Sandbox mode asks for organizations too: one scope list for members and organizations.
  expect(loginUrl.searchParams.get('scope')).toBe(`${DEFAULT_LINKEDIN_SCOPES} ${LINKEDIN_ORG_SCOPES}`);
  expect(loginUrl.searchParams.has('code_challenge')).toBe(false);

  const page = await t.app.inject({ method: 'GET', url: local(loginUrl.toString()) });
  expect(page.statusCode, page.body).toBe(200);
  expect(page.body).toContain('Sam Rivera');
  const action = /<form method="post" action="([^"]+)"/.exec(page.body)?.[1] ?? '';
  const requestId = /name="request_id" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
  const decision = await t.app.inject({
    method: 'POST',
    url: local(new URL(action, loginUrl).toString()),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ request_id: requestId, action: options.action ?? 'allow' }).toString(),
  });
  expect(decision.statusCode, decision.body).toBe(302);
  const landed = await t.app.inject({
    method: 'GET',
    url: local(String(decision.headers.location)),
    headers: { cookie },
  });
  expect(landed.statusCode, landed.body).toBe(302);
  return new URL(String(landed.headers.location), ORIGIN);
}

async function connectedId(t: TestApp, cookie: string): Promise<string> {
  const landed = await connect(t, cookie);
  const id = landed.searchParams.get('connected') ?? '';
  expect(id, landed.toString()).not.toBe('');
  return id;
}

/** Tether's clock follows the sandbox's, so months pass in milliseconds. */
function onSandboxClock(t: TestApp) {
  const sandbox = t.app.sandbox;
  if (!sandbox) throw new Error('sandbox mode is off');
  Object.assign(t.app.connections, { now: () => sandbox.clock.now() });
  return sandbox;
}

const detail = async (t: TestApp, cookie: string, id: string) => {
  const response = await t.app.inject({ method: 'GET', url: `/api/connected-accounts/${id}`, headers: { cookie } });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
};

describe('connecting a LinkedIn member (sandbox)', () => {
  let t: TestApp;
  let cookie: string;

  beforeAll(async () => {
    t = await createTestApp();
    ({ cookie } = await signUp(t.app, { email: 'linkedin@example.com' }));
  });
  afterAll(() => t.close());

  it('connects the member behind the consent page, named from userinfo, with both token expiries and no token in the API', async () => {
    const id = await connectedId(t, cookie);
    const account = await detail(t, cookie, id);
    expect(account).toMatchObject({
      provider: 'linkedin',
      username: null,
      displayName: 'Sam Rivera',
      profilePictureUrl: expect.stringContaining('/avatars/sam-rivera.jpg'),
      parent: null,
      status: 'active',
      statusReason: null,
      grantedScopes: [
        'email',
        'openid',
        'profile',
        'r_organization_social',
        'w_member_social',
        'w_organization_social',
      ],
    });
    expect(Date.parse(account.tokenExpiresAt) - Date.now()).toBeGreaterThan(59 * DAY);
    expect(Date.parse(account.refreshTokenExpiresAt) - Date.now()).toBeGreaterThan(364 * DAY);
    expect(account.events.map((event: { type: string }) => event.type)).toEqual(['connected']);

    const list = await t.app.inject({ method: 'GET', url: '/api/connected-accounts', headers: { cookie } });
    expect(list.json().accounts[0]).toMatchObject({ id, refreshTokenExpiresAt: account.refreshTokenExpiresAt });
    // LinkedIn tokens start with AQV (access) and AQW (refresh); neither ever appears.
    expect(list.body + JSON.stringify(account)).not.toMatch(/AQ[VW]/);
    const refresh = await t.app.connections.vault.read(t.app.connections.db, id, 'refresh');
    expect(refresh?.reveal()).toMatch(/^AQW/);

    // Connecting again updates the same account.
    expect((await connect(t, cookie)).searchParams.get('connected')).toBe(id);
    expect((await detail(t, cookie, id)).events.map((event: { type: string }) => event.type)).toEqual([
      'reconnected',
      'connected',
    ]);
  });

  it('"Refresh now" on a fresh token re-inspects it with introspection', async () => {
    const sandbox = t.app.sandbox;
    const id = await connectedId(t, cookie);
    const introspections = () => sandbox?.log.list({ endpoint: 'li.oauth.introspect' }).length ?? 0;
    const before = introspections();
    const checked = await t.app.inject({
      method: 'POST',
      url: `/api/connected-accounts/${id}/refresh`,
      headers: { cookie, origin: ORIGIN },
    });
    expect(checked.statusCode, checked.body).toBe(200);
    expect(checked.json()).toMatchObject({ status: 'active' });
    expect(checked.json().events[0]).toMatchObject({ type: 'validated' });
    expect(introspections()).toBe(before + 1);
  });

  it('a cancelled consent lands on the accounts page with CONNECT_DENIED, worded for LinkedIn', async () => {
    const landed = await connect(t, cookie, { action: 'cancel' });
    expect(landed.pathname).toBe('/settings/social-accounts');
    expect(landed.searchParams.get('error')).toBe('CONNECT_DENIED');
    expect(landed.searchParams.get('provider')).toBe('linkedin');
    expect(connectErrorText('CONNECT_DENIED', landed.searchParams.get('provider')).message).toBe(
      'You cancelled the connection on LinkedIn.',
    );
  });

  it('disconnecting deletes the credentials and records that LinkedIn offers no revocation', async () => {
    const sandbox = t.app.sandbox;
    const id = await connectedId(t, cookie);
    const deleted = await t.app.inject({
      method: 'DELETE',
      url: `/api/connected-accounts/${id}`,
      headers: { cookie, origin: ORIGIN },
    });
    expect(deleted.statusCode, deleted.body).toBe(204);
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/connected-accounts/${id}`, headers: { cookie } })).statusCode,
    ).toBe(404);
    expect(await t.database.db.select().from(accountCredentials).where(eq(accountCredentials.accountId, id))).toEqual(
      [],
    );
    const events = await t.database.db.select().from(accountEvents).where(eq(accountEvents.accountId, id));
    expect(events.find((event) => event.type === 'disconnected')?.reason).toBe(
      'not revoked: the platform has no way to revoke it',
    );
    // Nothing was sent to LinkedIn to revoke: there is no such endpoint (sandbox and reference alike).
    expect(sandbox?.log.list({ host: 'www.linkedin.com' }).filter((entry) => /revoke/i.test(entry.path))).toEqual([]);
  });
});

describe('keeping LinkedIn connections alive (sandbox clock)', () => {
  let t: TestApp;
  let users = 0;

  const sandbox = () => {
    if (!t.app.sandbox) throw new Error('sandbox mode is off');
    return t.app.sandbox;
  };
  const newUser = async () => (await signUp(t.app, { email: `li-keepalive-${++users}@example.com` })).cookie;
  const refreshGrants = () =>
    sandbox()
      .log.list({ endpoint: 'li.oauth.access_token' })
      .filter((entry) => (entry.body as { grant_type?: string } | null)?.grant_type === 'refresh_token');
  const setProgrammaticRefresh = (on: boolean) => {
    const app = sandbox().apps.get(LINKEDIN_APP);
    if (!app) throw new Error('no sandbox LinkedIn app');
    sandbox().apps.upsert({ ...app, programmaticRefresh: on });
  };
  /** Moves the clock to `days` after `since` (sandbox time). */
  const toDay = (since: number, days: number) => {
    const target = since + days * DAY;
    sandbox().clock.advance(Math.max(0, target - sandbox().clock.now()));
  };

  beforeAll(async () => {
    t = await createTestApp();
    onSandboxClock(t);
  });
  afterAll(() => t.close());
  beforeEach(() => {
    sandbox().clear();
    seedDefaultWorkspace(sandbox());
  });

  it('refreshes with the refresh token inside the 10-day margin; the refresh token keeps its fixed expiry', async () => {
    const cookie = await newUser();
    const connectedAt = sandbox().clock.now();
    const id = await connectedId(t, cookie);
    const first = await detail(t, cookie, id);
    const refreshTokenExpiresAt = first.refreshTokenExpiresAt;
    expect(Date.parse(refreshTokenExpiresAt) - connectedAt).toBeGreaterThanOrEqual(365 * DAY - 1000);

    toDay(connectedAt, 1.1);
    expect(await checkAccount(t.app.connections, id)).toBe('checked');
    // Inside Facebook's 14-day "expiring" window but outside the refresh margin: a token Tether
    // will refresh is not "expiring".
    toDay(connectedAt, 47.5);
    expect(await checkAccount(t.app.connections, id)).toBe('checked');
    expect(await detail(t, cookie, id)).toMatchObject({ status: 'active' });
    expect(refreshGrants()).toEqual([]);

    toDay(connectedAt, 51);
    expect(Date.parse(first.tokenExpiresAt) - sandbox().clock.now()).toBeLessThan(REFRESH_MARGIN_MS);
    expect(await checkAccount(t.app.connections, id)).toBe('refreshed');
    expect(refreshGrants()).toHaveLength(1);
    const after = await detail(t, cookie, id);
    expect(after).toMatchObject({ status: 'active', refreshTokenExpiresAt, lastRefreshedAt: expect.any(String) });
    expect(after.events[0]).toMatchObject({ type: 'refreshed' });
    expect(Date.parse(after.tokenExpiresAt) - sandbox().clock.now()).toBeGreaterThan(59 * DAY);

    // The new access token works: the next daily check inspects it without refreshing again.
    toDay(connectedAt, 52.1);
    expect(await checkAccount(t.app.connections, id)).toBe('checked');
    expect(refreshGrants()).toHaveLength(1);
    expect(await detail(t, cookie, id)).toMatchObject({ status: 'active', refreshTokenExpiresAt });
  });

  it('stops refreshing when the refresh token would not outlive the access token, warns, and ends at its expiry', async () => {
    const cookie = await newUser();
    const connectedAt = sandbox().clock.now();
    const id = await connectedId(t, cookie);
    const { refreshTokenExpiresAt } = await detail(t, cookie, id);
    // Every 51 days the access token is within the margin and is refreshed, up to day 306.
    for (const day of [51, 102, 153, 204, 255, 306]) {
      toDay(connectedAt, day);
      expect(await checkAccount(t.app.connections, id), `day ${day}`).toBe('refreshed');
    }
    const last = await detail(t, cookie, id);
    // LinkedIn's rule: an access token ends with the refresh token it came from.
    expect(last.tokenExpiresAt).toBe(refreshTokenExpiresAt);
    expect(refreshGrants()).toHaveLength(6);

    toDay(connectedAt, 357);
    expect(await checkAccount(t.app.connections, id)).toBe('checked');
    expect(refreshGrants()).toHaveLength(6);
    expect(await detail(t, cookie, id)).toMatchObject({ status: 'expiring', refreshTokenExpiresAt });

    // The sandbox's last access token runs to day 366; the day after, the member must reconnect.
    toDay(connectedAt, 367);
    expect(await checkAccount(t.app.connections, id)).toBe('needs_reconnect');
    expect(await detail(t, cookie, id)).toMatchObject({ status: 'needs_reconnect', statusReason: 'token_expired' });
    expect(refreshGrants()).toHaveLength(6);
  });

  it('without a refresh token, only introspects: "expiring" 14 days ahead, needs_reconnect once expired', async () => {
    setProgrammaticRefresh(false);
    const cookie = await newUser();
    const connectedAt = sandbox().clock.now();
    const id = await connectedId(t, cookie);
    expect(await detail(t, cookie, id)).toMatchObject({ status: 'active', refreshTokenExpiresAt: null });
    expect(await t.app.connections.vault.read(t.app.connections.db, id, 'refresh')).toBeUndefined();
    const introspections = () => sandbox().log.list({ endpoint: 'li.oauth.introspect' }).length;

    toDay(connectedAt, 1.1);
    expect(await checkAccount(t.app.connections, id)).toBe('checked');
    toDay(connectedAt, 45.5);
    expect(await checkAccount(t.app.connections, id)).toBe('checked');
    expect(await detail(t, cookie, id)).toMatchObject({ status: 'active' });

    toDay(connectedAt, 46.7);
    expect(await checkAccount(t.app.connections, id)).toBe('checked');
    expect(await detail(t, cookie, id)).toMatchObject({ status: 'expiring', statusReason: null });

    // Inside the refresh margin there is nothing to refresh with: "Refresh now" re-inspects.
    toDay(connectedAt, 52);
    const now = await t.app.inject({
      method: 'POST',
      url: `/api/connected-accounts/${id}/refresh`,
      headers: { cookie, origin: ORIGIN },
    });
    expect(now.statusCode, now.body).toBe(200);
    expect(now.json()).toMatchObject({ status: 'expiring' });
    expect(now.json().events[0]).toMatchObject({ type: 'validated' });
    toDay(connectedAt, 53.1);
    expect(await checkAccount(t.app.connections, id)).toBe('checked');

    toDay(connectedAt, 61);
    expect(await checkAccount(t.app.connections, id)).toBe('needs_reconnect');
    expect(await detail(t, cookie, id)).toMatchObject({ status: 'needs_reconnect', statusReason: 'token_expired' });
    expect(refreshGrants()).toEqual([]);
    expect(introspections()).toBe(6);
  });

  it('a reconnect without a refresh token drops the earlier grant’s refresh token', async () => {
    const cookie = await newUser();
    const id = await connectedId(t, cookie);
    expect(await t.app.connections.vault.read(t.app.connections.db, id, 'refresh')).toBeDefined();
    setProgrammaticRefresh(false);
    const landed = await connect(t, cookie, { reconnectAccountId: id });
    expect(landed.searchParams.get('connected')).toBe(id);
    expect(await t.app.connections.vault.read(t.app.connections.db, id, 'refresh')).toBeUndefined();
    expect(await detail(t, cookie, id)).toMatchObject({ status: 'active', refreshTokenExpiresAt: null });
  });

  it('a revoked token → needs_reconnect with the reason at the next check, whether inspected or refreshed', async () => {
    const inspectedUser = await newUser();
    const connectedAt = sandbox().clock.now();
    const inspected = await connectedId(t, inspectedUser);
    const refreshedUser = await newUser();
    const refreshed = await connectedId(t, refreshedUser);
    sandbox().tokens.revokeSubject(
      { subjectId: MEMBER, appId: LINKEDIN_APP },
      { subcode: 458, message: 'The member removed the app' },
    );

    toDay(connectedAt, 1.1);
    expect(await checkAccount(t.app.connections, inspected)).toBe('needs_reconnect');
    const revoked = await detail(t, inspectedUser, inspected);
    expect(revoked).toMatchObject({ status: 'needs_reconnect', statusReason: 'token_revoked' });
    expect(revoked.events[0]).toMatchObject({ type: 'needs_reconnect', reason: 'token_revoked' });

    // Within the refresh margin the refresh grant is what finds out.
    toDay(connectedAt, 51);
    expect(await checkAccount(t.app.connections, refreshed)).toBe('needs_reconnect');
    expect(await detail(t, refreshedUser, refreshed)).toMatchObject({
      status: 'needs_reconnect',
      statusReason: 'refresh_token_invalid',
    });
    expect(refreshGrants()).toHaveLength(1);
    expect(refreshGrants()[0]?.status).toBe(400);
  });

  it('a check that LinkedIn throttles is retried later, not counted against the connection', async () => {
    const cookie = await newUser();
    const connectedAt = sandbox().clock.now();
    const id = await connectedId(t, cookie);
    sandbox().faults.add(
      'li.oauth.introspect',
      { type: 'response', status: 429, body: { status: 429, code: 'TOO_MANY_REQUESTS', message: 'x' } },
      1,
    );
    toDay(connectedAt, 1.1);
    expect(await checkAccount(t.app.connections, id)).toBe('retry_later');
    const after = await detail(t, cookie, id);
    expect(after).toMatchObject({ status: 'active', statusReason: null });
    expect(after.events[0]).toMatchObject({ type: 'refresh_failed', reason: 'rest:429/TOO_MANY_REQUESTS' });
  });
});
