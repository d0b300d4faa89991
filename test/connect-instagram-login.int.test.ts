import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExactIds } from '../src/providers/instagram-login/provider.ts';
import { HOUR } from '../src/sandbox/core/clock.ts';
import { DEFAULT_WORKSPACE } from '../src/sandbox/seed.ts';
import { connectedAccounts } from '../src/server/db/schema/index.ts';
import { checkAccount, refreshIfDue } from '../src/server/services/keep-alive.ts';
import { createTestApp, ORIGIN, signUp, type TestApp } from './helpers/test-app.ts';

const CREATOR = DEFAULT_WORKSPACE.creatorInstagramId;
const DAY_MS = 24 * HOUR;

const local = (url: string) => {
  const parsed = new URL(url);
  return parsed.pathname + parsed.search;
};

/** Start → the sandbox's Instagram consent (allow, as `accountId`) → callback; returns where the browser lands. */
async function connect(t: TestApp, cookie: string, accountId: string, body: Record<string, string> = {}) {
  const start = await t.app.inject({
    method: 'POST',
    url: '/api/connected-accounts/connect/instagram_login',
    headers: { cookie, origin: ORIGIN },
    payload: body,
  });
  expect(start.statusCode, start.body).toBe(200);
  const loginUrl = new URL(start.json().loginUrl);
  expect(loginUrl.pathname).toBe('/sandbox/instagram-www/oauth/authorize');
  const form = new URLSearchParams(loginUrl.searchParams);
  form.set('decision', 'allow');
  form.set('account_id', accountId);
  const decision = await t.app.inject({
    method: 'POST',
    url: loginUrl.pathname,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: form.toString(),
  });
  expect(decision.statusCode, decision.body).toBe(302);
  const landed = await t.app.inject({
    method: 'GET',
    url: local(String(decision.headers.location)),
    headers: { cookie },
  });
  expect(landed.statusCode).toBe(302);
  return new URL(String(landed.headers.location), ORIGIN);
}

/** Connecting an Instagram professional account with Instagram Login, through the mounted sandbox. */
describe('connecting Instagram with Instagram Login (sandbox)', () => {
  let t: TestApp;
  let cookie: string;

  beforeAll(async () => {
    t = await createTestApp();
    ({ cookie } = await signUp(t.app, { email: 'iglogin@example.com' }));
  });
  afterAll(() => t.close());

  it('connects the account, keeping its id exact through both token response shapes', async () => {
    const first = await connect(t, cookie, CREATOR);
    const id = first.searchParams.get('connected') ?? '';
    expect(id).not.toBe('');
    // The sandbox alternates the wrapped and the flat (numeric user_id) shapes: the second
    // connect must land on the same account, so the id was read exactly both times.
    const second = await connect(t, cookie, CREATOR);
    expect(second.searchParams.get('connected')).toBe(id);

    const account = await t.app.inject({ method: 'GET', url: `/api/connected-accounts/${id}`, headers: { cookie } });
    expect(account.json()).toMatchObject({
      provider: 'instagram_login',
      username: 'sam.makes.things',
      parent: null,
      status: 'active',
      grantedScopes: ['instagram_business_basic', 'instagram_business_content_publish'],
    });
    const expires = Date.parse(account.json().tokenExpiresAt);
    expect(expires - Date.now()).toBeGreaterThan(59 * DAY_MS);
    expect(account.json().events.map((event: { type: string }) => event.type)).toEqual(['reconnected', 'connected']);

    const checked = await t.app.inject({
      method: 'POST',
      url: `/api/connected-accounts/${id}/refresh`,
      headers: { cookie, origin: ORIGIN },
    });
    expect(checked.json()).toMatchObject({ status: 'active', tokenExpiresAt: account.json().tokenExpiresAt });
  });

  it('refreshes a long-lived token once it is a day old', async () => {
    const id = (await connect(t, cookie, CREATOR)).searchParams.get('connected') ?? '';
    const provider = t.app.connections.providers.instagram_login;
    const token = await t.app.connections.vault.read(t.app.connections.db, id, 'user_access');
    if (!provider?.refresh || !token) throw new Error('no Instagram Login provider or token');
    const tokens = { accessToken: token, expiresAt: null, scopes: [] };
    await expect(provider.refresh(tokens)).rejects.toMatchObject({ code: 'graph:10' });
    t.app.sandbox?.clock.advance(25 * HOUR);
    const refreshed = await provider.refresh(tokens);
    expect(refreshed.accessToken.reveal()).not.toBe(token.reveal());
    expect((refreshed.expiresAt?.getTime() ?? 0) - Date.now()).toBeGreaterThan(59 * DAY_MS);
  });
});

describe('parseExactIds', () => {
  it('keeps user_id digits beyond 2^53 and leaves other numbers alone', () => {
    expect(parseExactIds('{"user_id":17841400000000001,"expires_in":5183944}')).toEqual({
      user_id: '17841400000000001',
      expires_in: 5183944,
    });
    expect(JSON.parse('{"user_id":17841400000000001}').user_id).not.toBe(17841400000000001n.toString());
  });
});

describe('keeping Instagram Login connections alive', () => {
  let t: TestApp;
  let cookie: string;

  beforeAll(async () => {
    t = await createTestApp();
    const sandbox = t.app.sandbox;
    if (!sandbox) throw new Error('sandbox mode is off');
    Object.assign(t.app.connections, { now: () => sandbox.clock.now() });
    ({ cookie } = await signUp(t.app, { email: 'iglogin-refresh@example.com' }));
  });
  afterAll(() => t.close());

  it('re-inspects the token daily and refreshes it once it is within 10 days of expiring (day 51)', async () => {
    const id = (await connect(t, cookie, CREATOR)).searchParams.get('connected') ?? '';
    const sandbox = t.app.sandbox;
    if (!sandbox) throw new Error('sandbox mode is off');
    const refreshCalls = () => sandbox.log.list({ endpoint: 'ig.graph.refresh_access_token' }).length;
    const detail = async () =>
      (await t.app.inject({ method: 'GET', url: `/api/connected-accounts/${id}`, headers: { cookie } })).json();

    sandbox.clock.advance(DAY_MS + HOUR);
    expect(await checkAccount(t.app.connections, id)).toBe('checked');
    expect(refreshCalls()).toBe(0);

    sandbox.clock.advance(49 * DAY_MS);
    expect(await checkAccount(t.app.connections, id)).toBe('refreshed');
    expect(refreshCalls()).toBe(1);
    const after = await detail();
    expect(after).toMatchObject({ status: 'active', lastRefreshedAt: expect.any(String) });
    expect(Date.parse(after.tokenExpiresAt) - sandbox.clock.now()).toBeGreaterThan(59 * DAY_MS);
    expect(after.events[0]).toMatchObject({ type: 'refreshed' });

    // The new token works: the next daily check inspects it without refreshing again.
    sandbox.clock.advance(DAY_MS + HOUR);
    expect(await checkAccount(t.app.connections, id)).toBe('checked');
    expect(refreshCalls()).toBe(1);
  });

  it('does not refresh again before publishing when a check refreshed the token since the account was read', async () => {
    const sandbox = t.app.sandbox;
    if (!sandbox) throw new Error('sandbox mode is off');
    const id = (await connect(t, cookie, CREATOR)).searchParams.get('connected') ?? '';
    const refreshCalls = () => sandbox.log.list({ endpoint: 'ig.graph.refresh_access_token' }).length;
    sandbox.clock.advance(51 * DAY_MS);
    // A publish run read the account, due for a refresh; a keep-alive check refreshes it meanwhile.
    const [read] = await t.app.db.select().from(connectedAccounts).where(eq(connectedAccounts.id, id));
    if (!read) throw new Error('no account');
    expect(await checkAccount(t.app.connections, id)).toBe('refreshed');
    const calls = refreshCalls();

    await refreshIfDue(t.app.connections, read);
    expect(refreshCalls()).toBe(calls);
    const [after] = await t.app.db.select().from(connectedAccounts).where(eq(connectedAccounts.id, id));
    expect(after).toMatchObject({ status: 'active', checkLeaseUntil: null, refreshCount: read.refreshCount + 1 });
  });

  it('"Refresh now" refreshes a token older than a day, only re-inspects a younger one, and waits for a running check', async () => {
    const sandbox = t.app.sandbox;
    if (!sandbox) throw new Error('sandbox mode is off');
    const id = (await connect(t, cookie, CREATOR)).searchParams.get('connected') ?? '';
    const refreshCalls = () => sandbox.log.list({ endpoint: 'ig.graph.refresh_access_token' }).length;
    const refresh = () =>
      t.app.inject({
        method: 'POST',
        url: `/api/connected-accounts/${id}/refresh`,
        headers: { cookie, origin: ORIGIN },
      });
    const calls = refreshCalls();

    const young = await refresh();
    expect(young.statusCode, young.body).toBe(200);
    expect(young.json().events[0]).toMatchObject({ type: 'validated' });
    expect(refreshCalls()).toBe(calls);

    sandbox.clock.advance(DAY_MS + HOUR);
    const old = await refresh();
    expect(old.statusCode, old.body).toBe(200);
    expect(old.json().events[0]).toMatchObject({ type: 'refreshed' });
    expect(refreshCalls()).toBe(calls + 1);

    await t.app.db
      .update(connectedAccounts)
      .set({ checkLeaseUntil: new Date(sandbox.clock.now() + HOUR) })
      .where(eq(connectedAccounts.id, id));
    const busy = await refresh();
    expect(busy.statusCode).toBe(409);
    expect(busy.json().error.code).toBe('ACCOUNT_BUSY');
  });
});
