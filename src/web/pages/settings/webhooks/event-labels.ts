import type { DeliveredEventType, DeliveryStatus, WebhookEventType } from '../../../../contracts/webhooks.ts';

/**
 * What each event means, in words. Typed against the contract's list (a type-only import keeps zod
 * out of the bundle), so an event added there fails the build until it is described here.
 */
export const EVENT_LABELS = {
  'account.needs_reconnect': {
    label: 'Account needs reconnecting',
    description: 'Tether can no longer publish to a connected account.',
  },
  'account.expiring': {
    label: 'Account expiring',
    description: 'A connection expires within two weeks unless it is reconnected.',
  },
  'account.recovered': {
    label: 'Account working again',
    description: 'An account that needed reconnecting is healthy again.',
  },
  'post.published': {
    label: 'Post published',
    description: 'A post went out on an account, with its link.',
  },
  'post.failed': {
    label: 'Post failed',
    description: 'A post could not be published to an account, with the reason.',
  },
} as const satisfies Record<WebhookEventType, { label: string; description: string }>;

export const EVENT_TYPES = Object.keys(EVENT_LABELS) as WebhookEventType[];

export const deliveredEventLabel = (type: DeliveredEventType): string =>
  type === 'webhook.test' ? 'Test event' : EVENT_LABELS[type].label;

export const DELIVERY_STATUS_BADGES = {
  pending: { label: 'Pending', color: 'yellow' },
  delivered: { label: 'Delivered', color: 'green' },
  failed: { label: 'Failed', color: 'red' },
} as const satisfies Record<DeliveryStatus, { label: string; color: string }>;
