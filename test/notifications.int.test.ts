import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY } from '../src/sandbox/core/clock.ts';
import { DEFAULT_WORKSPACE } from '../src/sandbox/seed.ts';
import { checkAccount } from '../src/server/services/keep-alive.ts';
import { notificationFor } from '../src/server/services/notifications.ts';
import { BRAND_PAGE, connectInstagram } from './helpers/connect.ts';
import { createTestApp, ORIGIN, signUp, type TestApp } from './helpers/test-app.ts';

describe('in-app notifications about connections', () => {
  let t: TestApp;
  let cookie: string;

  const list = async (as = cookie) => {
    const response = await t.app.inject({ method: 'GET', url: '/api/notifications', headers: { cookie: as } });
    expect(response.statusCode).toBe(200);
    return response.json() as {
      unread: number;
      notifications: Array<{ id: string; kind: string; title: string; readAt: string | null }>;
    };
  };

  beforeAll(async () => {
    t = await createTestApp();
    const sandbox = t.app.sandbox;
    if (!sandbox) throw new Error('sandbox mode is off');
    Object.assign(t.app.connections, { now: () => sandbox.clock.now() });
    ({ cookie } = await signUp(t.app, { email: 'bell@example.com' }));
  });
  afterAll(() => t.close());

  it('tells the user when an account is expiring, needs reconnecting, and works again', async () => {
    const accountId =
      (await connectInstagram(t.app, cookie, { pages: [BRAND_PAGE] })).searchParams.get('connected') ?? '';
    expect((await list()).notifications).toEqual([]);
    t.app.sandbox?.clock.advance(47 * DAY);
    await checkAccount(t.app.connections, accountId);
    t.app.sandbox?.tokens.revokeSubject(
      { subjectId: DEFAULT_WORKSPACE.facebookUserId },
      { subcode: 460, message: 'password' },
    );
    t.app.sandbox?.clock.advance(DAY);
    await checkAccount(t.app.connections, accountId);
    await connectInstagram(t.app, cookie, { pages: [BRAND_PAGE], reconnectAccountId: accountId });

    const { unread, notifications } = await list();
    expect(notifications.map((notification) => notification.kind)).toEqual([
      'account.recovered',
      'account.needs_reconnect',
      'account.expiring',
    ]);
    expect(notifications[1]?.title).toBe('@northwind.coffee needs to be reconnected');
    expect(unread).toBe(3);

    const other = await signUp(t.app, { email: 'not-bell@example.com' });
    expect((await list(other.cookie)).notifications).toEqual([]);
    const foreign = await t.app.inject({
      method: 'POST',
      url: '/api/notifications/read',
      headers: { cookie: other.cookie, origin: ORIGIN },
      payload: { ids: [notifications[0]?.id] },
    });
    expect(foreign.statusCode).toBe(204);
    expect((await list()).unread).toBe(3);

    const one = await t.app.inject({
      method: 'POST',
      url: '/api/notifications/read',
      headers: { cookie, origin: ORIGIN },
      payload: { ids: [notifications[0]?.id] },
    });
    expect(one.statusCode).toBe(204);
    expect((await list()).unread).toBe(2);
    await t.app.inject({
      method: 'POST',
      url: '/api/notifications/read',
      headers: { cookie, origin: ORIGIN },
      payload: {},
    });
    const after = await list();
    expect(after.unread).toBe(0);
    expect(after.notifications.every((notification) => notification.readAt !== null)).toBe(true);
  });

  it('speaks only of changes people act on', () => {
    expect(notificationFor('active', 'active')).toBeNull();
    expect(notificationFor('expiring', 'expiring')).toBeNull();
    expect(notificationFor('active', 'expiring')).toBe('account.expiring');
    expect(notificationFor('expiring', 'needs_reconnect')).toBe('account.needs_reconnect');
    expect(notificationFor('needs_reconnect', 'needs_reconnect')).toBeNull();
    expect(notificationFor('needs_reconnect', 'active')).toBe('account.recovered');
    expect(notificationFor('expiring', 'active')).toBeNull();
  });
});
