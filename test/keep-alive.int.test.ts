import { eq } from 'drizzle-orm';
import type { PgBoss } from 'pg-boss';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DAY, HOUR } from '../src/sandbox/core/clock.ts';
import { DEFAULT_WORKSPACE } from '../src/sandbox/seed.ts';
import { accountEvents, connectedAccounts } from '../src/server/db/schema/index.ts';
import { startJobs } from '../src/server/jobs/runner.ts';
import { checkAccount, dueAccountIds, KEEP_ALIVE, retryDelayMs } from '../src/server/services/keep-alive.ts';
import { BRAND_PAGE, connectInstagram } from './helpers/connect.ts';
import { createTestApp, signUp, type TestApp } from './helpers/test-app.ts';

/**
 * Keeping Facebook-login connections honest on the sandbox's clock: Tether's clock follows the
 * sandbox's, so weeks pass in milliseconds.
 */
describe('keep-alive of Instagram connections made through Facebook Login', () => {
  let t: TestApp;
  let cookie: string;
  let accountId: string;

  const sandbox = () => {
    if (!t.app.sandbox) throw new Error('sandbox mode is off');
    return t.app.sandbox;
  };
  const account = async () => {
    const [row] = await t.database.db.select().from(connectedAccounts).where(eq(connectedAccounts.id, accountId));
    if (!row) throw new Error('account gone');
    return row;
  };
  const events = async () =>
    (await t.database.db.select().from(accountEvents).where(eq(accountEvents.accountId, accountId))).map(
      (event) => `${event.type}${event.reason ? `:${event.reason}` : ''}`,
    );
  const advance = (ms: number) => sandbox().clock.advance(ms);
  const debugTokenCalls = () => sandbox().log.list({ endpoint: 'graph.debug_token' }).length;

  beforeAll(async () => {
    t = await createTestApp();
    Object.assign(t.app.connections, { now: () => sandbox().clock.now() });
    ({ cookie } = await signUp(t.app, { email: 'keepalive@example.com' }));
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    sandbox().clear();
    const { seedDefaultWorkspace } = await import('../src/sandbox/seed.ts');
    seedDefaultWorkspace(sandbox());
    await t.database.db.delete(connectedAccounts);
    const landed = await connectInstagram(t.app, cookie, { pages: [BRAND_PAGE] });
    accountId = landed.searchParams.get('connected') ?? '';
  });

  it('is not due until a day after connecting, then re-inspects and schedules the next day', async () => {
    const now = () => sandbox().clock.now();
    expect(await dueAccountIds(t.database.db, { now: now(), limit: 10 })).toEqual([]);
    advance(DAY + HOUR);
    expect(await dueAccountIds(t.database.db, { now: now(), limit: 10 })).toEqual([accountId]);
    const calls = debugTokenCalls();
    expect(await checkAccount(t.app.connections, accountId)).toBe('checked');
    expect(debugTokenCalls()).toBe(calls + 1);
    const row = await account();
    expect(row.status).toBe('active');
    // A day after the check (the real milliseconds the check took aside).
    expect(Math.abs(row.nextCheckAt.getTime() - (now() + DAY))).toBeLessThan(1000);
    expect(await events()).toEqual(['connected', 'validated']);
  });

  it('says "expiring" 14 days before the user token expires, and needs_reconnect once it has', async () => {
    advance(47 * DAY);
    expect(await checkAccount(t.app.connections, accountId)).toBe('checked');
    expect((await account()).status).toBe('expiring');
    advance(14 * DAY);
    expect(await checkAccount(t.app.connections, accountId)).toBe('needs_reconnect');
    expect(await account()).toMatchObject({ status: 'needs_reconnect', statusReason: 'token_expired' });
    expect(await dueAccountIds(t.database.db, { now: sandbox().clock.now() + 30 * DAY, limit: 10 })).toEqual([]);
  });

  it('moves a revoked connection (190/460) to needs_reconnect at the next check', async () => {
    sandbox().tokens.revokeSubject(
      { subjectId: DEFAULT_WORKSPACE.facebookUserId },
      { subcode: 460, message: 'password changed' },
    );
    advance(DAY);
    expect(await checkAccount(t.app.connections, accountId)).toBe('needs_reconnect');
    expect(await account()).toMatchObject({ status: 'needs_reconnect', statusReason: 'password_changed' });
    expect(await events()).toContain('needs_reconnect:password_changed');
  });

  it('never marks an account dead for 5xx or rate limits before three days of failures', async () => {
    const fail = (status: number, code: number) =>
      sandbox().faults.add(
        'graph.debug_token',
        { type: 'response', status, body: { error: { message: 'x', type: 'OAuthException', code, fbtrace_id: 'f' } } },
        1,
      );
    advance(DAY);
    fail(500, 2);
    expect(await checkAccount(t.app.connections, accountId)).toBe('retry_later');
    const first = await account();
    expect(first.status).toBe('active');
    expect(first.failingSince).not.toBeNull();
    const waited = first.nextCheckAt.getTime() - sandbox().clock.now();
    expect(waited).toBeGreaterThanOrEqual(KEEP_ALIVE.backoffMinMs * (1 - KEEP_ALIVE.jitter));

    advance(DAY);
    fail(400, 4);
    expect(await checkAccount(t.app.connections, accountId)).toBe('retry_later');
    const limited = await account();
    expect(limited.status).toBe('active');
    expect(limited.nextCheckAt.getTime() - sandbox().clock.now()).toBeGreaterThanOrEqual(5 * 60_000);

    advance(2 * DAY);
    fail(503, 1);
    expect(await checkAccount(t.app.connections, accountId)).toBe('needs_reconnect');
    expect(await account()).toMatchObject({ status: 'needs_reconnect', statusReason: 'unreachable_for_3_days' });
    expect(await events()).toEqual(
      expect.arrayContaining([
        'refresh_failed:graph:2',
        'refresh_failed:graph:4',
        'needs_reconnect:unreachable_for_3_days',
      ]),
    );
  });

  it('recovers from a transient failure: the next success clears it', async () => {
    advance(DAY);
    sandbox().faults.add('graph.debug_token', { type: 'response', status: 502, body: 'Bad gateway' }, 1);
    expect(await checkAccount(t.app.connections, accountId)).toBe('retry_later');
    advance(HOUR);
    expect(await checkAccount(t.app.connections, accountId)).toBe('checked');
    expect(await account()).toMatchObject({ status: 'active', failingSince: null });
  });

  it('lets only one of several simultaneous checks of an account reach the platform', async () => {
    advance(DAY);
    const calls = debugTokenCalls();
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => checkAccount(t.app.connections, accountId)));
    expect(outcomes.filter((outcome) => outcome === 'checked')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'skipped')).toHaveLength(9);
    expect(debugTokenCalls()).toBe(calls + 1);
  });

  it('sweeps through pg-boss: the cron job queues one check per due account and a worker runs it', async () => {
    const boss: PgBoss = await startJobs({
      database: t.database,
      role: 'all',
      logger: t.app.log as never,
      connections: t.app.connections,
    });
    try {
      advance(DAY + HOUR);
      await boss.send('keep-alive-sweep', {});
      const deadline = Date.now() + 20_000;
      while (!(await events()).includes('validated')) {
        if (Date.now() > deadline) throw new Error('the sweep did not check the account');
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect((await account()).nextCheckAt.getTime()).toBeGreaterThan(sandbox().clock.now());
    } finally {
      await boss.stop({ graceful: true, close: false, timeout: 5_000 });
    }
  });
});

describe('retry delays', () => {
  it('grow with the length of the failure run, within bounds, with jitter', () => {
    const middle = () => 0.5;
    expect(retryDelayMs(0, middle)).toBe(KEEP_ALIVE.backoffMinMs);
    expect(retryDelayMs(60 * 60_000, middle)).toBe(60 * 60_000);
    expect(retryDelayMs(10 * DAY, middle)).toBe(KEEP_ALIVE.backoffMaxMs);
    expect(retryDelayMs(0, () => 0)).toBe(Math.round(KEEP_ALIVE.backoffMinMs * (1 - KEEP_ALIVE.jitter)));
    expect(retryDelayMs(0, () => 1)).toBe(Math.round(KEEP_ALIVE.backoffMinMs * (1 + KEEP_ALIVE.jitter)));
  });
});
