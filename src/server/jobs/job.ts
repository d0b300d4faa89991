import type { PgBoss, Queue, WorkOptions } from 'pg-boss';
import type { z } from 'zod';
import type { Database } from '../db/client.ts';
import type { Logger } from '../logger.ts';
import type { ConnectDeps } from '../services/connect-account.ts';

export interface JobContext {
  db: Database;
  log: Logger;
  /** For jobs that enqueue others. */
  boss: PgBoss;
  /** The vault and the providers, for jobs that talk to the platforms. */
  connections: ConnectDeps;
}

/** One background job: its queue, payload schema, optional cron schedule and idempotent handler. */
export interface JobDefinition<Payload extends object> {
  name: string;
  payload: z.ZodType<Payload>;
  queue?: Omit<Queue, 'name'>;
  /**
   * How this process's workers fetch the queue's jobs (pg-boss defaults: one worker, one job per
   * fetch, polling every 2 s). The jobs of one fetch run side by side.
   */
  work?: Omit<WorkOptions, 'perJobResults' | 'transactional'>;
  /** Cron expression (UTC); pg-boss makes sure one instance enqueues it per slot. */
  cron?: string;
  /** Must be safe to run twice for the same payload: a job can be retried after a crash. */
  handle(payload: Payload, context: JobContext): Promise<void>;
}

export const defineJob = <Payload extends object>(definition: JobDefinition<Payload>) => definition;
