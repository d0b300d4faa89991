import { sql } from 'drizzle-orm';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { ACCOUNT_STATUSES, PROVIDER_IDS } from '../contracts/connected-accounts.ts';
import type { ProviderErrorKind } from '../providers/errors.ts';
import type { Fetch } from '../providers/meta-graph/client.ts';
import type { GraphUsage } from '../providers/meta-graph/usage.ts';
import type { Database } from './db/client.ts';
import { connectedAccounts, providerUsage } from './db/schema/index.ts';

/** How a background token check ended (`services/keep-alive.ts`). */
export type TokenCheckOutcome =
  | 'refreshed'
  | 'inspected'
  | 'needs_reconnect'
  | 'skipped'
  | 'gave_up'
  | `failed_${ProviderErrorKind}`;

/** How one run of a publish job ended (`services/publishing.ts`). */
export type PublishOutcome = 'published' | 'failed' | 'retried' | 'paused_for_reconnect' | 'unconfirmed';

/**
 * Prometheus metrics of one Tether process, in a registry of their own (never prom-client's
 * global one), so several apps in one process each count for themselves. The app and the job
 * workers of a process share one instance; `GET /metrics` serves it.
 */
export class Metrics {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'tether_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'tether_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method and route pattern.',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly tokenChecks = new Counter({
    name: 'tether_token_checks_total',
    help: 'Background token checks of connected accounts, by provider and outcome (refreshed, inspected, needs_reconnect, failed_<kind>, gave_up, skipped).',
    labelNames: ['provider', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly publishAttempts = new Counter({
    name: 'tether_publish_attempts_total',
    help: 'Runs of publish jobs that ended, by provider, outcome and provider error kind ("none" when there was no error).',
    labelNames: ['provider', 'outcome', 'error_kind'] as const,
    registers: [this.registry],
  });

  readonly providerCalls = new Counter({
    name: 'tether_provider_api_calls_total',
    help: 'Requests providers sent to the platforms, by API, endpoint pattern (ids stripped) and HTTP status ("error" when no answer came).',
    labelNames: ['api', 'endpoint', 'status'] as const,
    registers: [this.registry],
  });

  readonly linkedinRateLimited = new Counter({
    name: 'tether_linkedin_rate_limited_total',
    help: 'LinkedIn API answers with status 429, by endpoint pattern.',
    labelNames: ['endpoint'] as const,
    registers: [this.registry],
  });

  readonly metaAppUsage = new Gauge({
    name: 'tether_meta_app_usage_percent',
    help: "Meta's X-App-Usage as last seen: the app's share of its platform rate limit, in percent, by measure.",
    labelNames: ['measure'] as const,
    registers: [this.registry],
  });

  readonly metaBusinessUsage = new Gauge({
    name: 'tether_meta_business_use_case_usage_percent',
    help: "Meta's X-Business-Use-Case-Usage as last seen, in percent, by use-case type and measure (the highest over the business objects of that type in the answer).",
    labelNames: ['type', 'measure'] as const,
    registers: [this.registry],
  });

  readonly metaThrottleHolds = new Counter({
    name: 'tether_meta_throttle_holds_total',
    help: 'Meta calls held back by the throttle (META_THROTTLE_PERCENT), by Meta app (facebook, instagram), scope (app, account) and action (paced: slept in-process; deferred: handed back to run later).',
    labelNames: ['platform', 'scope', 'action'] as const,
    registers: [this.registry],
  });

  /** Records the usage headers of one Graph answer (`ProviderContext.onUsage`). */
  readonly recordUsage = (usage: GraphUsage): void => {
    if (usage.app) {
      this.metaAppUsage.set({ measure: 'call_count' }, usage.app.callCount);
      this.metaAppUsage.set({ measure: 'total_time' }, usage.app.totalTime);
      this.metaAppUsage.set({ measure: 'total_cputime' }, usage.app.totalCputime);
    }
    const highest = new Map<string, { callCount: number; totalTime: number; totalCputime: number }>();
    for (const entry of Object.values(usage.business).flat()) {
      const seen = highest.get(entry.type) ?? { callCount: 0, totalTime: 0, totalCputime: 0 };
      highest.set(entry.type, {
        callCount: Math.max(seen.callCount, entry.callCount),
        totalTime: Math.max(seen.totalTime, entry.totalTime),
        totalCputime: Math.max(seen.totalCputime, entry.totalCputime),
      });
    }
    for (const [type, value] of highest) {
      this.metaBusinessUsage.set({ type, measure: 'call_count' }, value.callCount);
      this.metaBusinessUsage.set({ type, measure: 'total_time' }, value.totalTime);
      this.metaBusinessUsage.set({ type, measure: 'total_cputime' }, value.totalCputime);
    }
  };

  /**
   * Gauges read from the database on every scrape: connections by provider and status, and,
   * when the process has a job queue, jobs by queue and state with the oldest ready job's wait.
   */
  collectFrom(db: Database, options: { jobs: boolean }): void {
    new Gauge({
      name: 'tether_connections',
      help: 'Connected accounts by provider and status.',
      labelNames: ['provider', 'status'] as const,
      registers: [this.registry],
      async collect() {
        const rows = await db
          .select({
            provider: connectedAccounts.provider,
            status: connectedAccounts.status,
            count: sql<number>`count(*)::int`,
          })
          .from(connectedAccounts)
          .groupBy(connectedAccounts.provider, connectedAccounts.status);
        for (const provider of PROVIDER_IDS) for (const status of ACCOUNT_STATUSES) this.set({ provider, status }, 0);
        for (const row of rows) this.set({ provider: row.provider, status: row.status }, Number(row.count));
      },
    });
    new Gauge({
      name: 'tether_meta_throttled',
      help: 'Meta apps and accounts being slowed down, by scope: usage seen in the last hour above the threshold, or a wait Meta announced that is not over.',
      labelNames: ['scope'] as const,
      registers: [this.registry],
      async collect() {
        const rows = await db
          .select({ scope: providerUsage.scope, count: sql<number>`count(*)::int` })
          .from(providerUsage)
          .where(
            sql`(${providerUsage.percent} > ${providerUsage.thresholdPercent} and ${providerUsage.updatedAt} > now() - interval '1 hour') or ${providerUsage.throttledUntil} > now()`,
          )
          .groupBy(providerUsage.scope);
        for (const scope of ['app', 'account']) this.set({ scope }, 0);
        for (const row of rows) this.set({ scope: row.scope }, Number(row.count));
      },
    });
    if (!options.jobs) return;
    // Both job gauges are collected at once on a scrape; they share one query.
    let pending: Promise<JobCountRow[]> | undefined;
    const counts = () => {
      pending ??= jobCounts(db).finally(() => {
        pending = undefined;
      });
      return pending;
    };
    new Gauge({
      name: 'tether_jobs',
      help: 'Jobs by queue and state: queued (ready to run), deferred (to run later), active, failed (still retained).',
      labelNames: ['queue', 'state'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const row of await counts()) {
          this.set({ queue: row.queue, state: 'queued' }, Number(row.queued));
          this.set({ queue: row.queue, state: 'deferred' }, Number(row.deferred));
          this.set({ queue: row.queue, state: 'active' }, Number(row.active));
          this.set({ queue: row.queue, state: 'failed' }, Number(row.failed));
        }
      },
    });
    new Gauge({
      name: 'tether_jobs_oldest_queued_seconds',
      help: 'How long the oldest job ready to run has waited, by queue (0 when none waits).',
      labelNames: ['queue'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const row of await counts()) this.set({ queue: row.queue }, Number(row.oldest_seconds));
      },
    });
  }
}

export interface JobCountRow {
  queue: string;
  queued: number | string;
  deferred: number | string;
  active: number | string;
  failed: number | string;
  oldest_seconds: number | string;
}

/**
 * Counts from pg-boss's own tables (schema `pgboss`), live rather than its periodically cached
 * counts; pg-boss's internal queues (`__pgboss__*`) are left out.
 */
export async function jobCounts(db: Database): Promise<JobCountRow[]> {
  const result = await db.execute(sql`
    select q.name as queue,
      count(j.id) filter (where j.state in ('created', 'retry') and j.start_after <= now())::int as queued,
      count(j.id) filter (where j.state in ('created', 'retry') and j.start_after > now())::int as deferred,
      count(j.id) filter (where j.state = 'active')::int as active,
      count(j.id) filter (where j.state = 'failed')::int as failed,
      coalesce(extract(epoch from now() - min(j.start_after)
        filter (where j.state in ('created', 'retry') and j.start_after <= now())), 0)::float8 as oldest_seconds
    from pgboss.queue q
    left join pgboss.job j on j.name = q.name and j.state in ('created', 'retry', 'active', 'failed')
    where left(q.name, 10) <> '__pgboss__'
    group by q.name
    order by q.name`);
  return (result as unknown as { rows: JobCountRow[] }).rows;
}

const VERSION_SEGMENT = /^v\d+(\.\d+)?$/;
const NAME_SEGMENT = /^[A-Za-z_-]{1,40}$/;
const MAX_SEGMENTS = 3;

/**
 * A low-cardinality label for a platform URL: the API it belongs to, and the path below that
 * API's base URL with version segments (`v25.0`, `v2`) dropped, every segment that is not a plain
 * name (ids, URNs, file names: anything with a digit, a dot or a colon) replaced by `:id`, and at
 * most three segments kept. `https://graph.facebook.com/v25.0/1784/media_publish?...` is
 * `facebook_graph` `/:id/media_publish`. Query strings are never part of it.
 */
export function endpointLabel(
  apis: ReadonlyArray<{ base: string; api: string }>,
  input: string,
): { api: string; endpoint: string } {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return { api: 'other', endpoint: 'invalid' };
  }
  const address = `${url.origin}${url.pathname}`;
  const match = apis.find(({ base }) => address === base || address.startsWith(`${base}/`));
  if (!match) return { api: 'other', endpoint: '/' };
  const segments = address
    .slice(match.base.length)
    .split('/')
    .filter((segment) => segment !== '' && !VERSION_SEGMENT.test(segment))
    .slice(0, MAX_SEGMENTS)
    .map((segment) => (NAME_SEGMENT.test(segment) ? segment : ':id'));
  return { api: match.api, endpoint: `/${segments.join('/')}` };
}

/** A fetch that counts every request by API, endpoint pattern and status, and LinkedIn's 429s. */
export function countedFetch(
  fetch: Fetch,
  metrics: Metrics,
  apis: ReadonlyArray<{ base: string; api: string }>,
): Fetch {
  return async (input, init) => {
    const { api, endpoint } = endpointLabel(apis, input);
    let response: Response;
    try {
      response = await fetch(input, init);
    } catch (error) {
      metrics.providerCalls.inc({ api, endpoint, status: 'error' });
      throw error;
    }
    metrics.providerCalls.inc({ api, endpoint, status: String(response.status) });
    if (response.status === 429 && api.startsWith('linkedin')) metrics.linkedinRateLimited.inc({ endpoint });
    return response;
  };
}
