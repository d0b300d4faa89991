import { setTimeout as sleep } from 'node:timers/promises';
import { type RateLimitedError, ThrottledError } from '../errors.ts';
import type { GraphUsage } from './usage.ts';

/**
 * Slowing down before Meta throttles (reference §5.3). Every Graph answer carries the app's usage
 * (`X-App-Usage`) and the usage of the business objects it touched (`X-Business-Use-Case-Usage`,
 * per Page or Instagram account), as percentages of a rolling limit. Above the threshold, calls for
 * that app or object are spaced out: the spacing starts at `firstIntervalMs` and doubles while the
 * usage still climbs, halves when it falls, at most once per interval, so it settles where usage
 * stops climbing. A wait Meta announces (`estimated_time_to_regain_access`) holds the object's
 * calls until then, whatever the threshold. Short waits are slept in-process; longer ones throw a
 * `ThrottledError` before any call is made, which a job turns into a later run.
 */
export const THROTTLE = {
  firstIntervalMs: 1_000,
  maxIntervalMs: 15 * 60_000,
  /** The longest wait slept inside a call; anything longer is deferred to the caller. */
  maxSleepMs: 5_000,
  /** A stored level is written again when its percentage moved by this much, or after `reportEveryMs`. */
  reportStepPercent: 5,
  reportEveryMs: 5 * 60_000,
} as const;

/** What the throttle knows about one app or one business object of an app. */
export interface UsageLevel {
  /** The highest of the measures Meta reported (calls, time, CPU time), in percent. */
  percent: number;
  /** Until when Meta said access is lost (epoch ms), or null. */
  regainUntil: number | null;
  /** Spacing between calls while above the threshold; 0 when calls go unpaced. */
  intervalMs: number;
  /** When the interval was last changed, and the percentage it was changed at. */
  adjustedAt: number;
  adjustedPercent: number;
  /** The earliest start of the next call (epoch ms). */
  nextAt: number;
}

/** The level after an answer reported `percent` (and a wait of `regainMs`, 0 for none) at `now`. */
export function observeLevel(
  level: UsageLevel | undefined,
  seen: { percent: number; regainMs: number },
  now: number,
  thresholdPercent: number,
): UsageLevel {
  const regainUntil = seen.regainMs > 0 ? now + seen.regainMs : null;
  const percent = seen.percent;
  if (percent <= thresholdPercent)
    return { percent, regainUntil, intervalMs: 0, adjustedAt: now, adjustedPercent: percent, nextAt: 0 };
  // The next call starts one interval after this answer at the earliest, or later if already reserved.
  const paced = (intervalMs: number) => Math.max(level?.nextAt ?? 0, now + intervalMs);
  if (!level?.intervalMs) {
    const intervalMs = THROTTLE.firstIntervalMs;
    return { percent, regainUntil, intervalMs, adjustedAt: now, adjustedPercent: percent, nextAt: paced(intervalMs) };
  }
  if (now - level.adjustedAt < level.intervalMs)
    return { ...level, percent, regainUntil, nextAt: paced(level.intervalMs) };
  const intervalMs =
    percent > level.adjustedPercent
      ? Math.min(THROTTLE.maxIntervalMs, level.intervalMs * 2)
      : percent < level.adjustedPercent
        ? Math.max(THROTTLE.firstIntervalMs, level.intervalMs / 2)
        : level.intervalMs;
  return { percent, regainUntil, intervalMs, adjustedAt: now, adjustedPercent: percent, nextAt: paced(intervalMs) };
}

/** How long a call must wait at `now` (0: it may go). */
export function waitMs(level: UsageLevel | undefined, now: number): number {
  if (!level) return 0;
  const held = level.regainUntil === null ? 0 : level.regainUntil - now;
  const paced = level.intervalMs > 0 ? level.nextAt - now : 0;
  return Math.max(0, held, paced);
}

/** Which Meta app: the Facebook app (Instagram through Facebook Login, Pages) or the Instagram Login app. */
export type MetaAppPlatform = 'facebook' | 'instagram';

/** A level as it is reported for storage and display. */
export interface UsageReport {
  platform: MetaAppPlatform;
  scope: 'app' | 'account';
  appId: string;
  /** The Page or Instagram account id; null for the app. */
  objectId: string | null;
  percent: number;
  thresholdPercent: number;
  /** Until when calls are held (Meta's wait, or the next paced call beyond the in-process wait). */
  throttledUntil: Date | null;
  at: Date;
}

export interface MetaThrottleOptions {
  /** Above this share of a limit (1–100), calls are spaced out. */
  thresholdPercent: number;
  now: () => number;
  /** Called when a level changed enough to be worth storing (see THROTTLE.report*). */
  onReport?: (report: UsageReport) => void;
  /** Called for every call held back: slept in-process (`paced`) or refused to the caller (`deferred`). */
  onHold?: (hold: { platform: MetaAppPlatform; scope: 'app' | 'account'; action: 'paced' | 'deferred' }) => void;
  /** Injectable for tests. */
  sleep?: (ms: number) => Promise<unknown>;
}

/** What a Graph client of one app uses: `admit` before a call, `observe` with every answer's usage. */
export interface GraphThrottle {
  admit(objectId?: string): Promise<void>;
  observe(usage: GraphUsage): void;
}

interface Entry {
  level: UsageLevel;
  /** The business use case type (`pages`, `instagram`) of an object; undefined for the app. */
  type?: string;
  reported?: { percent: number; above: boolean; throttledUntil: number | null; at: number };
}

const highest = (measures: { callCount: number; totalTime: number; totalCputime: number }) =>
  Math.max(measures.callCount, measures.totalTime, measures.totalCputime);

const scopeOfType = (type: string | undefined): RateLimitedError['scope'] =>
  type === undefined ? 'app' : type === 'pages' ? 'page' : type === 'instagram' ? 'instagram' : 'other';

/**
 * The throttle of one process, shared by the Meta providers: levels are kept in memory per app and
 * per (app, business object), and reported to `onReport` (which stores them for other processes to
 * show) only when they changed meaningfully.
 */
export class MetaThrottle {
  readonly thresholdPercent: number;
  readonly #options: MetaThrottleOptions;
  readonly #entries = new Map<string, Entry>();
  readonly #sleep: (ms: number) => Promise<unknown>;

  constructor(options: MetaThrottleOptions) {
    this.thresholdPercent = options.thresholdPercent;
    this.#options = options;
    this.#sleep = options.sleep ?? sleep;
  }

  /** The throttle of one Meta app, for its Graph client. */
  forApp(appId: string, platform: MetaAppPlatform, provider: string): GraphThrottle {
    return {
      admit: (objectId) => this.#admit({ appId, platform, provider, objectId }),
      observe: (usage) => this.#observe(appId, platform, usage),
    };
  }

  async #admit(input: { appId: string; platform: MetaAppPlatform; provider: string; objectId?: string }) {
    const now = this.#options.now();
    const keys: Array<{ key: string; scope: 'app' | 'account' }> = [{ key: appKey(input.appId), scope: 'app' }];
    if (input.objectId) keys.push({ key: objectKey(input.appId, input.objectId), scope: 'account' as const });
    let wait = 0;
    let longest: (typeof keys)[number] | undefined;
    for (const candidate of keys) {
      const candidateWait = waitMs(this.#entries.get(candidate.key)?.level, now);
      if (candidateWait > wait) {
        wait = candidateWait;
        longest = candidate;
      }
    }
    if (!longest) {
      this.#reserve(keys, now);
      return;
    }
    const entry = this.#entries.get(longest.key);
    if (wait > THROTTLE.maxSleepMs) {
      this.#options.onHold?.({ platform: input.platform, scope: longest.scope, action: 'deferred' });
      throw new ThrottledError({
        provider: input.provider,
        code: `tether:throttled_${longest.scope}`,
        reason: 'throttled',
        userMessage: 'Tether is spacing out calls to Meta to stay within its rate limits; this continues shortly.',
        detail: `${longest.scope} usage ${entry?.level.percent ?? 0}% (threshold ${this.thresholdPercent}%)`,
        retryAfterMs: wait,
        scope: scopeOfType(entry?.type),
      });
    }
    this.#reserve(keys, now + wait);
    this.#options.onHold?.({ platform: input.platform, scope: longest.scope, action: 'paced' });
    await this.#sleep(wait);
  }

  /** Takes the call's slot: the next paced call of each key starts one interval after it. */
  #reserve(keys: Array<{ key: string }>, start: number) {
    for (const { key } of keys) {
      const entry = this.#entries.get(key);
      if (entry?.level.intervalMs) entry.level.nextAt = start + entry.level.intervalMs;
    }
  }

  #observe(appId: string, platform: MetaAppPlatform, usage: GraphUsage) {
    const now = this.#options.now();
    if (usage.app) this.#update({ platform, appId, objectId: null }, { percent: highest(usage.app), regainMs: 0 }, now);
    for (const [objectId, entries] of Object.entries(usage.business)) {
      if (entries.length === 0) continue;
      const percent = Math.max(...entries.map(highest));
      const regainMs = Math.max(...entries.map((entry) => entry.regainAccessMinutes)) * 60_000;
      this.#update({ platform, appId, objectId, type: entries[0]?.type }, { percent, regainMs }, now);
    }
  }

  #update(
    target: { platform: MetaAppPlatform; appId: string; objectId: string | null; type?: string },
    seen: { percent: number; regainMs: number },
    now: number,
  ) {
    const key = target.objectId === null ? appKey(target.appId) : objectKey(target.appId, target.objectId);
    const previous = this.#entries.get(key);
    const level = observeLevel(previous?.level, seen, now, this.thresholdPercent);
    const entry: Entry = { level, type: target.type ?? previous?.type, reported: previous?.reported };
    this.#entries.set(key, entry);
    const wait = waitMs(level, now);
    const throttledUntil = wait > THROTTLE.maxSleepMs ? now + wait : null;
    const above = level.percent > this.thresholdPercent;
    const last = entry.reported;
    const changed =
      !last ||
      Math.abs(level.percent - last.percent) >= THROTTLE.reportStepPercent ||
      above !== last.above ||
      (throttledUntil === null) !== (last.throttledUntil === null) ||
      Math.abs((throttledUntil ?? 0) - (last.throttledUntil ?? 0)) >= 60_000 ||
      now - last.at >= THROTTLE.reportEveryMs;
    if (!changed) return;
    entry.reported = { percent: level.percent, above, throttledUntil, at: now };
    this.#options.onReport?.({
      platform: target.platform,
      scope: target.objectId === null ? 'app' : 'account',
      appId: target.appId,
      objectId: target.objectId,
      percent: level.percent,
      thresholdPercent: this.thresholdPercent,
      throttledUntil: throttledUntil === null ? null : new Date(throttledUntil),
      at: new Date(now),
    });
  }
}

const appKey = (appId: string) => `app:${appId}`;
const objectKey = (appId: string, objectId: string) => `object:${appId}:${objectId}`;
