import { and, asc, desc, eq, gte, inArray, or, type SQL, sql } from 'drizzle-orm';
import type { PgBoss } from 'pg-boss';
import {
  ADMIN_WINDOWS,
  type AdminBucket,
  type AdminOverview,
  type AdminWindow,
  type ErrorSource,
  type FailedJob,
  type UsageLevel,
} from '../../contracts/admin.ts';
import type { ProviderId } from '../../contracts/connected-accounts.ts';
import type { Database } from '../db/client.ts';
import { accountEvents, connectAttempts, connectedAccounts, postTargets, user } from '../db/schema/index.ts';
import { AppError } from '../errors.ts';
import { jobCounts } from '../metrics.ts';
import type { ConnectDeps } from './connect-account.ts';
import { retryTarget } from './posts.ts';

const HOUR_MS = 60 * 60_000;
const FAILED_JOBS_SHOWN = 25;
const RECONNECT_SHOWN = 100;
/** Account events that end a background token check, and those of them that are failures. */
const CHECK_EVENTS = ['refreshed', 'validated', 'refresh_failed', 'needs_reconnect'] as const;
const CHECK_FAILURES = new Set<string>(['refresh_failed', 'needs_reconnect']);

const share = (part: number, whole: number) => (whole === 0 ? null : part / whole);
const rows = <T>(result: unknown) => (result as { rows: T[] }).rows;
const iso = (value: Date | string) => new Date(value).toISOString();

/** The start of every bucket from the one holding `from` up to `to`, in UTC. */
function bucketStarts(from: Date, to: Date, bucket: AdminBucket): Date[] {
  const start = new Date(from);
  if (bucket === 'day') start.setUTCHours(0, 0, 0, 0);
  else start.setUTCMinutes(0, 0, 0);
  const step = bucket === 'day' ? 24 * HOUR_MS : HOUR_MS;
  const starts: Date[] = [];
  for (let at = start.getTime(); at <= to.getTime(); at += step) starts.push(new Date(at));
  return starts;
}

/** Adds `count` to the entry of `key`, creating it. */
function tally<K>(map: Map<K, number>, key: K, count: number) {
  map.set(key, (map.get(key) ?? 0) + count);
}
const byCount = (codes: Map<string, number>) =>
  [...codes]
    .map(([code, count]) => ({ code, count }))
    .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));

interface ErrorRow {
  provider: ProviderId;
  source: ErrorSource;
  total: number;
  failed: number;
  codes: Map<string, number>;
}

export interface OverviewInput {
  window: AdminWindow;
  bucket?: AdminBucket;
  now: Date;
  /** The job queue, for its counts and failed jobs; absent where this process has none. */
  boss?: PgBoss;
  /** Current usage levels against the platforms' limits. */
  usage: UsageLevel[];
}

/** Everything the admin view shows, for one time window. */
export async function adminOverview(db: Database, input: OverviewInput): Promise<AdminOverview> {
  const to = input.now;
  const from = new Date(to.getTime() - ADMIN_WINDOWS[input.window] * HOUR_MS);
  const bucket = input.bucket ?? (input.window === '24h' ? 'hour' : 'day');
  const errors = new Map<string, ErrorRow>();
  const errorRow = (provider: ProviderId, source: ErrorSource) => {
    const key = `${provider}/${source}`;
    let row = errors.get(key);
    if (!row) {
      row = { provider, source, total: 0, failed: 0, codes: new Map() };
      errors.set(key, row);
    }
    return row;
  };
  const series = new Map(
    bucketStarts(from, to, bucket).map((at) => [
      at.getTime(),
      { at: at.toISOString(), connectStarted: 0, connectCompleted: 0, published: 0, publishFailed: 0 },
    ]),
  );
  const point = (at: number) => series.get(at);
  /** The bucket a time falls in, as epoch milliseconds. */
  const truncate = (column: SQL) =>
    sql<number>`(extract(epoch from date_trunc(${bucket}, ${column}, 'UTC')) * 1000)::float8`.mapWith(Number);

  // Connect flows started in the window, by how they ended.
  const attempts = await db
    .select({
      provider: connectAttempts.provider,
      outcome: connectAttempts.outcome,
      errorCode: connectAttempts.errorCode,
      at: truncate(sql`${connectAttempts.startedAt}`),
      count: sql<number>`count(*)::int`,
    })
    .from(connectAttempts)
    .where(gte(connectAttempts.startedAt, from))
    .groupBy(sql`1, 2, 3, 4`);
  const connect = { started: 0, completed: 0, failed: 0 };
  const reasons = new Map<string, number>();
  for (const row of attempts) {
    const count = Number(row.count);
    connect.started += count;
    const errorsOf = errorRow(row.provider, 'connect');
    errorsOf.total += count;
    const bucketPoint = point(row.at);
    if (bucketPoint) bucketPoint.connectStarted += count;
    if (row.outcome === 'completed') {
      connect.completed += count;
      if (bucketPoint) bucketPoint.connectCompleted += count;
    } else if (row.outcome === 'failed') {
      const code = row.errorCode ?? 'UNKNOWN';
      connect.failed += count;
      errorsOf.failed += count;
      tally(errorsOf.codes, code, count);
      tally(reasons, code, count);
    }
  }

  // Publish targets that ended in the window: published, or failed (as they stand now).
  const endedAt = sql`coalesce(${postTargets.publishedAt}, ${postTargets.updatedAt})`;
  const targets = await db
    .select({
      provider: connectedAccounts.provider,
      status: postTargets.status,
      errorCode: postTargets.errorCode,
      at: truncate(endedAt),
      count: sql<number>`count(*)::int`,
    })
    .from(postTargets)
    .innerJoin(connectedAccounts, eq(connectedAccounts.id, postTargets.accountId))
    .where(
      or(
        and(eq(postTargets.status, 'published'), gte(postTargets.publishedAt, from)),
        and(eq(postTargets.status, 'failed'), gte(postTargets.updatedAt, from)),
      ),
    )
    .groupBy(sql`1, 2, 3, 4`);
  const publishing = { published: 0, failed: 0 };
  for (const row of targets) {
    const count = Number(row.count);
    const errorsOf = errorRow(row.provider, 'publish');
    errorsOf.total += count;
    const bucketPoint = point(row.at);
    if (row.status === 'published') {
      publishing.published += count;
      if (bucketPoint) bucketPoint.published += count;
    } else {
      publishing.failed += count;
      errorsOf.failed += count;
      tally(errorsOf.codes, row.errorCode ?? 'UNKNOWN', count);
      if (bucketPoint) bucketPoint.publishFailed += count;
    }
  }

  // Background token checks, from the accounts' history.
  const checks = await db
    .select({ provider: accountEvents.provider, type: accountEvents.type, count: sql<number>`count(*)::int` })
    .from(accountEvents)
    .where(and(gte(accountEvents.createdAt, from), inArray(accountEvents.type, [...CHECK_EVENTS])))
    .groupBy(accountEvents.provider, accountEvents.type);
  for (const row of checks) {
    const count = Number(row.count);
    const errorsOf = errorRow(row.provider, 'token_check');
    errorsOf.total += count;
    if (CHECK_FAILURES.has(row.type)) {
      errorsOf.failed += count;
      tally(errorsOf.codes, row.type, count);
    }
  }

  const reconnect = await db
    .select({
      id: connectedAccounts.id,
      provider: connectedAccounts.provider,
      username: connectedAccounts.username,
      displayName: connectedAccounts.displayName,
      userEmail: user.email,
      reason: connectedAccounts.statusReason,
      since: connectedAccounts.updatedAt,
    })
    .from(connectedAccounts)
    .innerJoin(user, eq(user.id, connectedAccounts.userId))
    .where(eq(connectedAccounts.status, 'needs_reconnect'))
    .orderBy(asc(connectedAccounts.updatedAt))
    .limit(RECONNECT_SHOWN);

  const failedTargets = await db
    .select({
      id: postTargets.id,
      postId: postTargets.postId,
      provider: connectedAccounts.provider,
      userEmail: user.email,
      code: postTargets.errorCode,
      message: postTargets.errorMessage,
      failedAt: postTargets.updatedAt,
    })
    .from(postTargets)
    .innerJoin(connectedAccounts, eq(connectedAccounts.id, postTargets.accountId))
    .innerJoin(user, eq(user.id, connectedAccounts.userId))
    .where(and(eq(postTargets.status, 'failed'), gte(postTargets.updatedAt, from)))
    .orderBy(desc(postTargets.updatedAt))
    .limit(FAILED_JOBS_SHOWN);
  const failedJobs: FailedJob[] = failedTargets.map((row) => ({
    type: 'publish',
    ...row,
    failedAt: row.failedAt.toISOString(),
  }));
  const queues = input.boss ? await jobCounts(db) : [];
  if (input.boss) failedJobs.push(...(await failedQueueJobs(db)));
  failedJobs.sort((a, b) => b.failedAt.localeCompare(a.failedAt));

  return {
    window: { from: from.toISOString(), to: to.toISOString(), bucket },
    connect: {
      ...connect,
      unfinished: connect.started - connect.completed - connect.failed,
      successRate: share(connect.completed, connect.started),
      failuresByReason: byCount(reasons),
    },
    publishing: { ...publishing, successRate: share(publishing.published, publishing.published + publishing.failed) },
    series: [...series.values()],
    errors: [...errors.values()]
      .map(({ codes, ...row }) => ({ ...row, rate: share(row.failed, row.total), codes: byCount(codes) }))
      .sort((a, b) => a.provider.localeCompare(b.provider) || a.source.localeCompare(b.source)),
    reconnect: reconnect.map(({ username, displayName, since, ...row }) => ({
      ...row,
      name: displayName ?? username,
      since: since.toISOString(),
    })),
    queues: queues.map((row) => ({
      queue: row.queue,
      queued: Number(row.queued),
      deferred: Number(row.deferred),
      active: Number(row.active),
      failed: Number(row.failed),
      oldestQueuedSeconds: Number(row.oldest_seconds),
    })),
    failedJobs,
    usage: input.usage,
  };
}

interface FailedJobRow {
  id: string;
  name: string;
  message: string | null;
  retry_count: number;
  failed_at: Date | string;
}

/** Failed jobs pg-boss still retains (only their error message: payloads stay out). */
async function failedQueueJobs(db: Database): Promise<FailedJob[]> {
  const result = await db.execute(sql`
    select id, name, output->>'message' as message, retry_count, coalesce(completed_on, created_on) as failed_at
    from pgboss.job
    where state = 'failed' and left(name, 10) <> '__pgboss__'
    order by coalesce(completed_on, created_on) desc
    limit ${FAILED_JOBS_SHOWN}`);
  return rows<FailedJobRow>(result).map((row) => ({
    type: 'job',
    id: row.id,
    queue: row.name,
    message: row.message,
    retries: Number(row.retry_count),
    failedAt: iso(row.failed_at),
  }));
}

/**
 * Publishes a failed target again for its owner, exactly as the owner's own Retry does. Returns
 * whose target it was, for the audit log.
 */
export async function retryFailedTarget(
  deps: ConnectDeps,
  boss: PgBoss,
  targetId: string,
): Promise<{ postId: string; ownerId: string }> {
  const [target] = await deps.db
    .select({ postId: postTargets.postId, ownerId: connectedAccounts.userId })
    .from(postTargets)
    .innerJoin(connectedAccounts, eq(connectedAccounts.id, postTargets.accountId))
    .where(eq(postTargets.id, targetId));
  if (!target) throw new AppError('NOT_FOUND', 'No post target has this id.');
  await retryTarget(deps, boss, { userId: target.ownerId, postId: target.postId, targetId });
  return target;
}

/** Runs a failed background job again (pg-boss retry); only a job that failed can be. */
export async function retryFailedJob(db: Database, boss: PgBoss, queue: string, id: string): Promise<void> {
  const result = await db.execute(sql`select state from pgboss.job where name = ${queue} and id = ${id}`);
  const [job] = rows<{ state: string }>(result);
  if (!job) throw new AppError('NOT_FOUND', 'No job with this id in this queue.');
  if (job.state !== 'failed')
    throw new AppError('CONFLICT', `Only a failed job can be retried; this one is ${job.state}.`);
  await boss.retry(queue, id);
}
