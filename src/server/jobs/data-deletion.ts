import { z } from 'zod';
import { DATA_DELETION_QUEUE, runDataDeletion } from '../services/meta-compliance.ts';
import { defineJob } from './job.ts';

/** Carries out one data-deletion request (queued with it, in its transaction). */
export const dataDeletion = defineJob({
  name: DATA_DELETION_QUEUE,
  payload: z.object({ deletionId: z.uuid() }),
  queue: { retryLimit: 10, retryBackoff: true },
  async handle({ deletionId }, { connections }) {
    await runDataDeletion(connections, deletionId);
  },
});
