import { eq } from 'drizzle-orm';
import type { PgBoss } from 'pg-boss';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CreatedWebhook, WebhookDelivery, WebhookEndpoint } from '../src/contracts/webhooks.ts';
import { DAY } from '../src/sandbox/core/clock.ts';
import { DEFAULT_WORKSPACE } from '../src/sandbox/seed.ts';
import { webhookDeliveries, webhookEndpoints } from '../src/server/db/schema/index.ts';
import { startJobs } from '../src/server/jobs/runner.ts';
import type { Logger } from '../src/server/logger.ts';
import { checkAccount } from '../src/server/services/keep-alive.ts';
import { deliverWebhook, retryDelayMs, WEBHOOK_DELIVERY } from '../src/server/services/webhook-delivery.ts';
import { createWebhookEndpoint, queueWebhookEvent } from '../src/server/services/webhooks.ts';
import { BRAND_PAGE, connectInstagram } from './helpers/connect.ts';
import { createTestApp, ORIGIN, signUp, type TestApp } from './helpers/test-app.ts';
import { startReceiver, verifySignature } from './helpers/webhook-receiver.ts';

async function waitFor<T>(check: () => Promise<T | undefined | false>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('outgoing webhooks', () => {
  let t: TestApp;
  let boss: PgBoss;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let cookie: string;
  let other: { cookie: string };

  const sandbox = () => {
    if (!t.app.sandbox) throw new Error('sandbox mode is off');
    return t.app.sandbox;
  };
  const deps = () => ({ ...t.app.connections, boss });
  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, as = cookie, payload?: object) =>
    t.app.inject({ method, url, headers: { cookie: as, origin: ORIGIN }, payload });
  const create = async (body: object, as = cookie) => {
    const response = await call('POST', '/api/webhooks', as, body);
    expect(response.statusCode, response.body).toBe(201);
    return response.json() as CreatedWebhook;
  };
  const deliveries = async (endpointId: string) => {
    const response = await call('GET', `/api/webhooks/${endpointId}/deliveries`);
    expect(response.statusCode, response.body).toBe(200);
    return (response.json() as { deliveries: WebhookDelivery[] }).deliveries;
  };

  beforeAll(async () => {
    t = await createTestApp();
    Object.assign(t.app.connections, { now: () => sandbox().clock.now() });
    receiver = await startReceiver();
    // A worker in this process, like ROLE=all; it also hands the queue to the app's services.
    boss = await startJobs({
      database: t.database,
      role: 'all',
      logger: t.app.log as Logger,
      connections: t.app.connections,
    });
    ({ cookie } = await signUp(t.app, { email: 'hooks@example.com' }));
    other = await signUp(t.app, { email: 'other-hooks@example.com' });
  });
  afterAll(async () => {
    await boss?.stop({ graceful: true, close: false, timeout: 5_000 });
    await receiver?.close();
    await t?.close();
  });
  beforeEach(async () => {
    await t.database.db.delete(webhookEndpoints);
    receiver.received.length = 0;
  });

  it('with private targets off (production), refuses private addresses when saved and when a name resolves to one', async () => {
    Object.assign(t.app.connections, { webhookPrivateTargets: false });
    try {
      for (const url of [receiver.url('/inside'), 'http://[::1]/inside', 'http://169.254.169.254/latest/meta-data'])
        expect((await call('POST', '/api/webhooks', cookie, { url })).statusCode, url).toBe(400);
      const { endpoint } = await create({ url: receiver.url('/by-name').replace('127.0.0.1', 'localhost') });
      expect((await call('POST', `/api/webhooks/${endpoint.id}/test`)).statusCode).toBe(202);
      const [delivery] = await waitFor(async () => {
        const list = await deliveries(endpoint.id);
        return list[0]?.status === 'failed' && list;
      }, 'the delivery to be refused');
      expect(delivery?.lastError).toMatch(/resolves to (127\.0\.0\.1|::1), a private address/);
      expect(receiver.at('/by-name')).toEqual([]);
    } finally {
      Object.assign(t.app.connections, { webhookPrivateTargets: true });
    }
  });

  it('creates an endpoint whose secret is shown once, then never in lists or logs', async () => {
    const { endpoint, secret } = await create({ url: receiver.url('/ok') });
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(endpoint).toMatchObject({
      url: receiver.url('/ok'),
      enabled: true,
      events: ['account.expiring', 'account.needs_reconnect', 'account.recovered', 'post.published', 'post.failed'],
    });

    const list = await call('GET', '/api/webhooks');
    expect(list.statusCode).toBe(200);
    expect((list.json() as { endpoints: WebhookEndpoint[] }).endpoints).toEqual([endpoint]);
    expect(list.body).not.toContain(secret);
    expect(list.body).not.toMatch(/secret/i);

    // The stored value is a ciphertext bound to the row, not the secret.
    const [row] = await t.database.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id));
    expect(row?.secretCiphertext).toMatch(/^v1\./);
    expect(row?.secretCiphertext).not.toContain(secret.slice(6));

    const test = await call('POST', `/api/webhooks/${endpoint.id}/test`);
    expect(test.statusCode, test.body).toBe(202);
    await waitFor(async () => (await deliveries(endpoint.id))[0]?.status === 'delivered', 'the test delivery');
    expect((await call('GET', `/api/webhooks/${endpoint.id}/deliveries`)).body).not.toContain(secret);
    const logs = t.logs.join('\n');
    expect(logs).toContain('webhook delivered');
    expect(logs).not.toContain(secret.slice(6));
  });

  it('signs each POST so the receiver can check it with the secret', async () => {
    const { endpoint, secret } = await create({ url: receiver.url('/ok'), events: ['account.recovered'] });
    const test = await call('POST', `/api/webhooks/${endpoint.id}/test`);
    expect(test.statusCode).toBe(202);
    const delivery = test.json() as WebhookDelivery;
    expect(delivery).toMatchObject({ eventType: 'webhook.test', status: 'pending', attempts: 0 });

    const [request] = await waitFor(async () => receiver.at('/ok').length > 0 && receiver.at('/ok'), 'the POST');
    expect(request?.headers).toMatchObject({
      'content-type': 'application/json',
      'tether-event': 'webhook.test',
      'tether-delivery': delivery.id,
    });
    const { timestamp } = verifySignature(secret, request?.headers['tether-signature'] as string, request?.body ?? '');
    expect(Math.abs(timestamp - Date.now() / 1000)).toBeLessThan(60);
    expect(() =>
      verifySignature(`${secret}x`, request?.headers['tether-signature'] as string, request?.body ?? ''),
    ).toThrow('signature mismatch');
    expect(JSON.parse(request?.body ?? '')).toEqual({
      id: expect.any(String),
      type: 'webhook.test',
      createdAt: expect.any(String),
      data: { endpointId: endpoint.id, message: expect.any(String) },
    });

    const [done] = await waitFor(async () => {
      const list = await deliveries(endpoint.id);
      return list[0]?.status === 'delivered' && list;
    }, 'the delivered status');
    expect(done).toMatchObject({ id: delivery.id, attempts: 1, lastStatusCode: 200, lastError: null });
    // A delivered delivery is never sent again.
    expect(await deliverWebhook(deps(), delivery.id)).toBe('skipped');
    expect(receiver.at('/ok')).toHaveLength(1);
  });

  it('retries a failed attempt with backoff, and delivers it on the retry', async () => {
    const { endpoint, secret } = await create({ url: receiver.url('/flaky') });
    const test = (await call('POST', `/api/webhooks/${endpoint.id}/test`)).json() as WebhookDelivery;

    const [failed] = await waitFor(async () => {
      const list = await deliveries(endpoint.id);
      return list[0]?.lastStatusCode === 500 && list;
    }, 'the first attempt');
    expect(failed).toMatchObject({ status: 'pending', attempts: 1, lastError: 'HTTP 500 Internal Server Error' });

    // The retry is a job of its own, queued about 30 s later (within the jitter).
    const [retry] = await boss.findJobs(WEBHOOK_DELIVERY.queue, { data: { deliveryId: test.id }, queued: true });
    expect(retry).toBeDefined();
    const waitMs = (retry?.startAfter.getTime() ?? 0) - Date.now();
    expect(waitMs).toBeGreaterThan(WEBHOOK_DELIVERY.backoffBaseMs * (1 - WEBHOOK_DELIVERY.jitter) - 5_000);
    expect(waitMs).toBeLessThanOrEqual(WEBHOOK_DELIVERY.backoffBaseMs * (1 + WEBHOOK_DELIVERY.jitter) + 1_000);

    // Bring that job forward instead of waiting: the worker runs it and the receiver now says 200.
    await boss.update({ name: WEBHOOK_DELIVERY.queue, options: { id: retry?.id ?? '', startAfter: new Date() } });
    const [delivered] = await waitFor(async () => {
      const list = await deliveries(endpoint.id);
      return list[0]?.status === 'delivered' && list;
    }, 'the retry');
    expect(delivered).toMatchObject({ attempts: 2, lastStatusCode: 200, lastError: null });
    const posts = receiver.at('/flaky');
    expect(posts).toHaveLength(2);
    expect(posts.map((post) => post.headers['tether-delivery'])).toEqual([test.id, test.id]);
    expect(posts[0]?.body).toBe(posts[1]?.body);
    for (const post of posts) verifySignature(secret, post.headers['tether-signature'] as string, post.body);
  });

  it('gives up after the last attempt, and never follows redirects', async () => {
    const failing = await create({ url: receiver.url('/fail') });
    const test = (await call('POST', `/api/webhooks/${failing.endpoint.id}/test`)).json() as WebhookDelivery;
    await waitFor(async () => (await deliveries(failing.endpoint.id))[0]?.lastStatusCode === 500, 'the first attempt');
    // Drive the other attempts directly, as the queued jobs would over a day.
    for (let i = 0; i < WEBHOOK_DELIVERY.maxAttempts * 2; i++) {
      const [row] = await t.database.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, test.id));
      if (row?.status !== 'pending') break;
      await deliverWebhook(deps(), test.id);
    }
    const [gaveUp] = await deliveries(failing.endpoint.id);
    expect(gaveUp).toMatchObject({ status: 'failed', attempts: WEBHOOK_DELIVERY.maxAttempts, lastStatusCode: 500 });
    expect(receiver.at('/fail')).toHaveLength(WEBHOOK_DELIVERY.maxAttempts);
    expect(await deliverWebhook(deps(), test.id)).toBe('skipped');

    const redirecting = await create({ url: receiver.url('/redirect') });
    await call('POST', `/api/webhooks/${redirecting.endpoint.id}/test`);
    const [redirected] = await waitFor(async () => {
      const list = await deliveries(redirecting.endpoint.id);
      return list[0]?.lastStatusCode === 302 && list;
    }, 'the redirected attempt');
    expect(redirected).toMatchObject({ status: 'pending', attempts: 1 });
    expect(redirected?.lastError).toMatch(/redirects are not followed/);
    expect(receiver.at('/ok')).toHaveLength(0);
  });

  it('sends account.needs_reconnect when the keep-alive check finds a revoked connection', async () => {
    const subscribed = await create({ url: receiver.url('/ok'), events: ['account.needs_reconnect'] });
    const elsewhere = await create({ url: receiver.url('/ok?recovered-only'), events: ['account.recovered'] });
    const foreign = await create({ url: receiver.url('/ok?other-user') }, other.cookie);

    const landed = await connectInstagram(t.app, cookie, { pages: [BRAND_PAGE] });
    const accountId = landed.searchParams.get('connected') ?? '';
    sandbox().tokens.revokeSubject(
      { subjectId: DEFAULT_WORKSPACE.facebookUserId },
      { subcode: 460, message: 'password changed' },
    );
    sandbox().clock.advance(DAY);
    expect(await checkAccount(t.app.connections, accountId)).toBe('needs_reconnect');

    const [request] = await waitFor(async () => receiver.at('/ok').length > 0 && receiver.at('/ok'), 'the event');
    verifySignature(subscribed.secret, request?.headers['tether-signature'] as string, request?.body ?? '');
    expect(request?.headers['tether-event']).toBe('account.needs_reconnect');
    expect(JSON.parse(request?.body ?? '')).toMatchObject({
      type: 'account.needs_reconnect',
      data: {
        account: { id: accountId, provider: 'instagram', username: 'northwind.coffee' },
        previousStatus: 'active',
        status: 'needs_reconnect',
      },
    });
    await waitFor(
      async () => (await deliveries(subscribed.endpoint.id))[0]?.status === 'delivered',
      'the delivered status',
    );
    expect(await deliveries(elsewhere.endpoint.id)).toEqual([]);
    const foreignDeliveries = await t.database.db
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.endpointId, foreign.endpoint.id));
    expect(foreignDeliveries).toEqual([]);
    expect(receiver.received).toHaveLength(1);

    // Reconnecting it (the OAuth callback, through the app's own deps) sends account.recovered.
    await connectInstagram(t.app, cookie, { pages: [BRAND_PAGE], reconnectAccountId: accountId });
    const [recovered] = await waitFor(async () => {
      const list = await deliveries(elsewhere.endpoint.id);
      return list[0]?.status === 'delivered' && list;
    }, 'the account.recovered delivery');
    expect(recovered).toMatchObject({ eventType: 'account.recovered', attempts: 1 });
    const [again] = receiver.received.filter((item) => item.path === '/ok?recovered-only');
    verifySignature(elsewhere.secret, again?.headers['tether-signature'] as string, again?.body ?? '');
    expect(JSON.parse(again?.body ?? '')).toMatchObject({
      type: 'account.recovered',
      data: { account: { id: accountId }, previousStatus: 'needs_reconnect', status: 'active' },
    });
    expect(await deliveries(subscribed.endpoint.id)).toHaveLength(1);
  });

  it('writes deliveries and their jobs in the caller’s transaction: rolled back, neither exists', async () => {
    const { endpoint } = await create({ url: receiver.url('/ok') });
    const [owner] = await t.database.db
      .select({ userId: webhookEndpoints.userId })
      .from(webhookEndpoints)
      .where(eq(webhookEndpoints.id, endpoint.id));
    let queuedIds: string[] = [];
    const rollback = new Error('roll back');
    await expect(
      t.database.db.transaction(async (tx) => {
        queuedIds = await queueWebhookEvent(
          { tx, boss },
          { userId: owner?.userId ?? '', type: 'account.expiring', data: { marker: 'rolled-back' } },
        );
        throw rollback;
      }),
    ).rejects.toBe(rollback);
    expect(queuedIds).toHaveLength(1);
    expect(await deliveries(endpoint.id)).toEqual([]);
    const jobs = await boss.findJobs(WEBHOOK_DELIVERY.queue, { data: { deliveryId: queuedIds[0] } });
    expect(jobs).toEqual([]);
    // Without a queue the event cannot be produced, rather than leaving deliveries nobody sends.
    await expect(
      t.database.db.transaction((tx) =>
        queueWebhookEvent({ tx, boss: undefined }, { userId: owner?.userId ?? '', type: 'account.expiring', data: {} }),
      ),
    ).rejects.toThrow(/job queue/);
  });

  it('answers 404 for another user’s endpoint, and deletes only one’s own', async () => {
    const { endpoint } = await create({ url: receiver.url('/ok') });
    for (const [method, url] of [
      ['DELETE', `/api/webhooks/${endpoint.id}`],
      ['POST', `/api/webhooks/${endpoint.id}/test`],
      ['GET', `/api/webhooks/${endpoint.id}/deliveries`],
    ] as const) {
      const response = await call(method, url, other.cookie);
      expect(response.statusCode, `${method} ${url}`).toBe(404);
      expect(response.json()).toMatchObject({ error: { code: 'NOT_FOUND', message: expect.any(String) } });
    }
    expect(((await call('GET', '/api/webhooks', other.cookie)).json() as { endpoints: unknown[] }).endpoints).toEqual(
      [],
    );
    expect(receiver.received).toHaveLength(0);

    expect((await call('DELETE', `/api/webhooks/${endpoint.id}`)).statusCode).toBe(204);
    expect((await call('DELETE', `/api/webhooks/${endpoint.id}`)).statusCode).toBe(404);
    expect(((await call('GET', '/api/webhooks')).json() as { endpoints: unknown[] }).endpoints).toEqual([]);
    expect((await call('GET', '/api/webhooks', '')).statusCode).toBe(401);
  });

  it('documents the routes in the OpenAPI document', async () => {
    const document = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
      paths: Record<string, Record<string, { tags?: string[]; summary?: string }>>;
    };
    for (const [path, method] of [
      ['/api/webhooks', 'get'],
      ['/api/webhooks', 'post'],
      ['/api/webhooks/{id}', 'delete'],
      ['/api/webhooks/{id}/test', 'post'],
      ['/api/webhooks/{id}/deliveries', 'get'],
    ] as const) {
      expect(document.paths[path]?.[method], `${method} ${path}`).toMatchObject({
        tags: ['webhooks'],
        summary: expect.any(String),
      });
    }
  });

  it('refuses bad endpoints with a 400 that says why', async () => {
    const cases: Array<[object, RegExp]> = [
      [{ url: 'ftp://example.com/hook' }, /http/],
      [{ url: 'not a url' }, /http/],
      [{ url: `https://example.com/${'a'.repeat(2100)}` }, /2048/],
      [{ url: 'https://user:pass@example.com/hook' }, /user name or password/],
      [{ url: 'https://example.com/hook', events: [] }, /at least one event/],
      [{ url: 'https://example.com/hook', events: ['post.deleted'] }, /events/],
      [{ url: 'https://example.com/hook', events: ['account.expiring', 'account.expiring'] }, /once/],
    ];
    for (const [body, message] of cases) {
      const response = await call('POST', '/api/webhooks', cookie, body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect((response.json() as { error: { message: string } }).error.message, JSON.stringify(body)).toMatch(message);
    }
    expect((await call('POST', '/api/webhooks/not-a-uuid/test')).statusCode).toBe(400);
    // In production (https required) a plain-http URL is refused; https is fine.
    const input = { userId: 'nobody', events: ['account.expiring' as const], requireHttps: true };
    await expect(
      createWebhookEndpoint(t.app.connections, { ...input, url: 'http://example.com/hook' }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: 'Webhook URLs must use https:// on this server.' });
  });
});

describe('webhook retry schedule', () => {
  it('starts at 30 s, grows fourfold up to 12 h, and spans about a day over all attempts', () => {
    const middle = () => 0.5;
    const delays = Array.from({ length: WEBHOOK_DELIVERY.maxAttempts - 1 }, (_, i) => retryDelayMs(i + 1, middle));
    expect(delays[0]).toBe(30_000);
    expect(delays[1]).toBe(120_000);
    expect(delays.at(-1)).toBe(WEBHOOK_DELIVERY.backoffMaxMs);
    const total = delays.reduce((sum, delay) => sum + delay, 0);
    expect(total).toBeGreaterThan(20 * 60 * 60_000);
    expect(total).toBeLessThan(30 * 60 * 60_000);
    expect(retryDelayMs(1, () => 0)).toBe(30_000 * (1 - WEBHOOK_DELIVERY.jitter));
    expect(retryDelayMs(1, () => 1)).toBe(30_000 * (1 + WEBHOOK_DELIVERY.jitter));
  });
});
