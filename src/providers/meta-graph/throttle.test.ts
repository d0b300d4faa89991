import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ThrottledError } from '../errors.ts';
import { createGraphClient } from './client.ts';
import { MetaThrottle, observeLevel, THROTTLE, type UsageLevel, type UsageReport, waitMs } from './throttle.ts';
import type { GraphUsage } from './usage.ts';

const T0 = 1_790_000_000_000;
const seen = (percent: number, regainMs = 0) => ({ percent, regainMs });

/** Levels after a series of observations `[msAfterT0, percent]` at threshold 80. */
function levelAfter(observations: Array<[number, number]>): UsageLevel {
  let level: UsageLevel | undefined;
  for (const [at, percent] of observations) level = observeLevel(level, seen(percent), T0 + at, 80);
  if (!level) throw new Error('no observation');
  return level;
}

describe('observeLevel and waitMs', () => {
  it('leaves calls unpaced at or below the threshold', () => {
    const level = levelAfter([
      [0, 40],
      [10, 80],
    ]);
    expect(level.intervalMs).toBe(0);
    expect(waitMs(level, T0 + 10)).toBe(0);
  });

  it('starts spacing calls above the threshold and doubles the spacing while usage still climbs', () => {
    expect(levelAfter([[0, 81]]).intervalMs).toBe(THROTTLE.firstIntervalMs);
    // The next call waits one interval after the answer that crossed the threshold.
    expect(waitMs(levelAfter([[0, 81]]), T0 + 200)).toBe(800);
    // Within one interval, further answers (concurrent calls) change nothing.
    expect(
      levelAfter([
        [0, 81],
        [500, 84],
      ]).intervalMs,
    ).toBe(1_000);
    expect(
      levelAfter([
        [0, 81],
        [1_000, 82],
        [3_000, 83],
      ]).intervalMs,
    ).toBe(4_000);
  });

  it('keeps the spacing while usage holds and halves it when usage falls, never below the first interval', () => {
    const climbing = levelAfter([
      [0, 81],
      [1_000, 82],
      [3_000, 83],
    ]);
    expect(observeLevel(climbing, seen(83), T0 + 7_000, 80).intervalMs).toBe(4_000);
    expect(observeLevel(climbing, seen(82), T0 + 7_000, 80).intervalMs).toBe(2_000);
    expect(observeLevel(levelAfter([[0, 90]]), seen(85), T0 + 1_000, 80).intervalMs).toBe(THROTTLE.firstIntervalMs);
    expect(observeLevel(climbing, seen(75), T0 + 7_000, 80).intervalMs).toBe(0);
  });

  it('never spaces calls further apart than the maximum', () => {
    let level = levelAfter([[0, 81]]);
    for (let step = 1; step < 40; step += 1)
      level = observeLevel(level, seen(81 + step / 4), level.adjustedAt + level.intervalMs, 80);
    expect(level.intervalMs).toBe(THROTTLE.maxIntervalMs);
  });

  it("holds calls until Meta's estimated time to regain access, even at a threshold of 100", () => {
    const level = observeLevel(undefined, seen(100, 19 * 60_000), T0, 100);
    expect(level.intervalMs).toBe(0);
    expect(waitMs(level, T0)).toBe(19 * 60_000);
    expect(waitMs(level, T0 + 19 * 60_000)).toBe(0);
    expect(waitMs(observeLevel(level, seen(30), T0 + 60_000, 100), T0 + 60_000)).toBe(0);
  });

  it('waits for the next paced slot', () => {
    const level = { ...levelAfter([[0, 90]]), nextAt: T0 + 800 };
    expect(waitMs(level, T0 + 300)).toBe(500);
    expect(waitMs(level, T0 + 900)).toBe(0);
  });
});

const appUsage = (percent: number): GraphUsage => ({
  app: { callCount: percent, totalTime: 1, totalCputime: 1 },
  business: {},
});
const pageUsage = (page: string, percent: number, regainMinutes = 0): GraphUsage => ({
  business: {
    [page]: [{ type: 'pages', callCount: percent, totalTime: 0, totalCputime: 0, regainAccessMinutes: regainMinutes }],
  },
});

function harness(thresholdPercent = 80) {
  let now = T0;
  const slept: number[] = [];
  const reports: UsageReport[] = [];
  const holds: string[] = [];
  const throttle = new MetaThrottle({
    thresholdPercent,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
    },
    onReport: (report) => reports.push(report),
    onHold: ({ scope, action }) => holds.push(`${scope}:${action}`),
  });
  return {
    app: throttle.forApp('111', 'facebook', 'facebook_page'),
    slept,
    reports,
    holds,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('MetaThrottle', () => {
  it('lets calls through while usage stays below the threshold', async () => {
    const h = harness();
    h.app.observe(appUsage(50));
    for (let call = 0; call < 5; call += 1) await h.app.admit('page-1');
    expect(h.slept).toEqual([]);
    expect(h.holds).toEqual([]);
  });

  it('gives concurrent calls consecutive slots and defers those beyond the in-process wait', async () => {
    const h = harness();
    h.app.observe(appUsage(85));
    const outcomes = await Promise.allSettled(Array.from({ length: 8 }, () => h.app.admit()));
    // The first waits one interval after the answer that crossed the threshold, the next one more each.
    expect(h.slept).toEqual([1_000, 2_000, 3_000, 4_000, 5_000]);
    const deferred = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(5);
    expect(deferred).toHaveLength(3);
    const error = (deferred[0] as PromiseRejectedResult).reason;
    expect(error).toBeInstanceOf(ThrottledError);
    expect(error).toMatchObject({ kind: 'rate_limited', scope: 'app', reason: 'throttled', retryAfterMs: 6_000 });
    expect(h.holds.filter((hold) => hold === 'app:deferred')).toHaveLength(3);
  });

  it("holds one Page for Meta's announced wait without slowing the app's other Pages", async () => {
    const h = harness();
    h.app.observe(pageUsage('page-1', 100, 30));
    await expect(h.app.admit('page-1')).rejects.toMatchObject({
      scope: 'page',
      code: 'tether:throttled_account',
      retryAfterMs: 30 * 60_000,
    });
    await h.app.admit('page-2');
    await h.app.admit();
    h.advance(30 * 60_000);
    await h.app.admit('page-1');
    expect(h.slept).toEqual([]);
  });

  it('paces nothing at a threshold of 100 until Meta announces a wait', async () => {
    const h = harness(100);
    h.app.observe(appUsage(100));
    for (let call = 0; call < 5; call += 1) await h.app.admit();
    expect(h.holds).toEqual([]);
  });

  it('reports a level only when it changed meaningfully', () => {
    const h = harness();
    h.app.observe(appUsage(10));
    h.app.observe(appUsage(12));
    h.app.observe(appUsage(14));
    expect(h.reports.map((report) => report.percent)).toEqual([10]);
    h.app.observe(appUsage(15));
    h.app.observe(appUsage(81));
    h.advance(THROTTLE.reportEveryMs);
    h.app.observe(appUsage(81));
    h.app.observe(pageUsage('page-1', 100, 5));
    expect(h.reports).toMatchObject([
      { scope: 'app', percent: 10, objectId: null },
      { scope: 'app', percent: 15 },
      { scope: 'app', percent: 81, thresholdPercent: 80, throttledUntil: null },
      { scope: 'app', percent: 81 },
      {
        scope: 'account',
        platform: 'facebook',
        appId: '111',
        objectId: 'page-1',
        percent: 100,
        throttledUntil: new Date(T0 + THROTTLE.reportEveryMs + 5 * 60_000),
      },
    ]);
  });
});

describe('the Graph client with a throttle', () => {
  it('reads the usage of every answer and sends no request while the object is held', async () => {
    let now = T0;
    const requests: string[] = [];
    const throttle = new MetaThrottle({ thresholdPercent: 80, now: () => now });
    const graph = createGraphClient({
      provider: 'facebook_page',
      baseUrl: 'https://graph.example',
      version: 'v25.0',
      now: () => now,
      throttle: throttle.forApp('111', 'facebook', 'facebook_page'),
      fetch: async (url) => {
        requests.push(url);
        return new Response('{"id":"1"}', {
          headers: {
            'x-business-use-case-usage': JSON.stringify({
              'page-1': [{ type: 'pages', call_count: 100, estimated_time_to_regain_access: 2 }],
            }),
          },
        });
      },
    });
    const call = () =>
      graph.post({ path: 'page-1/feed', token: 't', object: 'page-1', schema: z.object({ id: z.string() }) });
    await call();
    await expect(call()).rejects.toBeInstanceOf(ThrottledError);
    expect(requests).toHaveLength(1);
    now += 2 * 60_000;
    await call();
    expect(requests).toHaveLength(2);
  });
});
