import { eq, sql } from 'drizzle-orm';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FULL_PAGE_TASKS } from '../src/sandbox/seed.ts';
import { accountEvents, connectedAccounts, oauthFlows } from '../src/server/db/schema/index.ts';
import {
  BRAND_IG,
  BRAND_PAGE,
  callback,
  connectInstagram,
  consent,
  EVENTS_PAGE,
  startConnect,
} from './helpers/connect.ts';
import { createTestApp, ORIGIN, signUp, type TestApp } from './helpers/test-app.ts';

const SECOND_PAGE = '110000000000003';
const SECOND_IG = '17841400000000003';

describe('connecting Instagram accounts through Facebook Login (sandbox)', () => {
  let t: TestApp;
  let cookie: string;
  const responses: string[] = [];

  const inject = async (options: InjectOptions) => {
    const response = await t.app.inject(options);
    responses.push(response.body);
    return response;
  };
  const accounts = async (as = cookie) =>
    (await inject({ method: 'GET', url: '/api/connected-accounts', headers: { cookie: as } })).json().accounts as Array<
      Record<string, unknown>
    >;

  beforeAll(async () => {
    t = await createTestApp();
    ({ cookie } = await signUp(t.app, { email: 'owner@example.com' }));
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    await t.database.db.delete(connectedAccounts);
  });

  it('connects the one Instagram account found, with its Page, status and expiry; no token anywhere in the API', async () => {
    const landed = await connectInstagram(t.app, cookie, { pages: [BRAND_PAGE] });
    expect(landed.pathname).toBe('/settings/social-accounts');
    const ids = landed.searchParams.get('connected')?.split(',') ?? [];
    expect(ids).toHaveLength(1);

    const [account] = await accounts();
    expect(account).toMatchObject({
      id: ids[0],
      provider: 'instagram',
      username: 'northwind.coffee',
      parent: { id: BRAND_PAGE, name: 'Northwind Coffee' },
      status: 'active',
      grantedScopes: expect.arrayContaining(['instagram_content_publish', 'pages_show_list']),
    });
    expect(Date.parse(String(account?.tokenExpiresAt))).toBeGreaterThan(Date.now() + 50 * 24 * 3600 * 1000);
    const detail = await inject({ method: 'GET', url: `/api/connected-accounts/${ids[0]}`, headers: { cookie } });
    expect(detail.json().events.map((event: { type: string }) => event.type)).toEqual(['connected']);
  });

  it('offers a picker when several accounts are found, and reports Pages without one', async () => {
    const sandbox = t.app.sandbox;
    if (!sandbox) throw new Error('sandbox mode is off');
    sandbox.instagram.accounts.set(SECOND_IG, {
      ...(sandbox.instagram.accounts.get(BRAND_IG) as NonNullable<ReturnType<typeof sandbox.instagram.accounts.get>>),
      id: SECOND_IG,
      appScopedId: '2590000000000003',
      username: 'northwind.roastery',
      name: 'Northwind Roastery',
    });
    sandbox.facebook.pages.set(SECOND_PAGE, {
      id: SECOND_PAGE,
      name: 'Northwind Roastery',
      category: 'Brand',
      pictureUrl: '',
      instagramAccountId: SECOND_IG,
    });
    sandbox.facebook.users.get('10200000000000001')?.pageRoles.push({ pageId: SECOND_PAGE, tasks: FULL_PAGE_TASKS });

    const landed = await connectInstagram(t.app, cookie, { pages: [BRAND_PAGE, EVENTS_PAGE, SECOND_PAGE] });
    const flowId = landed.pathname.split('/').at(-1) ?? '';
    expect(landed.pathname).toBe(`/settings/social-accounts/select/${flowId}`);
    const flow = await inject({ method: 'GET', url: `/api/oauth/flows/${flowId}`, headers: { cookie } });
    expect(flow.json()).toMatchObject({
      status: 'selecting',
      candidates: [
        { id: BRAND_IG, username: 'northwind.coffee', alreadyConnected: false },
        { id: SECOND_IG, username: 'northwind.roastery', alreadyConnected: false },
      ],
      problems: [{ id: EVENTS_PAGE, name: 'Northwind Events', reason: 'no_instagram_account' }],
    });

    const other = await signUp(t.app, { email: 'someone-else@example.com' });
    const foreign = await inject({
      method: 'GET',
      url: `/api/oauth/flows/${flowId}`,
      headers: { cookie: other.cookie },
    });
    expect(foreign.statusCode).toBe(404);

    const unknown = await inject({
      method: 'POST',
      url: `/api/oauth/flows/${flowId}/select`,
      headers: { cookie, origin: ORIGIN },
      payload: { candidateIds: ['999'] },
    });
    expect(unknown.statusCode).toBe(400);

    const picked = await inject({
      method: 'POST',
      url: `/api/oauth/flows/${flowId}/select`,
      headers: { cookie, origin: ORIGIN },
      payload: { candidateIds: [SECOND_IG] },
    });
    expect(picked.statusCode, picked.body).toBe(200);
    expect((await accounts()).map((account) => account.username)).toEqual(['northwind.roastery']);
    const [row] = await t.database.db.select().from(oauthFlows).where(eq(oauthFlows.id, flowId));
    expect(row).toMatchObject({ status: 'completed', userToken: null });

    const again = await inject({
      method: 'POST',
      url: `/api/oauth/flows/${flowId}/select`,
      headers: { cookie, origin: ORIGIN },
      payload: { candidateIds: [BRAND_IG] },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('FLOW_NOT_SELECTABLE');
  });

  it('reconnecting updates the same account instead of adding one; Reconnect must end on that account', async () => {
    const first = await connectInstagram(t.app, cookie, { pages: [BRAND_PAGE] });
    const id = first.searchParams.get('connected') ?? '';
    const second = await connectInstagram(t.app, cookie, { pages: [BRAND_PAGE], reconnectAccountId: id });
    expect(second.searchParams.get('connected')).toBe(id);
    expect(await accounts()).toHaveLength(1);
    const events = await t.database.db.select().from(accountEvents).where(eq(accountEvents.accountId, id));
    expect(events.map((event) => event.type).sort()).toEqual(['connected', 'reconnected']);

    const mismatch = await connectInstagram(t.app, cookie, { pages: [SECOND_PAGE], reconnectAccountId: id });
    expect(mismatch.searchParams.get('error')).toBe('RECONNECT_MISMATCH');
  });

  it('connects the one account found and names the shared Pages that have no Instagram account', async () => {
    const landed = await connectInstagram(t.app, cookie, { pages: [BRAND_PAGE, EVENTS_PAGE] });
    expect(landed.searchParams.get('connected')).toBeTruthy();
    expect(landed.searchParams.getAll('skipped')).toEqual(['no_instagram_account:Northwind Events']);
  });

  it.each([
    [{ decision: 'deny' as const }, 'CONNECT_DENIED'],
    [{ decline: ['instagram_content_publish'] }, 'MISSING_PERMISSIONS'],
    [{ pages: [EVENTS_PAGE] }, 'NO_INSTAGRAM_ACCOUNT'],
  ])('ends on the accounts page with a specific error: %o → %s', async (options, code) => {
    const landed = await connectInstagram(t.app, cookie, options);
    expect(landed.pathname).toBe('/settings/social-accounts');
    expect(landed.searchParams.get('error')).toBe(code);
    expect(await accounts()).toEqual([]);
  });

  it('rejects forged, reused, expired and foreign states, and a signed-out browser, creating nothing', async () => {
    const { loginUrl, state } = await startConnect(t.app, cookie);
    const callbackUrl = await consent(t.app, loginUrl, { pages: [BRAND_PAGE] });
    const forged = new URL(callbackUrl);
    forged.searchParams.set('state', 'forged-state');
    expect((await callback(t.app, forged.toString(), cookie)).searchParams.get('error')).toBe('STATE_INVALID');

    const other = await signUp(t.app, { email: 'intruder@example.com' });
    expect((await callback(t.app, callbackUrl, other.cookie)).searchParams.get('error')).toBe('STATE_INVALID');
    expect((await callback(t.app, callbackUrl)).searchParams.get('error')).toBe('SIGNED_OUT');
    expect(await accounts(other.cookie)).toEqual([]);

    expect((await callback(t.app, callbackUrl, cookie)).searchParams.get('connected')).toBeTruthy();
    expect((await callback(t.app, callbackUrl, cookie)).searchParams.get('error')).toBe('STATE_USED');

    // The same code with a fresh state: Facebook refuses a code twice.
    const fresh = await startConnect(t.app, cookie);
    const reused = new URL(callbackUrl);
    reused.searchParams.set('state', fresh.state);
    expect((await callback(t.app, reused.toString(), cookie)).searchParams.get('error')).toBe('CODE_REJECTED');

    const late = await startConnect(t.app, cookie);
    const lateCallback = await consent(t.app, late.loginUrl, { pages: [BRAND_PAGE] });
    await t.database.db
      .update(oauthFlows)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(sql`used_at is null`);
    expect((await callback(t.app, lateCallback, cookie)).searchParams.get('error')).toBe('STATE_EXPIRED');
    expect(state).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('refresh re-inspects the token: valid stays active, a revoked grant turns into needs_reconnect', async () => {
    const id = (await connectInstagram(t.app, cookie, { pages: [BRAND_PAGE] })).searchParams.get('connected') ?? '';
    const ok = await inject({
      method: 'POST',
      url: `/api/connected-accounts/${id}/refresh`,
      headers: { cookie, origin: ORIGIN },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'active', lastRefreshedAt: null, lastCheckedAt: expect.any(String) });
    expect(ok.json().events[0]).toMatchObject({ type: 'validated' });

    t.app.sandbox?.tokens.revokeSubject(
      { subjectId: '10200000000000001' },
      { subcode: 460, message: 'password changed' },
    );
    const revoked = await inject({
      method: 'POST',
      url: `/api/connected-accounts/${id}/refresh`,
      headers: { cookie, origin: ORIGIN },
    });
    expect(revoked.json()).toMatchObject({ status: 'needs_reconnect', statusReason: 'password_changed' });
    expect(revoked.json().events[0]).toMatchObject({ type: 'needs_reconnect' });
  });

  it('disconnect revokes the grant at Facebook, deletes the credentials and keeps an event', async () => {
    const id = (await connectInstagram(t.app, cookie, { pages: [BRAND_PAGE] })).searchParams.get('connected') ?? '';
    const userTokens = () =>
      (t.app.sandbox?.tokens.list() ?? []).filter((token) => token.kind === 'facebook_user' && !token.revoked);
    expect(userTokens().length).toBeGreaterThan(0);
    const deleted = await inject({
      method: 'DELETE',
      url: `/api/connected-accounts/${id}`,
      headers: { cookie, origin: ORIGIN },
    });
    expect(deleted.statusCode).toBe(204);
    expect(await accounts()).toEqual([]);
    expect(userTokens()).toEqual([]);
    const events = await t.database.db.select().from(accountEvents).where(eq(accountEvents.accountId, id));
    expect(events.map((event) => event.type)).toContain('disconnected');
  });

  it("answers 404 for another user's account on every route", async () => {
    const id = (await connectInstagram(t.app, cookie, { pages: [BRAND_PAGE] })).searchParams.get('connected') ?? '';
    const other = await signUp(t.app, { email: 'nosy@example.com' });
    const headers = { cookie: other.cookie, origin: ORIGIN };
    for (const [method, url] of [
      ['GET', `/api/connected-accounts/${id}`],
      ['POST', `/api/connected-accounts/${id}/refresh`],
      ['DELETE', `/api/connected-accounts/${id}`],
    ] as const) {
      expect((await inject({ method, url, headers })).statusCode, `${method} ${url}`).toBe(404);
    }
    const reconnect = await inject({
      method: 'POST',
      url: '/api/connected-accounts/connect/instagram',
      headers,
      payload: { reconnectAccountId: id },
    });
    expect(reconnect.statusCode).toBe(404);
    expect(await accounts()).toHaveLength(1);
  });

  it('never shows a token in an API response, a log line or a database row', async () => {
    await connectInstagram(t.app, cookie, { pages: [BRAND_PAGE] });
    const issued = (t.app.sandbox?.tokens.list() ?? []).map((token) => token.token);
    expect(issued.length).toBeGreaterThan(0);
    const api = responses.join('\n');
    const log = t.logs.join('');
    const tables = (await t.database.db.execute(sql`
      select row_to_json(t)::text as row from (
        select * from connected_accounts) t
      union all select row_to_json(t)::text from (select * from account_credentials) t
      union all select row_to_json(t)::text from (select * from oauth_flows) t
      union all select row_to_json(t)::text from (select * from account_events) t`)) as {
      rows: Array<{ row: string }>;
    };
    const database = JSON.stringify(tables.rows);
    expect(database).toContain('northwind.coffee');
    for (const token of issued) {
      expect(api).not.toContain(token);
      expect(log).not.toContain(token);
      expect(database).not.toContain(token);
    }
  });
});
