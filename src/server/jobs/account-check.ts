import { z } from 'zod';
import { checkAccount } from '../services/keep-alive.ts';
import { defineJob } from './job.ts';

/**
 * Refreshes or re-inspects one connected account. Queued by the keep-alive sweep with the account
 * id as singleton key, so an account has at most one check queued or running; the lease inside
 * `checkAccount` also keeps two processes from checking it at once.
 */
export const accountCheck = defineJob({
  name: 'account-check',
  payload: z.object({ accountId: z.uuid() }),
  queue: { policy: 'exclusive', retryLimit: 3, retryBackoff: true, expireInSeconds: 120 },
  // A check is one or two platform calls. Each of the 8 workers of a process takes one job per
  // half-second poll, so a process starts at most about 16 checks a second: a sweep of thousands of
  // due accounts drains in minutes rather than at pg-boss's default of one job every 2 s, and the
  // pace stays bounded (no burst mode) so the platform's rate limits are not overrun.
  work: { localConcurrency: 8, pollingIntervalSeconds: 0.5 },
  async handle({ accountId }, { connections, log }) {
    const outcome = await checkAccount(connections, accountId);
    log.info({ accountId, outcome }, 'account checked');
  },
});
