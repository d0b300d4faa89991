/** Events Tether sends to a user's webhook endpoints. Names never change meaning. */
export const WEBHOOK_EVENT_TYPES = ['account.expiring', 'account.needs_reconnect', 'account.recovered'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
