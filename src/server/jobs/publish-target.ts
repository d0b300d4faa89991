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
  // A run is a few platform calls (tens of ms of work, mostly waiting on the network), so each
  // process runs several at once, polls every second, and fetches without pause during a burst.
  work: { localConcurrency: 8, pollingIntervalSeconds: 1, burstWhenReadyExceeds: 8 },
  async handle({ targetId }, { connections, boss }) {
    await runTarget(connections, boss, targetId);
  },
});
