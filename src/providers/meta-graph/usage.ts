import { z } from 'zod';

/**
 * Meta's usage headers (reference §5.3): JSON in header values, numbers are percentages of the
 * limit. Read on every response so callers can slow down before they are throttled.
 */
const appUsage = z.object({
  call_count: z.number().default(0),
  total_time: z.number().default(0),
  total_cputime: z.number().default(0),
});

const businessUseCaseEntry = z.object({
  type: z.string(),
  call_count: z.number().default(0),
  total_time: z.number().default(0),
  total_cputime: z.number().default(0),
  estimated_time_to_regain_access: z.number().default(0),
});

const businessUseCaseUsage = z.record(z.string(), z.array(businessUseCaseEntry));

export interface GraphUsage {
  /** X-App-Usage: the app's share of its platform limit, in percent. */
  app?: { callCount: number; totalTime: number; totalCputime: number };
  /** X-Business-Use-Case-Usage, per business object id (Page, Instagram account). */
  business: Record<
    string,
    Array<{ type: string; callCount: number; totalTime: number; totalCputime: number; regainAccessMinutes: number }>
  >;
}

const parseJsonHeader = (value: string | null): unknown => {
  if (!value) return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
};

/** Never throws: a missing or malformed header reads as "no information". */
export function parseUsageHeaders(headers: Headers): GraphUsage {
  const app = appUsage.safeParse(parseJsonHeader(headers.get('x-app-usage')));
  const business = businessUseCaseUsage.safeParse(parseJsonHeader(headers.get('x-business-use-case-usage')));
  return {
    app: app.success
      ? { callCount: app.data.call_count, totalTime: app.data.total_time, totalCputime: app.data.total_cputime }
      : undefined,
    business: business.success
      ? Object.fromEntries(
          Object.entries(business.data).map(([id, entries]) => [
            id,
            entries.map((entry) => ({
              type: entry.type,
              callCount: entry.call_count,
              totalTime: entry.total_time,
              totalCputime: entry.total_cputime,
              regainAccessMinutes: entry.estimated_time_to_regain_access,
            })),
          ]),
        )
      : {},
  };
}

/** The longest wait any throttled business object asks for, in milliseconds (0 when none). */
export function regainAccessMs(usage: GraphUsage): number {
  const minutes = Object.values(usage.business)
    .flat()
    .map((entry) => entry.regainAccessMinutes);
  return Math.max(0, ...minutes) * 60_000;
}
