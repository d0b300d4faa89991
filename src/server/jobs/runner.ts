import { type JobResult, PgBoss } from 'pg-boss';
import type { Config } from '../config.ts';
import type { DatabaseHandle } from '../db/client.ts';
import { type LogContext, withLogContext } from '../log-context.ts';
import type { Logger } from '../logger.ts';
import type { ConnectDeps } from '../services/connect-account.ts';
import { jobs } from './registry.ts';

/**
 * How often pg-boss looks for jobs whose worker stopped sending heartbeats (a killed process),
 * so a publish interrupted by a crash resumes within seconds rather than a minute. pg-boss fails
 * such jobs in its monitor step, which a supervise pass runs for a queue only once
 * `monitorIntervalSeconds` (60 by default) have passed since the last one: both must be short.
 */
const SUPERVISE_INTERVAL_SECONDS = 10;

/** How long a stopping worker lets running jobs finish before it gives up on them. */
export const GRACEFUL_STOP_MS = 20_000;

interface JobDeps {
  database: DatabaseHandle;
  role: Config['role'];
  logger: Logger;
  connections: ConnectDeps;
}

/**
 * Starts pg-boss on the app database. Every role can enqueue; only `worker` and `all`
 * process jobs and run the scheduler and maintenance, from the start unless `work` is false
 * (then `startWorkers` starts them later).
 */
export async function startJobs(deps: JobDeps & { work?: boolean }): Promise<PgBoss> {
  const { database, role, logger, connections } = deps;
  const works = role !== 'web';
  const boss = new PgBoss({
    ...database.bossOptions,
    supervise: works,
    schedule: works,
    superviseIntervalSeconds: SUPERVISE_INTERVAL_SECONDS,
    monitorIntervalSeconds: SUPERVISE_INTERVAL_SECONDS,
  });
  boss.on('error', (error) => logger.error({ err: error }, 'job queue error'));
  await boss.start();
  // Services reached through these deps queue jobs in their own transactions (webhook deliveries).
  connections.boss = boss;
  for (const job of jobs) await boss.createQueue(job.name, job.queue ?? {});
  if (works && deps.work !== false) await startWorkers(boss, deps);
  return boss;
}

/** Starts this process's workers and cron schedules on a started queue (`worker` and `all` only). */
export async function startWorkers(boss: PgBoss, { database, role, logger, connections }: JobDeps): Promise<void> {
  if (role === 'web') return;
  for (const job of jobs) {
    // The jobs of one fetch run side by side, and each is settled on its own, so a failing job
    // never fails others with it. Every line a job logs, however deep, carries its id, its queue
    // and the ids in its payload.
    await boss.work(job.name, { ...job.work, perJobResults: true }, (items) =>
      Promise.all(
        items.map(
          (item): Promise<JobResult> =>
            withLogContext({ jobId: item.id, queue: job.name, ...correlationIds(item.data) }, async () => {
              try {
                const payload = job.payload.parse(item.data);
                await job.handle(payload, { db: database.db, log: logger, boss, connections });
                return { id: item.id, status: 'completed' };
              } catch (error) {
                logger.error({ err: error }, 'job failed');
                return { id: item.id, status: 'failed', output: error };
              }
            }),
        ),
      ),
    );
    if (job.cron) await boss.schedule(job.name, job.cron, {}, { tz: 'UTC' });
  }
  logger.info({ queues: jobs.map((job) => job.name) }, 'workers started');
}

/** The correlation ids a job's payload names (`accountId`, `postId`, `targetId`). */
function correlationIds(payload: unknown): LogContext {
  const ids: LogContext = {};
  if (typeof payload !== 'object' || payload === null) return ids;
  for (const key of ['accountId', 'postId', 'targetId'] as const) {
    const value = (payload as Record<string, unknown>)[key];
    if (typeof value === 'string') ids[key] = value;
  }
  return ids;
}
