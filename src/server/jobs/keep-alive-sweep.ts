import { z } from 'zod';
import { dueAccountIds, KEEP_ALIVE } from '../services/keep-alive.ts';
import { resumePausedTargets } from '../services/publishing.ts';
import { accountCheck } from './account-check.ts';
import { defineJob } from './job.ts';

/** Upper bound of accounts one sweep hands out; the next sweep picks up the rest. */
export const SWEEP_MAX_ACCOUNTS = 20_000;

/**
 * Every 15 minutes: queue one `account-check` per account whose next check is due, in bounded
 * batches. Cheap when nothing is due (one indexed query), and resumable: a sweep that dies
 * midway leaves the rest due for the next one. Then posts that waited for an account to be
 * reconnected are queued again once it is.
 */
export const keepAliveSweep = defineJob({
  name: 'keep-alive-sweep',
  payload: z.object({}),
  cron: '*/15 * * * *',
  queue: { policy: 'exclusive', retryLimit: 1 },
  async handle(_payload, { db, boss, connections, log }) {
    let queued = 0;
    let afterId: string | undefined;
    while (queued < SWEEP_MAX_ACCOUNTS) {
      const ids = await dueAccountIds(db, { now: connections.now(), afterId, limit: KEEP_ALIVE.sweepBatch });
      if (ids.length === 0) break;
      await boss.insert(
        accountCheck.name,
        ids.map((accountId) => ({ data: { accountId }, singletonKey: accountId })),
      );
      queued += ids.length;
      afterId = ids.at(-1);
    }
    if (queued > 0) log.info({ queued }, 'keep-alive sweep queued account checks');
    const resumed = await resumePausedTargets(connections, boss);
    if (resumed > 0) log.info({ resumed }, 'posts waiting for reconnected accounts resumed');
  },
});
