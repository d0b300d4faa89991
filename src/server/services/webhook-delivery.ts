import { createHmac } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { PgBoss } from 'pg-boss';
import type { DeliveredEventType } from '../../contracts/webhooks.ts';
import type { Database } from '../db/client.ts';
import { webhookDeliveries, webhookEndpoints } from '../db/schema/index.ts';
import { inTransaction } from '../jobs/transactional.ts';
import type { Logger } from '../logger.ts';
import type { Ciphertext, Keyring } from '../vault/keyring.ts';
import { privateAddressOf } from './private-address.ts';

const HOUR_MS = 60 * 60_000;

/**
 * How webhook deliveries are sent and retried. After failed attempt n the next one waits
 * `backoffBaseMs * backoffFactor^(n-1)`, at most `backoffMaxMs`, give or take `jitter`:
 * 30 s, 2 min, 8 min, 32 min, 2.1 h, 8.5 h, 12 h, so the eighth and last attempt comes about
 * a day after the first (a receiver down for a night still gets its events).
 */
export const WEBHOOK_DELIVERY = {
  queue: 'webhook-delivery',
  timeoutMs: 10_000,
  maxAttempts: 8,
  backoffBaseMs: 30_000,
  backoffFactor: 4,
  backoffMaxMs: 12 * HOUR_MS,
  /** ± this fraction of the delay, so endpoints that failed together are not retried together. */
  jitter: 0.2,
  /** Longest `last_error` kept, in characters. */
  errorMaxLength: 300,
} as const;

export const SIGNATURE_HEADER = 'Tether-Signature';
export const EVENT_HEADER = 'Tether-Event';
export const DELIVERY_HEADER = 'Tether-Delivery';

/** What is POSTed to an endpoint (and stored as the delivery's payload). */
export interface WebhookEnvelope {
  /** The event's id: the same for every endpoint the event goes to. */
  id: string;
  type: DeliveredEventType;
  createdAt: string;
  data: Record<string, unknown>;
}

export const secretContext = (endpointId: string) => `webhook_endpoints/${endpointId}/secret`;

/** The hex HMAC-SHA256 of `<timestamp>.<body>` under the endpoint's secret (the whole `whsec_...` string). */
export const signWebhook = (secret: string, timestamp: number, body: string) =>
  createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');

/** The `Tether-Signature` header value: `t=<unix seconds>,v1=<hex signature>`. */
export const signatureHeader = (secret: string, timestamp: number, body: string) =>
  `t=${timestamp},v1=${signWebhook(secret, timestamp, body)}`;

/** How long to wait after failed attempt `attempt` (1-based) before the next one. */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const { backoffBaseMs, backoffFactor, backoffMaxMs, jitter } = WEBHOOK_DELIVERY;
  const delay = Math.min(backoffBaseMs * backoffFactor ** Math.max(0, attempt - 1), backoffMaxMs);
  return Math.round(delay * (1 + jitter * (2 * random() - 1)));
}

export interface DeliveryDeps {
  db: Database;
  keyring: Keyring;
  boss: PgBoss;
  log: Logger;
  /** Whether endpoints may resolve to private and loopback addresses. */
  webhookPrivateTargets: boolean;
}

export type DeliveryOutcome =
  /** The endpoint answered 2xx. */
  | 'delivered'
  /** The attempt failed; the next one is queued with backoff. */
  | 'retry_scheduled'
  /** The last attempt failed, or the delivery cannot be sent at all. */
  | 'failed'
  /** Nothing to do: delivered or failed already, endpoint deleted, or another worker took this attempt. */
  | 'skipped';

type AttemptResult = { ok: true; statusCode: number } | { ok: false; statusCode: number | null; error: string };

/**
 * Makes one attempt at a delivery. Safe to run twice, concurrently or after a crash: only a
 * pending delivery is sent, and each attempt is claimed by bumping `attempts` from the value read,
 * so two workers never make the same attempt and a delivered delivery is never sent again.
 * Receivers still get at-least-once delivery (a worker can die after the POST, before recording
 * it), so they should ignore a `Tether-Delivery` id they have already handled.
 */
export async function deliverWebhook(deps: DeliveryDeps, deliveryId: string): Promise<DeliveryOutcome> {
  const [row] = await deps.db
    .select({
      delivery: webhookDeliveries,
      url: webhookEndpoints.url,
      enabled: webhookEndpoints.enabled,
      secretCiphertext: webhookEndpoints.secretCiphertext,
    })
    .from(webhookDeliveries)
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .where(eq(webhookDeliveries.id, deliveryId));
  if (row?.delivery.status !== 'pending') return 'skipped';
  const { delivery } = row;
  const log = deps.log.child({ deliveryId, endpointId: delivery.endpointId, eventType: delivery.eventType });

  if (delivery.attempts >= WEBHOOK_DELIVERY.maxAttempts) {
    // The last attempt was claimed but never recorded (its worker died): it counts as failed.
    await finish(deps.db, deliveryId, { status: 'failed' });
    return 'failed';
  }
  if (!row.enabled) {
    await finish(deps.db, deliveryId, { status: 'failed', lastError: 'The endpoint is disabled.' });
    return 'failed';
  }
  let secret: string;
  try {
    secret = deps.keyring.decrypt(row.secretCiphertext as Ciphertext, secretContext(delivery.endpointId)).reveal();
  } catch (error) {
    log.error({ err: error }, 'webhook secret cannot be decrypted');
    await finish(deps.db, deliveryId, { status: 'failed', lastError: 'The signing secret cannot be decrypted.' });
    return 'failed';
  }

  // Checked at every delivery, since a name can come to resolve elsewhere after it was saved.
  const inside = deps.webhookPrivateTargets ? null : await privateAddressOf(row.url);
  if (inside) {
    const lastError = `The endpoint resolves to ${inside}, a private address this server does not deliver to.`;
    await finish(deps.db, deliveryId, { status: 'failed', lastError });
    return 'failed';
  }

  const claimed = await deps.db
    .update(webhookDeliveries)
    .set({ attempts: delivery.attempts + 1 })
    .where(
      and(
        eq(webhookDeliveries.id, deliveryId),
        eq(webhookDeliveries.status, 'pending'),
        eq(webhookDeliveries.attempts, delivery.attempts),
      ),
    )
    .returning({ attempts: webhookDeliveries.attempts });
  const attempt = claimed[0]?.attempts;
  if (attempt === undefined) return 'skipped';

  const body = JSON.stringify(delivery.payload);
  const result = await post({
    url: row.url,
    body,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'Tether-Webhooks/1',
      [SIGNATURE_HEADER]: signatureHeader(secret, Math.floor(Date.now() / 1000), body),
      [EVENT_HEADER]: delivery.eventType,
      [DELIVERY_HEADER]: deliveryId,
    },
  });

  if (result.ok) {
    await finish(deps.db, deliveryId, {
      status: 'delivered',
      lastStatusCode: result.statusCode,
      deliveredAt: new Date(),
    });
    log.info({ attempt, statusCode: result.statusCode }, 'webhook delivered');
    return 'delivered';
  }
  const failure = { lastStatusCode: result.statusCode, lastError: result.error };
  if (attempt >= WEBHOOK_DELIVERY.maxAttempts) {
    await finish(deps.db, deliveryId, { status: 'failed', ...failure });
    log.warn({ attempt, statusCode: result.statusCode }, 'webhook delivery failed for good');
    return 'failed';
  }
  const waitMs = retryDelayMs(attempt);
  // The failure and the next attempt's job are written together: a crash leaves neither a pending
  // delivery without a job to send it nor a job for a delivery already marked failed.
  await deps.db.transaction(async (tx) => {
    await tx.update(webhookDeliveries).set(failure).where(eq(webhookDeliveries.id, deliveryId));
    await deps.boss.send(
      WEBHOOK_DELIVERY.queue,
      { deliveryId },
      { startAfter: Math.ceil(waitMs / 1000), db: inTransaction(tx) },
    );
  });
  log.info({ attempt, statusCode: result.statusCode, retryInMs: waitMs }, 'webhook attempt failed; retry queued');
  return 'retry_scheduled';
}

function finish(
  db: Database,
  deliveryId: string,
  values: Partial<
    Pick<typeof webhookDeliveries.$inferInsert, 'status' | 'lastStatusCode' | 'lastError' | 'deliveredAt'>
  >,
) {
  return db
    .update(webhookDeliveries)
    .set({ ...values, ...(values.status === 'delivered' ? { lastError: null } : {}) })
    .where(eq(webhookDeliveries.id, deliveryId));
}

/** One POST, never following redirects: a 3xx is a failed attempt like any other non-2xx. */
async function post(input: { url: string; body: string; headers: Record<string, string> }): Promise<AttemptResult> {
  let response: Response;
  try {
    response = await fetch(input.url, {
      method: 'POST',
      headers: input.headers,
      body: input.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(WEBHOOK_DELIVERY.timeoutMs),
    });
  } catch (error) {
    return { ok: false, statusCode: null, error: describeNetworkError(error) };
  }
  // The answer's body is not read: nothing in it is used, and it could be large.
  await response.body?.cancel().catch(() => undefined);
  const status = response.status;
  if (status >= 200 && status < 300) return { ok: true, statusCode: status };
  const error =
    status >= 300 && status < 400
      ? `HTTP ${status}: the endpoint redirects, and redirects are not followed.`
      : `HTTP ${status}${response.statusText ? ` ${response.statusText}` : ''}`;
  return { ok: false, statusCode: status, error: error.slice(0, WEBHOOK_DELIVERY.errorMaxLength) };
}

function describeNetworkError(error: unknown): string {
  if (error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `No answer within ${WEBHOOK_DELIVERY.timeoutMs / 1000} s.`;
  }
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  const detail =
    typeof cause?.code === 'string'
      ? cause.code
      : typeof cause?.message === 'string'
        ? cause.message
        : error instanceof Error
          ? error.message
          : String(error);
  return `Could not reach the endpoint: ${detail}`.slice(0, WEBHOOK_DELIVERY.errorMaxLength);
}
