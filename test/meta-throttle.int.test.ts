import { inArray, sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { HOUR } from '../src/sandbox/core/clock.ts';
import type { Sandbox } from '../src/sandbox/core/sandbox.ts';
import { DEFAULT_LIMITS } from '../src/sandbox/core/usage.ts';
import { connectedAccounts, postTargets } from '../src/server/db/schema/index.ts';
import { currentUsage } from '../src/server/services/provider-usage.ts';
import { BRAND_PAGE, callback, consent, EVENTS_PAGE } from './helpers/connect.ts';
import { until } from './helpers/processes.ts';
import { createTestApp, signUp, type TestApp } from './helpers/test-app.ts';

const METRICS_TOKEN = 'metrics-token-for-the-throttle-test';

/**
 * Throttling from Meta's usage headers, through the real path: posts through the API, publish
 * jobs, the Facebook Page provider's Graph client and the mounted sandbox, whose small limits the
 * test sets. A text post to a Page is exactly one Graph call, counted against the app
 * (`X-App-Usage`) and the Page (`X-Business-Use-Case-Usage`).
 */
describe('throttling Meta calls by their usage headers (sandbox)', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  /** An app with META_THROTTLE_PERCENT and both seeded Pages connected, their connect calls out of the usage window. */
  async function start(thresholdPercent: number) {
    const app = await createTestApp({ META_THROTTLE_PERCENT: String(thresholdPercent), METRICS_TOKEN }, { jobs: true });
    t = app;
    if (!app.app.sandbox) throw new Error('sandbox mode is off');
    const sandbox: Sandbox = app.app.sandbox;
    const { cookie } = await signUp(app.app, { email: 'throttle@example.com' }, app.origin);
    const begin = await app.app.inject({
      method: 'POST',
      url: '/api/connected-accounts/connect/facebook_page',
      headers: { cookie, origin: app.origin },
      payload: {},
    });
    expect(begin.statusCode, begin.body).toBe(200);
    const landed = await callback(
      app.app,
      await consent(app.app, begin.json().loginUrl, { pages: [BRAND_PAGE, EVENTS_PAGE] }),
      cookie,
    );
    const flowId = landed.pathname.split('/').at(-1) ?? '';
    const selected = await app.app.inject({
      method: 'POST',
      url: `/api/oauth/flows/${flowId}/select`,
      headers: { cookie, origin: app.origin },
      payload: { candidateIds: [BRAND_PAGE, EVENTS_PAGE] },
    });
    expect(selected.statusCode, selected.body).toBe(200);
    const accounts = await app.database.db
      .select({ id: connectedAccounts.id, externalId: connectedAccounts.externalId })
      .from(connectedAccounts);
    const accountOf = (page: string) => accounts.find((account) => account.externalId === page)?.id ?? '';
    sandbox.clock.advance(HOUR + 60_000);

    const postText = async (accountId: string, caption: string) => {
      const created = await app.app.inject({
        method: 'POST',
        url: '/api/posts',
        headers: { cookie, origin: app.origin },
        payload: { caption, targets: [{ accountId, kind: 'feed' }] },
      });
      expect(created.statusCode, created.body).toBe(201);
      return created.json().targets[0].id as string;
    };
    const targets = (ids: string[]) => app.database.db.select().from(postTargets).where(inArray(postTargets.id, ids));
    /** Feed calls the sandbox refused with a rate-limit error (Graph code 4, 80001). */
    const refusals = (page: string) =>
      sandbox.log
        .list({ endpoint: 'graph.page.feed.create' })
        .filter((entry) => entry.path.includes(`/${page}/feed`) && entry.status !== 200).length;
    const queuedAt = async (targetId: string) => {
      const result = await app.database.db.execute(
        sql`select start_after from pgboss.job where name = 'publish-target' and data->>'targetId' = ${targetId} and state = 'created'`,
      );
      const [row] = (result as unknown as { rows: Array<{ start_after: Date | string }> }).rows;
      return row ? new Date(row.start_after).getTime() : undefined;
    };
    return {
      app,
      sandbox,
      brand: accountOf(BRAND_PAGE),
      events: accountOf(EVENTS_PAGE),
      postText,
      targets,
      refusals,
      queuedAt,
    };
  }

  /** Queues `count` text posts at once and waits until each has been published or held back with `heldCode`. */
  async function burst(run: Awaited<ReturnType<typeof start>>, accountId: string, count: number, heldCode: string) {
    const ids: string[] = [];
    for (let index = 0; index < count; index += 1) ids.push(await run.postText(accountId, `burst ${index}`));
    return until(
      `${count} targets published or held`,
      async () => {
        const rows = await run.targets(ids);
        return rows.every((row) => row.status === 'published' || row.errorCode === heldCode) ? rows : undefined;
      },
      60_000,
    );
  }

  it('holds an app past the threshold: calls are spaced out and deferred, and Meta refuses none', async () => {
    const run = await start(25);
    const appId = run.app.config.facebook.appId ?? '';
    run.sandbox.usage.limits = { ...DEFAULT_LIMITS, appCallsPerHour: 40 };

    const rows = await burst(run, run.events, 48, 'tether:throttled_app');
    // The sandbox would refuse from the 41st call of the hour on: it was never asked to.
    expect(run.refusals(EVENTS_PAGE)).toBe(0);
    expect(run.sandbox.usage.count(`graph-app:${appId}`)).toBeLessThan(40);
    const published = rows.filter((row) => row.status === 'published');
    const held = rows.filter((row) => row.status !== 'published');
    expect(published.length).toBeGreaterThanOrEqual(10);
    expect(held.length).toBeGreaterThan(0);
    for (const row of held) {
      // Deferred, not failed: still to be published, no attempt used up, its job queued for later.
      expect(row).toMatchObject({ status: 'publishing', attempts: 0, errorCode: 'tether:throttled_app' });
      expect(await run.queuedAt(row.id)).toBeGreaterThan(Date.now());
    }

    // Calls past the threshold were spaced out in-process before any was deferred.
    const feed = run.sandbox.log.list({ endpoint: 'graph.page.feed.create' });
    const times = feed.map((entry) => Date.parse(entry.at));
    const gaps = times.slice(1).map((at, index) => at - (times[index] ?? at));
    expect(gaps.filter((gap) => gap >= 900).length).toBeGreaterThanOrEqual(2);

    // Stored for every process to show: the app's row, above the threshold.
    const app = await until('the app usage stored', async () =>
      (await currentUsage(run.app.database.db)).find((row) => row.scope === 'app' && row.percent > 25),
    );
    expect(app).toMatchObject({ provider: 'facebook', appId, accountId: null, thresholdPercent: 25 });

    const metrics = await run.app.app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(metrics.body).toMatch(/tether_meta_throttled\{scope="app"\} 1/);
    expect(metrics.body).toMatch(
      /tether_meta_throttle_holds_total\{platform="facebook",scope="app",action="paced"\} [1-9]/,
    );
    expect(metrics.body).toMatch(
      /tether_meta_throttle_holds_total\{platform="facebook",scope="app",action="deferred"\} [1-9]/,
    );
  }, 60_000);

  it('gets refusals for the same load with throttling off (threshold 100)', async () => {
    const run = await start(100);
    run.sandbox.usage.limits = { ...DEFAULT_LIMITS, appCallsPerHour: 40 };
    const rows = await burst(run, run.events, 48, 'graph:4');
    expect(run.refusals(EVENTS_PAGE)).toBeGreaterThan(0);
    expect(rows.filter((row) => row.errorCode === 'graph:4').length).toBe(run.refusals(EVENTS_PAGE));
  }, 60_000);

  it("paces one Page's posts past the threshold, then holds them until Meta's regain time instead of being refused", async () => {
    const run = await start(25);
    run.sandbox.usage.limits = { ...DEFAULT_LIMITS, pageCallsPerHour: 4 };
    for (let index = 0; index < 4; index += 1) {
      const id = await run.postText(run.brand, `one at a time ${index}`);
      await until(`post ${index} published`, async () => (await run.targets([id]))[0]?.status === 'published');
    }
    // 25 %, 50 %, 75 %, 100 %: once above the threshold, each call waited at least an interval after the last answer.
    const times = run.sandbox.log.list({ endpoint: 'graph.page.feed.create' }).map((entry) => Date.parse(entry.at));
    expect(times).toHaveLength(4);
    expect((times[2] ?? 0) - (times[1] ?? 0)).toBeGreaterThanOrEqual(1_000);
    expect((times[3] ?? 0) - (times[2] ?? 0)).toBeGreaterThanOrEqual(1_000);

    const fifth = await run.postText(run.brand, 'one too many');
    const [held] = await until('the fifth post held back', async () => {
      const rows = await run.targets([fifth]);
      return rows[0]?.errorCode ? rows : undefined;
    });
    expect(held).toMatchObject({ status: 'publishing', attempts: 0, errorCode: 'tether:throttled_account' });
    expect(run.refusals(BRAND_PAGE)).toBe(0);
    // Held until Meta's estimate (the hour's oldest call leaves the window): about an hour from now.
    const queued = (await run.queuedAt(fifth)) ?? 0;
    expect(queued - Date.now()).toBeGreaterThan(55 * 60_000);

    const page = await until('the Page usage stored', async () =>
      (await currentUsage(run.app.database.db)).find(
        (row) => row.scope === 'account' && row.accountId === BRAND_PAGE && row.percent === 100,
      ),
    );
    expect(page).toMatchObject({ provider: 'facebook', label: 'Northwind Coffee', percent: 100 });
    expect(Date.parse(page?.throttledUntil ?? '') - Date.now()).toBeGreaterThan(55 * 60_000);
  }, 60_000);
});
