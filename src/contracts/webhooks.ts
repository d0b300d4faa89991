import { z } from 'zod';

/**
 * Events a user can subscribe a webhook endpoint to. Names never change meaning. To offer a new
 * event, add its name here and call `queueWebhookEvent` where it happens, inside the transaction
 * that records it.
 */
export const WEBHOOK_EVENT_TYPES = [
  'account.expiring',
  'account.needs_reconnect',
  'account.recovered',
  'post.published',
  'post.failed',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Sent on request ("Send test event") to one endpoint, whatever it subscribes to. */
export const WEBHOOK_TEST_EVENT = 'webhook.test';

/** Every event type a delivery can carry: the subscribable ones and the test event. */
export const DELIVERED_EVENT_TYPES = [...WEBHOOK_EVENT_TYPES, WEBHOOK_TEST_EVENT] as const;
export type DeliveredEventType = (typeof DELIVERED_EVENT_TYPES)[number];

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export const WEBHOOK_URL_MAX = 2048;

export const webhookEventType = z.enum(WEBHOOK_EVENT_TYPES);

export const webhookEndpoint = z
  .object({
    id: z.uuid(),
    url: z.string(),
    events: z.array(webhookEventType),
    enabled: z.boolean(),
    createdAt: z.iso.datetime(),
  })
  .meta({
    id: 'WebhookEndpoint',
    description: 'A URL Tether calls on events. Its signing secret is never shown again.',
  });
export type WebhookEndpoint = z.infer<typeof webhookEndpoint>;

export const createWebhookBody = z.object({
  url: z
    .string()
    .trim()
    .max(WEBHOOK_URL_MAX, `the URL can be at most ${WEBHOOK_URL_MAX} characters`)
    .pipe(z.url({ protocol: /^https?$/, error: 'enter a full http:// or https:// URL' })),
  events: z
    .array(webhookEventType)
    .min(1, 'choose at least one event')
    .max(WEBHOOK_EVENT_TYPES.length)
    .refine((events) => new Set(events).size === events.length, 'each event can be listed once')
    .default([...WEBHOOK_EVENT_TYPES])
    .describe('The events to send; all of them when left out.'),
});
export type CreateWebhookBody = z.input<typeof createWebhookBody>;

export const createdWebhook = z.object({
  endpoint: webhookEndpoint,
  secret: z.string().describe('The signing secret (whsec_...). Shown once: store it where your receiver can read it.'),
});
export type CreatedWebhook = z.infer<typeof createdWebhook>;

export const webhookList = z.object({ endpoints: z.array(webhookEndpoint).describe('The newest first.') });
export type WebhookList = z.infer<typeof webhookList>;

export const webhookDelivery = z
  .object({
    id: z.uuid().describe('Also sent as the Tether-Delivery header; the same on every attempt.'),
    eventType: z.enum(DELIVERED_EVENT_TYPES),
    status: z.enum(DELIVERY_STATUSES),
    attempts: z.number().int(),
    lastStatusCode: z.number().int().nullable().describe('The HTTP status of the last answer; null if none came.'),
    lastError: z.string().nullable(),
    deliveredAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'WebhookDelivery' });
export type WebhookDelivery = z.infer<typeof webhookDelivery>;

export const webhookDeliveryList = z.object({ deliveries: z.array(webhookDelivery).describe('The newest first.') });
export type WebhookDeliveryList = z.infer<typeof webhookDeliveryList>;
