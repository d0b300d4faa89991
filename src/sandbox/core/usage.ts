import { HOUR, type SandboxClock } from './clock.ts';

/**
 * Call counting behind Meta's usage headers. Each counter is a rolling window; a share of the
 * limit is reported as a percentage in `X-App-Usage` / `X-Business-Use-Case-Usage`, and at 100 %
 * calls are refused with the platform's throttling error.
 */
export interface UsageLimits {
  /** Graph calls per app per hour (X-App-Usage, error 4). */
  appCallsPerHour: number;
  /** Calls per Page per hour (BUC type `pages`, error 80001). */
  pageCallsPerHour: number;
  /** Calls per Instagram account per hour (BUC type `instagram`, error 80002). */
  instagramCallsPerHour: number;
  /** LinkedIn calls per member per UTC day (HTTP 429). */
  linkedinCallsPerDay: number;
  /** Instagram Login token refreshes per app per second (X-App-Usage, error 4), for load tests. */
  refreshCallsPerSecond: number;
}

export const DEFAULT_LIMITS: UsageLimits = {
  appCallsPerHour: 100_000,
  pageCallsPerHour: 100_000,
  instagramCallsPerHour: 100_000,
  linkedinCallsPerDay: 100_000,
  refreshCallsPerSecond: 10_000,
};

export class UsageCounters {
  #calls = new Map<string, number[]>();
  readonly #clock: SandboxClock;
  limits: UsageLimits = { ...DEFAULT_LIMITS };

  constructor(clock: SandboxClock) {
    this.#clock = clock;
  }

  /** Counts one call against `key` and returns the calls inside the window, this one included. */
  hit(key: string, windowMs = HOUR): number {
    const now = this.#clock.now();
    const calls = (this.#calls.get(key) ?? []).filter((at) => at > now - windowMs);
    calls.push(now);
    this.#calls.set(key, calls);
    return calls.length;
  }

  /** Calls inside the window without counting a new one. */
  count(key: string, windowMs = HOUR): number {
    const now = this.#clock.now();
    return (this.#calls.get(key) ?? []).filter((at) => at > now - windowMs).length;
  }

  /** Minutes until the oldest call in the window leaves it: Meta's `estimated_time_to_regain_access`. */
  minutesToRegain(key: string, windowMs = HOUR): number {
    const calls = this.#calls.get(key) ?? [];
    const oldest = calls.find((at) => at > this.#clock.now() - windowMs);
    return oldest === undefined ? 0 : Math.max(1, Math.ceil((oldest + windowMs - this.#clock.now()) / 60_000));
  }

  clear(): void {
    this.#calls.clear();
    this.limits = { ...DEFAULT_LIMITS };
  }
}

export const percentOf = (count: number, limit: number) => Math.min(100, Math.round((count / limit) * 100));
