import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminOverview } from '../src/contracts/admin.ts';
import type { Post } from '../src/contracts/posts.ts';
import type { Sandbox } from '../src/sandbox/core/sandbox.ts';
import { user } from '../src/server/db/schema/index.ts';
import { PUBLISH_UNCONFIRMED } from '../src/server/services/publishing.ts';
import { BRAND_PAGE, callback, consent } from './helpers/connect.ts';
import { until } from './helpers/processes.ts';
import { createTestApp, signUp, type TestApp } from './helpers/test-app.ts';

/** The admin routes as the OpenAPI document lists them, with placeholders filled in. */
async function adminOperations(t: TestApp) {
  const document = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
  return Object.entries(document.paths as Record<string, Record<string, unknown>>)
    .filter(([path]) => path.startsWith('/api/admin/'))
    .flatMap(([path, item]) =>
      Object.keys(item).map((method) => ({
        method: method.toUpperCase() as 'GET' | 'POST',
        url: path.replace(/\{(\w+)\}/g, (_, name: string) => (name === 'queue' ? 'account-check' : randomUUID())),
      })),
    );
}

describe('first user becomes admin', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('of two simultaneous first sign-ups exactly one is admin; later users are not, whatever they send', async () => {
    const [first, second] = await Promise.all([
      signUp(t.app, { email: 'one@example.com' }),
      signUp(t.app, { email: 'two@example.com' }),
    ]);
    const me = async (cookie: string) =>
      (await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie } })).json().isAdmin;
    expect([await me(first.cookie), await me(second.cookie)].sort()).toEqual([false, true]);

    const late = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-up/email',
      headers: { origin: t.origin },
      payload: { name: 'Late', email: 'late@example.com', password: 'a long enough password', isAdmin: true },
    });
    expect([200, 400]).toContain(late.statusCode);
    const admins = await t.database.db.select({ email: user.email }).from(user).where(eq(user.isAdmin, true));
    expect(admins).toHaveLength(1);
    expect(['one@example.com', 'two@example.com']).toContain(admins[0]?.email);
  });
});

/**
 * The admin API after a scripted run in the sandbox: a refused and a completed Facebook Page
 * connection, a post that is published, one that fails, and a background job that fails.
 */
describe('admin API', () => {
  let t: TestApp;
  let sandbox: Sandbox;
  let admin: string;
  let member: string;
  let accountId: string;

  const call = (cookie: string, method: 'GET' | 'POST', url: string, headers: Record<string, string> = {}) =>
    t.app.inject({
      method,
      url,
      headers: { cookie, origin: t.origin, ...headers },
      ...(method === 'POST' ? { payload: {} } : {}),
    });
  const overview = async (query = '') => {
    const response = await call(admin, 'GET', `/api/admin/overview${query}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as AdminOverview;
  };
  const connectPage = async (decision: 'approve' | 'deny') => {
    const start = await call(admin, 'POST', '/api/connected-accounts/connect/facebook_page');
    expect(start.statusCode, start.body).toBe(200);
    return callback(t.app, await consent(t.app, start.json().loginUrl, { pages: [BRAND_PAGE], decision }), admin);
  };
  const post = async (id: string) => (await call(admin, 'GET', `/api/posts/${id}`)).json() as Post;
  const settled = (id: string) =>
    until(
      `post ${id} to settle`,
      async () => {
        const current = await post(id);
        return current.targets.every((target) => ['published', 'failed'].includes(target.status)) ? current : undefined;
      },
      20_000,
    );
  const publish = async (caption: string) => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/posts',
      headers: { cookie: admin, origin: t.origin },
      payload: { caption, targets: [{ accountId, kind: 'feed' }] },
    });
    expect(created.statusCode, created.body).toBe(201);
    return settled(created.json().id);
  };
  const jobState = async (id: string) => {
    const result = await t.database.db.execute(sql`select state, retry_count from pgboss.job where id = ${id}`);
    return (result as unknown as { rows: Array<{ state: string; retry_count: number }> }).rows[0];
  };

  beforeAll(async () => {
    t = await createTestApp({}, { jobs: true });
    if (!t.app.sandbox) throw new Error('sandbox mode is off');
    sandbox = t.app.sandbox;
    ({ cookie: admin } = await signUp(t.app, { email: 'admin@example.com' }));
    ({ cookie: member } = await signUp(t.app, { email: 'member@example.com' }));
  });
  afterAll(() => t.close());

  it('counts a refused and a completed connection, a published and a failed post', async () => {
    expect((await connectPage('deny')).searchParams.get('error')).toBe('CONNECT_DENIED');
    const landed = await connectPage('approve');
    expect(landed.searchParams.get('error')).toBeNull();
    const accounts = (await call(admin, 'GET', '/api/connected-accounts')).json();
    accountId = accounts.accounts[0].id;

    expect((await publish('Fresh beans today')).targets[0]).toMatchObject({ status: 'published' });
    sandbox.faults.add(
      'graph.page.feed.create',
      { type: 'response', status: 500, body: { error: { message: 'An unknown error has occurred.', code: 1 } } },
      1,
    );
    expect((await publish('Closed on Monday')).targets[0]).toMatchObject({
      status: 'failed',
      error: { code: PUBLISH_UNCONFIRMED },
    });

    const view = await overview('?window=24h');
    expect(view.window.bucket).toBe('hour');
    expect(view.connect).toMatchObject({
      started: 2,
      completed: 1,
      failed: 1,
      unfinished: 0,
      successRate: 0.5,
      failuresByReason: [{ code: 'CONNECT_DENIED', count: 1 }],
    });
    expect(view.publishing).toEqual({ published: 1, failed: 1, successRate: 0.5 });
    expect(view.errors).toEqual(
      expect.arrayContaining([
        {
          provider: 'facebook_page',
          source: 'connect',
          total: 2,
          failed: 1,
          rate: 0.5,
          codes: [{ code: 'CONNECT_DENIED', count: 1 }],
        },
        {
          provider: 'facebook_page',
          source: 'publish',
          total: 2,
          failed: 1,
          rate: 0.5,
          codes: [{ code: PUBLISH_UNCONFIRMED, count: 1 }],
        },
      ]),
    );
    // 24 or 25 hourly points (the current hour included), adding up to the totals.
    expect(view.series.length).toBeGreaterThanOrEqual(24);
    const sum = (key: 'connectStarted' | 'connectCompleted' | 'published' | 'publishFailed') =>
      view.series.reduce((total, point) => total + point[key], 0);
    expect([sum('connectStarted'), sum('connectCompleted'), sum('published'), sum('publishFailed')]).toEqual([
      2, 1, 1, 1,
    ]);
    expect(view.failedJobs).toEqual([
      expect.objectContaining({
        type: 'publish',
        provider: 'facebook_page',
        userEmail: 'admin@example.com',
        code: PUBLISH_UNCONFIRMED,
      }),
    ]);
    expect(view.queues.map((queue) => queue.queue)).toEqual(
      expect.arrayContaining(['publish-target', 'account-check']),
    );
    // The sandbox's Graph answers carry X-App-Usage, stored as the Facebook app's level by now.
    expect(view.usage[0]).toMatchObject({
      provider: 'facebook',
      scope: 'app',
      accountId: null,
      label: 'Facebook app',
      thresholdPercent: 80,
    });

    const daily = await overview('?window=30d');
    expect(daily.window.bucket).toBe('day');
    expect(daily.series.length).toBeGreaterThanOrEqual(30);
    expect((await call(admin, 'GET', '/api/admin/overview?window=1y')).statusCode).toBe(400);
  });

  it('retries a failed post target as its owner would, once', async () => {
    const [failed] = (await overview()).failedJobs;
    if (failed?.type !== 'publish') throw new Error('no failed target listed');
    const retried = await call(admin, 'POST', `/api/admin/failed-targets/${failed.id}/retry`);
    expect(retried.statusCode, retried.body).toBe(200);
    expect(t.logs.some((line) => line.includes('admin retried a failed post target') && line.includes(failed.id))).toBe(
      true,
    );
    const done = await settled(failed.postId);
    expect(done.targets[0]).toMatchObject({ status: 'published', error: null });
    const again = await call(admin, 'POST', `/api/admin/failed-targets/${failed.id}/retry`);
    expect(again.statusCode).toBe(409);
    expect((await call(admin, 'POST', `/api/admin/failed-targets/${randomUUID()}/retry`)).statusCode).toBe(404);
    const view = await overview();
    expect(view.publishing).toEqual({ published: 2, failed: 0, successRate: 1 });
    expect(view.failedJobs).toEqual([]);
  });

  it('retries a failed background job through pg-boss', async () => {
    const boss = t.boss;
    if (!boss) throw new Error('no job queue');
    const id = await boss.send('account-check', { accountId: 'not-a-uuid' }, { retryLimit: 0 });
    if (!id) throw new Error('job not sent');
    await until('the job to fail', async () => (await jobState(id))?.state === 'failed', 20_000);
    const listed = (await overview()).failedJobs.find((job) => job.id === id);
    expect(listed).toMatchObject({ type: 'job', queue: 'account-check', retries: 0 });
    expect(listed?.type === 'job' && listed.message).toMatch(/uuid/i);

    const retried = await call(admin, 'POST', `/api/admin/failed-jobs/account-check/${id}/retry`);
    expect(retried.statusCode, retried.body).toBe(200);
    expect(t.logs.some((line) => line.includes('admin retried a failed job') && line.includes(id))).toBe(true);
    // It ran again (and failed again, its payload being what it is).
    await until(
      'the job to run again',
      async () => {
        const state = await jobState(id);
        return state?.state === 'failed' && Number(state.retry_count) > 0;
      },
      20_000,
    );
    expect((await call(admin, 'POST', `/api/admin/failed-jobs/publish-target/${id}/retry`)).statusCode).toBe(404);
    const pending = await boss.send('account-check', { accountId: randomUUID() }, { startAfter: 3600 });
    const notFailed = await call(admin, 'POST', `/api/admin/failed-jobs/account-check/${pending}/retry`);
    expect(notFailed.statusCode).toBe(409);
    expect(notFailed.json().error.message).toMatch(/Only a failed job/);
  });

  it('answers 403 with a message to a non-admin on every admin route, by session or token', async () => {
    const operations = await adminOperations(t);
    expect(operations.length).toBe(3);
    const tokenOf = async (cookie: string, scopes: string[]) =>
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/api-tokens',
          headers: { cookie, origin: t.origin },
          payload: { name: 'scoped', scopes },
        })
      ).json().secret as string;
    const memberToken = await tokenOf(member, ['admin']);
    const adminToken = await tokenOf(admin, ['posts:read']);
    const adminScoped = await t.app.inject({
      method: 'GET',
      url: '/api/admin/overview',
      headers: { authorization: `Bearer ${await tokenOf(admin, ['admin'])}` },
    });
    expect(adminScoped.statusCode, adminScoped.body).toBe(200);
    for (const operation of operations) {
      const where = `${operation.method} ${operation.url}`;
      const bySession = await call(member, operation.method, operation.url);
      expect(bySession.statusCode, where).toBe(403);
      expect(bySession.json().error.message, where).toMatch(/Only administrators/);
      const byToken = await t.app.inject({
        method: operation.method,
        url: operation.url,
        headers: { authorization: `Bearer ${memberToken}` },
        ...(operation.method === 'POST' ? { payload: {} } : {}),
      });
      expect(byToken.statusCode, where).toBe(403);
      expect(byToken.json().error.message, where).toMatch(/Only administrators/);
      const unscoped = await t.app.inject({
        method: operation.method,
        url: operation.url,
        headers: { authorization: `Bearer ${adminToken}` },
        ...(operation.method === 'POST' ? { payload: {} } : {}),
      });
      expect(unscoped.statusCode, where).toBe(403);
      expect(unscoped.json().error.message, where).toMatch(/lacks the "admin" scope/);
      expect((await t.app.inject({ method: operation.method, url: operation.url })).statusCode, where).toBe(401);
    }
    const me = (await call(member, 'GET', '/api/me')).json();
    expect(me).toMatchObject({ email: 'member@example.com', isAdmin: false });
  });
});
