import { z } from 'zod';
import { deliverWebhook, WEBHOOK_DELIVERY } from '../services/webhook-delivery.ts';
import { defineJob } from './job.ts';

/**
 * One attempt at one webhook delivery. Queued in the transaction that creates the delivery, and
 * again (with `startAfter`) in the one that records a failed attempt, so the backoff lives in the
 * delivery service, not in pg-boss. The queue's own retries only cover a handler that crashed
 * (database down, worker killed); `expireInSeconds` stays well above the 10 s request timeout.
 */
export const webhookDelivery = defineJob({
  name: WEBHOOK_DELIVERY.queue,
  payload: z.object({ deliveryId: z.uuid() }),
  queue: { retryLimit: 3, retryDelay: 30, retryBackoff: true, expireInSeconds: 60 },
  async handle({ deliveryId }, { db, boss, connections, log }) {
    const outcome = await deliverWebhook(
      { db, boss, keyring: connections.keyring, log, webhookPrivateTargets: connections.webhookPrivateTargets },
      deliveryId,
    );
    log.debug({ deliveryId, outcome }, 'webhook delivery handled');
  },
});
