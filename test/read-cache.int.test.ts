import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DAY } from '../src/sandbox/core/clock.ts';
import { DEFAULT_WORKSPACE } from '../src/sandbox/seed.ts';
import { CHANGE_FEED_APPLICATION_NAME } from '../src/server/db/change-feed.ts';
import { apiTokens, connectedAccounts } from '../src/server/db/schema/index.ts';
import { checkAccount } from '../src/server/services/keep-alive.ts';
import { BRAND_PAGE, connectInstagram } from './helpers/connect.ts';
import { until } from './helpers/processes.ts';
import { createTestApp, ORIGIN, signUp, type TestApp } from './helpers/test-app.ts';
import { onPostgres } from './helpers/test-database.ts';

/**
 * Every web process keeps API token principals and account lists in memory
 * (services/read-cache.ts). These tests warm that cache with a read, change what it holds
 * through the code that changes it, and expect the very next read to see the change.
 */
describe('the read cache never answers with something changed before the request', { timeout: 60_000 }, () => {
  let t: TestApp;
  let cookie: string;
  const password = 'a long enough password';

  const sandbox = () => {
    if (!t.app.sandbox) throw new Error('sandbox mode is off');
    return t.app.sandbox;
  };
  const list = (auth: { token: string } | { cookie: string }) =>
    t.app.inject({
      method: 'GET',
      url: '/api/connected-accounts',
      headers: 'token' in auth ? { authorization: `Bearer ${auth.token}` } : { cookie: auth.cookie },
    });
  const accounts = async (token: string) => {
    const response = await list({ token });
    expect(response.statusCode, response.body).toBe(200);
    return (response.json() as { accounts: Array<{ id: string; status: string; statusReason: string | null }> })
      .accounts;
  };
  const createToken = async (sessionCookie: string, scopes?: string[]) => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/api-tokens',
      headers: { origin: ORIGIN, cookie: sessionCookie },
      payload: { name: 'cache test', ...(scopes ? { scopes } : {}) },
    });
    expect(response.statusCode, response.body).toBe(201);
    const { token, secret } = response.json() as { token: { id: string }; secret: string };
    return { id: token.id, secret };
  };

  beforeAll(async () => {
    t = await createTestApp({}, { jobs: true });
    // Tether's clock follows the sandbox's, so a check can be made due by moving it on.
    Object.assign(t.app.connections, { now: () => sandbox().clock.now() });
    ({ cookie } = await signUp(t.app, { email: 'cache@example.com', password }));
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    sandbox().clear();
    const { seedDefaultWorkspace } = await import('../src/sandbox/seed.ts');
    seedDefaultWorkspace(sandbox());
    await t.database.db.delete(connectedAccounts);
  });

  it('shows a new account, a status change made by a check, a reconnect and a disconnect at the next read', async () => {
    const { secret } = await createToken(cookie);
    expect(await accounts(secret)).toEqual([]);

    const landed = await connectInstagram(t.app, cookie, { pages: [BRAND_PAGE] });
    const accountId = landed.searchParams.get('connected') ?? '';
    expect(await accounts(secret)).toMatchObject([{ id: accountId, status: 'active' }]);
    expect(await accounts(secret)).toMatchObject([{ id: accountId, status: 'active' }]);

    // What the keep-alive worker does when Facebook has revoked the grant.
    sandbox().tokens.revokeSubject(
      { subjectId: DEFAULT_WORKSPACE.facebookUserId },
      { subcode: 460, message: 'password changed' },
    );
    sandbox().clock.advance(DAY);
    expect(await checkAccount(t.app.connections, accountId)).toBe('needs_reconnect');
    expect(await accounts(secret)).toMatchObject([
      { id: accountId, status: 'needs_reconnect', statusReason: 'password_changed' },
    ]);

    await connectInstagram(t.app, cookie, { pages: [BRAND_PAGE], reconnectAccountId: accountId });
    expect(await accounts(secret)).toMatchObject([{ id: accountId, status: 'active', statusReason: null }]);

    const disconnect = await t.app.inject({
      method: 'DELETE',
      url: `/api/connected-accounts/${accountId}`,
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(disconnect.statusCode, disconnect.body).toBe(204);
    expect(await accounts(secret)).toEqual([]);
  });

  it('refuses a revoked token and a token whose scopes changed at the next request, and still records use', async () => {
    const revoked = await createToken(cookie);
    const other = await createToken(cookie);
    for (const token of [revoked, other]) expect((await list({ token: token.secret })).statusCode).toBe(200);

    const revoke = await t.app.inject({
      method: 'DELETE',
      url: `/api/api-tokens/${revoked.id}`,
      headers: { origin: ORIGIN, cookie },
    });
    expect(revoke.statusCode, revoke.body).toBe(204);
    expect((await list({ token: revoked.secret })).statusCode).toBe(401);
    expect((await list({ token: other.secret })).statusCode).toBe(200);

    // No route changes a token's scopes; an operator's change in the database counts the same.
    await t.database.db
      .update(apiTokens)
      .set({ scopes: ['posts:write'] })
      .where(eq(apiTokens.id, other.id));
    const narrowed = await list({ token: other.secret });
    expect(narrowed.statusCode, narrowed.body).toBe(403);
    expect(narrowed.json().error.message).toContain('accounts:read');

    // Served from memory or not, a token's use is recorded (at most once a minute).
    const [row] = await t.database.db.select().from(apiTokens).where(eq(apiTokens.id, other.id));
    expect(row?.lastUsedAt).toBeInstanceOf(Date);
  });

  it('ends a session at sign-out and every token of a deleted user at once', async () => {
    const second = await signUp(t.app, { email: 'leaving@example.com', password });
    const token = await createToken(second.cookie, ['accounts:read']);
    expect((await list(second)).statusCode).toBe(200);
    expect((await list({ token: token.secret })).statusCode).toBe(200);

    const other = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in/email',
      headers: { origin: ORIGIN },
      payload: { email: 'leaving@example.com', password },
    });
    const otherCookie = other.headers['set-cookie']?.toString().split(';')[0] ?? '';
    expect((await list({ cookie: otherCookie })).statusCode).toBe(200);
    const signOut = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-out',
      headers: { origin: ORIGIN, cookie: otherCookie },
    });
    expect(signOut.statusCode, signOut.body).toBe(200);
    expect((await list({ cookie: otherCookie })).statusCode).toBe(401);

    const deleted = await t.app.inject({
      method: 'DELETE',
      url: '/api/me',
      headers: { origin: ORIGIN, cookie: second.cookie },
      payload: { password },
    });
    expect(deleted.statusCode, deleted.body).toBe(200);
    expect((await list({ token: token.secret })).statusCode).toBe(401);
    expect((await list(second)).statusCode).toBe(401);
  });

  it.skipIf(!onPostgres)(
    'answers from the database while its change feed is down, and caches again once it is back',
    async () => {
      const feedConnections = async () => {
        const result = await t.database.db.execute(
          sql`select pid from pg_stat_activity where application_name = ${CHANGE_FEED_APPLICATION_NAME} and datname = current_database()`,
        );
        return (result as unknown as { rows: Array<{ pid: number }> }).rows.map((row) => row.pid);
      };
      const first = await createToken(cookie);
      const second = await createToken(cookie);
      for (const token of [first, second]) expect((await list({ token: token.secret })).statusCode).toBe(200);

      const [listener] = await feedConnections();
      expect(listener).toBeDefined();
      await t.database.db.execute(sql`select pg_terminate_backend(${listener})`);
      // Changed while nobody listens: the notification is lost, the change must show anyway.
      await t.database.db.delete(apiTokens).where(eq(apiTokens.id, first.id));
      expect((await list({ token: first.secret })).statusCode).toBe(401);

      await until('the change feed to reconnect', async () => {
        const pids = await feedConnections();
        return pids.length === 1 && pids[0] !== listener;
      });
      expect((await list({ token: second.secret })).statusCode).toBe(200);
      await t.database.db.delete(apiTokens).where(eq(apiTokens.id, second.id));
      expect((await list({ token: second.secret })).statusCode).toBe(401);
    },
  );
});
