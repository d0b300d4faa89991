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
  async handle({ accountId }, { connections, log }) {
    const outcome = await checkAccount(connections, accountId);
    log.info({ accountId, outcome }, 'account checked');
  },
});
