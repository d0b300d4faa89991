import { randomBytes, randomUUID } from 'node:crypto';
import { and, arrayContains, count, desc, eq } from 'drizzle-orm';
import type { PgBoss } from 'pg-boss';
import {
  type DeliveredEventType,
  WEBHOOK_TEST_EVENT,
  WEBHOOK_URL_MAX,
  type WebhookEventType,
} from '../../contracts/webhooks.ts';
import type { Database } from '../db/client.ts';
import { webhookDeliveries, webhookEndpoints } from '../db/schema/index.ts';
import { AppError } from '../errors.ts';
import { inTransaction } from '../jobs/transactional.ts';
import type { Keyring } from '../vault/keyring.ts';
import { Secret } from '../vault/secret.ts';
import { isPrivateAddress } from './private-address.ts';
import { secretContext, WEBHOOK_DELIVERY, type WebhookEnvelope } from './webhook-delivery.ts';

/** Signing secrets look like `whsec_<43 base64url chars>`: 256 random bits, recognisable by secret scanners. */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';
const SECRET_BYTES = 32;
/** Each endpoint is one more outbound call per event; a bound keeps one user from fanning out without end. */
export const MAX_ENDPOINTS_PER_USER = 20;
export const RECENT_DELIVERIES_LIMIT = 50;

const publicColumns = {
  id: webhookEndpoints.id,
  url: webhookEndpoints.url,
  events: webhookEndpoints.events,
  enabled: webhookEndpoints.enabled,
  createdAt: webhookEndpoints.createdAt,
};
export type WebhookEndpointSummary = {
  id: string;
  url: string;
  events: WebhookEventType[];
  enabled: boolean;
  createdAt: Date;
};

const deliveryColumns = {
  id: webhookDeliveries.id,
  eventType: webhookDeliveries.eventType,
  status: webhookDeliveries.status,
  attempts: webhookDeliveries.attempts,
  lastStatusCode: webhookDeliveries.lastStatusCode,
  lastError: webhookDeliveries.lastError,
  deliveredAt: webhookDeliveries.deliveredAt,
  createdAt: webhookDeliveries.createdAt,
};
export type WebhookDeliverySummary = NonNullable<Awaited<ReturnType<typeof listDeliveries>>>[number];

/**
 * Where an event is produced: the transaction that records what happened, and the job queue its
 * deliveries are sent through. `boss` is undefined only where no queue was started (some tests);
 * producing a delivery there is a programming error, reported as such.
 */
export interface EventContext {
  tx: Database;
  boss: PgBoss | undefined;
}

/**
 * The webhook outbox: one pending delivery per enabled endpoint of the user that subscribes to the
 * event, each with its `webhook-delivery` job, all in the caller's transaction. If that transaction
 * rolls back, no delivery and no job remain; if it commits, every delivery has a job to send it.
 * Returns the ids of the deliveries created (none when nobody subscribes: one indexed query).
 */
export async function queueWebhookEvent(
  context: EventContext,
  event: { userId: string; type: WebhookEventType; data: Record<string, unknown> },
): Promise<string[]> {
  const endpoints = await context.tx
    .select({ id: webhookEndpoints.id })
    .from(webhookEndpoints)
    .where(
      and(
        eq(webhookEndpoints.userId, event.userId),
        eq(webhookEndpoints.enabled, true),
        arrayContains(webhookEndpoints.events, [event.type]),
      ),
    );
  if (endpoints.length === 0) return [];
  return insertDeliveries(
    context,
    endpoints.map((endpoint) => endpoint.id),
    envelope(event.type, event.data),
  );
}

const envelope = (type: DeliveredEventType, data: Record<string, unknown>): WebhookEnvelope => ({
  id: randomUUID(),
  type,
  createdAt: new Date().toISOString(),
  data,
});

async function insertDeliveries(context: EventContext, endpointIds: string[], event: WebhookEnvelope) {
  const { boss, tx } = context;
  if (!boss) throw new Error('webhook deliveries need the job queue, and none is running in this process');
  const rows = await tx
    .insert(webhookDeliveries)
    .values(endpointIds.map((endpointId) => ({ endpointId, eventType: event.type, payload: event })))
    .returning({ id: webhookDeliveries.id });
  for (const row of rows) {
    await boss.send(WEBHOOK_DELIVERY.queue, { deliveryId: row.id }, { db: inTransaction(tx) });
  }
  return rows.map((row) => row.id);
}

/**
 * Checks what the request schema cannot: credentials in the URL, https in production, and an IP
 * address inside the network when private targets are off (names are checked at each delivery).
 */
function checkUrl(raw: string, requireHttps: boolean, privateTargets: boolean): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError('VALIDATION_FAILED', 'The webhook URL is not a valid URL.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new AppError('VALIDATION_FAILED', 'The webhook URL must start with http:// or https://.');
  if (requireHttps && url.protocol !== 'https:')
    throw new AppError('VALIDATION_FAILED', 'Webhook URLs must use https:// on this server.');
  if (url.username || url.password)
    throw new AppError('VALIDATION_FAILED', 'The webhook URL cannot contain a user name or password.');
  if (!privateTargets && isPrivateAddress(url.hostname.replace(/^\[|\]$/g, '')))
    throw new AppError(
      'VALIDATION_FAILED',
      'Webhook URLs cannot point to a private or loopback address on this server.',
    );
  if (raw.length > WEBHOOK_URL_MAX)
    throw new AppError('VALIDATION_FAILED', `The webhook URL can be at most ${WEBHOOK_URL_MAX} characters.`);
  url.hash = '';
  return url.toString();
}

/** Creates an endpoint; its signing secret is returned here and never again (only its ciphertext is kept). */
export async function createWebhookEndpoint(
  deps: { db: Database; keyring: Keyring; webhookPrivateTargets: boolean },
  input: { userId: string; url: string; events: WebhookEventType[]; requireHttps: boolean },
): Promise<{ endpoint: WebhookEndpointSummary; secret: string }> {
  const url = checkUrl(input.url, input.requireHttps, deps.webhookPrivateTargets);
  const [existing] = await deps.db
    .select({ value: count() })
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.userId, input.userId));
  if ((existing?.value ?? 0) >= MAX_ENDPOINTS_PER_USER) {
    throw new AppError(
      'CONFLICT',
      `You can have at most ${MAX_ENDPOINTS_PER_USER} webhook endpoints; delete one to add another.`,
    );
  }
  const id = randomUUID();
  const secret = `${WEBHOOK_SECRET_PREFIX}${randomBytes(SECRET_BYTES).toString('base64url')}`;
  const [endpoint] = await deps.db
    .insert(webhookEndpoints)
    .values({
      id,
      userId: input.userId,
      url,
      events: [...new Set(input.events)],
      secretCiphertext: deps.keyring.encrypt(new Secret(secret), secretContext(id)),
    })
    .returning(publicColumns);
  if (!endpoint) throw new Error('insert returned no row');
  return { endpoint, secret };
}

export function listWebhookEndpoints(db: Database, userId: string): Promise<WebhookEndpointSummary[]> {
  return db
    .select(publicColumns)
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.userId, userId))
    .orderBy(desc(webhookEndpoints.createdAt));
}

/** Deletes the endpoint (and its deliveries) if it is the user's; false otherwise. Queued jobs then find nothing to send. */
export async function deleteWebhookEndpoint(db: Database, input: { userId: string; id: string }): Promise<boolean> {
  const deleted = await db
    .delete(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, input.id), eq(webhookEndpoints.userId, input.userId)))
    .returning({ id: webhookEndpoints.id });
  return deleted.length > 0;
}

async function ownsEndpoint(db: Database, input: { userId: string; id: string }): Promise<boolean> {
  const [found] = await db
    .select({ id: webhookEndpoints.id })
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, input.id), eq(webhookEndpoints.userId, input.userId)));
  return Boolean(found);
}

/** Queues a `webhook.test` event to one of the user's endpoints; null when it is not theirs. */
export async function sendTestEvent(
  deps: { db: Database; boss?: PgBoss },
  input: { userId: string; id: string },
): Promise<WebhookDeliverySummary | null> {
  const { boss } = deps;
  if (!boss) throw new AppError('UNAVAILABLE', 'The job queue is not running; test events cannot be sent.');
  return deps.db.transaction(async (tx) => {
    if (!(await ownsEndpoint(tx, input))) return null;
    const event = envelope(WEBHOOK_TEST_EVENT, {
      endpointId: input.id,
      message: 'A test event sent from Tether on request.',
    });
    const [deliveryId] = await insertDeliveries({ tx, boss }, [input.id], event);
    const [delivery] = await tx
      .select(deliveryColumns)
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.id, deliveryId ?? ''));
    return delivery ?? null;
  });
}

/** The latest deliveries of one of the user's endpoints, newest first; null when it is not theirs. */
export async function listDeliveries(db: Database, input: { userId: string; id: string; limit?: number }) {
  if (!(await ownsEndpoint(db, input))) return null;
  return db
    .select(deliveryColumns)
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.endpointId, input.id))
    .orderBy(desc(webhookDeliveries.createdAt))
    .limit(input.limit ?? RECENT_DELIVERIES_LIMIT);
}
