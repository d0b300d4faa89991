import { accountCheck } from './account-check.ts';
import { cleanupExpiredSessions } from './cleanup-expired-sessions.ts';
import { dataDeletion } from './data-deletion.ts';
import type { JobDefinition } from './job.ts';
import { keepAliveSweep } from './keep-alive-sweep.ts';
import { publishTarget } from './publish-target.ts';
import { webhookDelivery } from './webhook-delivery.ts';

/** Every background job, listed by hand. */
// biome-ignore lint/suspicious/noExplicitAny: the registry holds jobs of different payload types.
export const jobs: JobDefinition<any>[] = [
  cleanupExpiredSessions,
  keepAliveSweep,
  accountCheck,
  publishTarget,
  webhookDelivery,
  dataDeletion,
];
