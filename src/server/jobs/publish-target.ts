import { z } from 'zod';
import { PUBLISH_QUEUE } from '../services/posts.ts';
import { runTarget } from '../services/publishing.ts';
import { defineJob } from './job.ts';

/**
 * Publishes one post target, one step per run: a run that must wait for the platform queues its
 * successor and ends, so no worker is blocked while a video processes. The target id is the
 * singleton key, and the `stately` policy allows one queued and one running job per target. A
 * worker that dies stops sending heartbeats, and its job is retried elsewhere; `runTarget`
 * resumes from what it stored, never publishing twice.
 */
export const publishTarget = defineJob({
  name: PUBLISH_QUEUE,
  payload: z.object({ targetId: z.uuid() }),
  queue: { policy: 'stately', retryLimit: 5, retryBackoff: true, heartbeatSeconds: 10, expireInSeconds: 300 },
  // A run is a few platform calls (a few ms of work, mostly waiting on the network), so each
  // process runs many at once: a few workers, each fetching a batch whose runs go side by side,
  // polling every half second and fetching again at once while batches come back full (a burst).
  work: { localConcurrency: 4, batchSize: 16, pollingIntervalSeconds: 0.5, burstWhenBatchFull: true },
  async handle({ targetId }, { connections, boss }) {
    await runTarget(connections, boss, targetId);
  },
});
