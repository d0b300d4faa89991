import { z } from 'zod';
import { WEBHOOK_EVENT_TYPES } from './webhooks.ts';

/** Every event a webhook can receive is also told in the app, under the same name. */
export const NOTIFICATION_KINDS = WEBHOOK_EVENT_TYPES;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
/** The kinds about a connection's status; the others are about one post on one account. */
export type AccountNotificationKind = Extract<NotificationKind, `account.${string}`>;

export const notification = z
  .object({
    id: z.uuid(),
    kind: z.enum(NOTIFICATION_KINDS),
    accountId: z.uuid().nullable(),
    postId: z.uuid().nullable().describe('The post it is about (post.* kinds).'),
    title: z.string(),
    body: z.string(),
    createdAt: z.iso.datetime(),
    readAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Notification' });
export type Notification = z.infer<typeof notification>;

export const notificationList = z.object({
  notifications: z.array(notification).describe('The most recent first.'),
  unread: z.number().int().describe('How many are unread in all.'),
});
export type NotificationList = z.infer<typeof notificationList>;

export const markReadBody = z.object({
  ids: z.array(z.uuid()).max(100).optional().describe('Mark these as read; all of them when left out.'),
});
