import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Post } from '../src/contracts/posts.ts';
import type { Sandbox } from '../src/sandbox/core/sandbox.ts';
import { connectedAccounts } from '../src/server/db/schema/index.ts';
import { checkAccount } from '../src/server/services/keep-alive.ts';
import { BRAND_IG, BRAND_PAGE, connectInstagram } from './helpers/connect.ts';
import { jpeg, waitFor } from './helpers/fixtures.ts';
import { createTestApp, signUp, type TestApp, uploadMedia } from './helpers/test-app.ts';

const TOKEN = 'metrics-token-for-tests-0123456789';

type Labels = Record<string, string>;
interface Series {
  name: string;
  labels: Labels;
  value: number;
}

/** The samples of a Prometheus text exposition (comments skipped). */
function parseMetrics(text: string): Series[] {
  const series: Series[] = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) continue;
    const labels: Labels = {};
    for (const [, key = '', value = ''] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[key] = value;
    series.push({ name: match[1] ?? '', labels, value: Number(match[3]) });
  }
  return series;
}

/** The sum of every sample of `name` whose labels include `labels` (0 when there is none). */
const sampleOf = (series: Series[], name: string, labels: Labels = {}) =>
  series
    .filter((item) => item.name === name && Object.entries(labels).every(([key, value]) => item.labels[key] === value))
    .reduce((sum, item) => sum + item.value, 0);

describe('GET /metrics', () => {
  let t: TestApp;
  let sandbox: Sandbox;
  let cookie: string;
  let accountId: string;

  const api = async (method: 'GET' | 'POST', url: string, body?: object) => {
    const response = await t.app.inject({
      method,
      url,
      headers: { cookie, origin: t.origin },
      ...(body ? { payload: body } : {}),
    });
    return { status: response.statusCode, json: response.body ? response.json() : null };
  };

  const scrape = async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return parseMetrics(response.body);
  };

  const publishImage = async (caption: string) => {
    const mediaId = await uploadMedia(t.origin, cookie, {
      bytes: await jpeg(1080, 1080),
      name: 'metrics.jpg',
      type: 'image/jpeg',
    });
    const created = await api('POST', '/api/posts', {
      caption,
      mediaIds: [mediaId],
      targets: [{ accountId, kind: 'feed' }],
    });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const done = await waitFor(
      async () => (await api('GET', `/api/posts/${created.json.id}`)).json as Post,
      (post) => post.targets.every((target) => ['published', 'failed'].includes(target.status)),
    );
    return done.targets[0];
  };

  beforeAll(async () => {
    t = await createTestApp({ METRICS_TOKEN: TOKEN }, { listen: true, jobs: true });
    if (!t.app.sandbox) throw new Error('sandbox mode is off');
    sandbox = t.app.sandbox;
    ({ cookie } = await signUp(t.app, { email: 'metrics@example.com' }, t.origin));
  });
  afterAll(() => t.close());

  it('refuses a scrape without the token or with a wrong one (401), without a session', async () => {
    const missing = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(missing.statusCode).toBe(401);
    expect(missing.json().error.code).toBe('UNAUTHENTICATED');
    const wrong = await t.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer wrong' } });
    expect(wrong.statusCode).toBe(401);
    const session = await t.app.inject({ method: 'GET', url: '/metrics', headers: { cookie } });
    expect(session.statusCode).toBe(401);
    expect(missing.body + wrong.body).not.toContain('tether_');
  });

  it('counts requests, connections, publishes, token checks, platform calls and jobs as they happen', async () => {
    // A queue without workers holds a job that has waited five minutes, and one deferred for an hour.
    const boss = t.boss;
    if (!boss) throw new Error('no job queue');
    await boss.createQueue('metrics-probe');
    await boss.send('metrics-probe', {});
    await boss.send('metrics-probe', {}, { startAfter: new Date(Date.now() + 60 * 60_000) });
    await t.app.db.execute(
      sql`update pgboss.job set start_after = now() - interval '5 minutes' where name = 'metrics-probe' and start_after <= now()`,
    );

    const before = await scrape();
    expect(sampleOf(before, 'tether_connections', { provider: 'instagram', status: 'active' })).toBe(0);

    const landed = await connectInstagram(t.app, cookie, { pages: [BRAND_PAGE], origin: t.origin });
    accountId = (landed.searchParams.get('connected') ?? '').split(',')[0] ?? '';
    expect(accountId).not.toBe('');

    expect(await publishImage('Published and counted')).toMatchObject({ status: 'published' });
    const account = sandbox.instagram.accounts.get(BRAND_IG);
    if (!account) throw new Error('seeded account missing');
    const quota = account.quotaTotal;
    account.quotaTotal = 0;
    try {
      expect(await publishImage('Refused and counted')).toMatchObject({
        status: 'failed',
        error: { code: 'graph:quota_exhausted' },
      });
    } finally {
      account.quotaTotal = quota;
    }

    // A background check of a Facebook-login token re-inspects it.
    await t.app.db
      .update(connectedAccounts)
      .set({ nextCheckAt: new Date(Date.now() - 1000) })
      .where(eq(connectedAccounts.id, accountId));
    expect(await checkAccount(t.app.connections, accountId)).toBe('checked');

    const after = await scrape();
    const moved = (name: string, labels: Labels = {}) => sampleOf(after, name, labels) - sampleOf(before, name, labels);

    // HTTP: by route pattern, never the raw URL.
    expect(moved('tether_http_requests_total', { method: 'POST', route: '/api/posts', status: '201' })).toBe(2);
    expect(moved('tether_http_request_duration_seconds_count', { method: 'POST', route: '/api/posts' })).toBe(2);
    expect(moved('tether_http_requests_total', { method: 'GET', route: '/api/posts/:id' })).toBeGreaterThanOrEqual(2);
    expect(after.some((item) => item.labels.route?.includes(accountId))).toBe(false);

    // Connections by provider and status, read at scrape time.
    expect(sampleOf(after, 'tether_connections', { provider: 'instagram', status: 'active' })).toBe(1);
    expect(sampleOf(after, 'tether_connections', { provider: 'linkedin', status: 'active' })).toBe(0);

    // Publishing outcomes by provider and error kind.
    expect(
      moved('tether_publish_attempts_total', { provider: 'instagram', outcome: 'published', error_kind: 'none' }),
    ).toBe(1);
    expect(
      moved('tether_publish_attempts_total', { provider: 'instagram', outcome: 'failed', error_kind: 'rejected' }),
    ).toBe(1);
    expect(moved('tether_publish_attempts_total')).toBe(2);

    // Token checks.
    expect(moved('tether_token_checks_total', { provider: 'instagram', outcome: 'inspected' })).toBe(1);

    // Platform calls by API and endpoint pattern: one media_publish for the published post only.
    expect(
      moved('tether_provider_api_calls_total', {
        api: 'facebook_graph',
        endpoint: '/:id/media_publish',
        status: '200',
      }),
    ).toBe(1);
    expect(moved('tether_provider_api_calls_total', { api: 'facebook_graph' })).toBeGreaterThan(3);
    for (const item of after.filter((sample) => sample.name === 'tether_provider_api_calls_total'))
      expect(item.labels.endpoint).not.toMatch(/\d/);

    // Meta's usage headers as last seen.
    expect(after.some((item) => item.name === 'tether_meta_app_usage_percent')).toBe(true);

    // Jobs by queue, from pg-boss's tables.
    expect(sampleOf(after, 'tether_jobs', { queue: 'metrics-probe', state: 'queued' })).toBe(1);
    expect(sampleOf(after, 'tether_jobs', { queue: 'metrics-probe', state: 'deferred' })).toBe(1);
    expect(sampleOf(after, 'tether_jobs_oldest_queued_seconds', { queue: 'metrics-probe' })).toBeGreaterThanOrEqual(
      299,
    );
    expect(after.some((item) => item.name === 'tether_jobs' && item.labels.queue === 'publish-target')).toBe(true);
  });
});

describe('GET /metrics without METRICS_TOKEN', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('does not exist (404), whatever the request carries', async () => {
    const plain = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(plain.statusCode).toBe(404);
    const bearer = await t.app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: 'Bearer anything' },
    });
    expect(bearer.statusCode).toBe(404);
    expect(plain.body + bearer.body).not.toContain('tether_');
  });
});
