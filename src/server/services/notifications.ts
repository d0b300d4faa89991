import { and, count, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { AccountStatus, ProviderId } from '../../contracts/connected-accounts.ts';
import type { AccountNotificationKind } from '../../contracts/notifications.ts';
import type { WebhookEventType } from '../../contracts/webhooks.ts';
import type { Database } from '../db/client.ts';
import { notifications } from '../db/schema/index.ts';
import { type EventContext, queueWebhookEvent } from './webhooks.ts';

interface NotifiedAccount {
  id: string;
  userId: string;
  provider: ProviderId;
  username: string | null;
  displayName: string | null;
}

/** Which status changes a person hears about. Anything else (e.g. active → active) is silent. */
export function notificationFor(from: AccountStatus, to: AccountStatus): AccountNotificationKind | null {
  if (to === 'needs_reconnect' && from !== 'needs_reconnect') return 'account.needs_reconnect';
  if (to === 'expiring' && from === 'active') return 'account.expiring';
  if (from === 'needs_reconnect' && (to === 'active' || to === 'expiring')) return 'account.recovered';
  return null;
}

/** How notifications name an account: its @username, else its display name. */
export const accountName = (account: { username: string | null; displayName: string | null }) =>
  account.username ? `@${account.username}` : (account.displayName ?? 'An account');

const TEXTS: Record<AccountNotificationKind, (account: NotifiedAccount) => { title: string; body: string }> = {
  'account.expiring': (account) => ({
    title: `${accountName(account)} expires soon`,
    body: 'Its connection expires within two weeks. Reconnect it to keep publishing.',
  }),
  'account.needs_reconnect': (account) => ({
    title: `${accountName(account)} needs to be reconnected`,
    body: 'Tether can no longer publish to it. Open Connected accounts and choose Reconnect.',
  }),
  'account.recovered': (account) => ({
    title: `${accountName(account)} is working again`,
    body: 'Its connection is healthy; publishing can go on.',
  }),
};

/** The webhook event each notification also is, for the user's subscribed endpoints. */
const WEBHOOK_EVENTS: Record<AccountNotificationKind, WebhookEventType> = {
  'account.expiring': 'account.expiring',
  'account.needs_reconnect': 'account.needs_reconnect',
  'account.recovered': 'account.recovered',
};

/**
 * Records a notification when a status change is one people hear about, and the matching webhook
 * deliveries with their jobs, all inside the caller's transaction (`context.tx`).
 */
export async function notifyStatusChange(
  context: EventContext,
  account: NotifiedAccount,
  change: { from: AccountStatus; to: AccountStatus },
): Promise<void> {
  const kind = notificationFor(change.from, change.to);
  if (!kind) return;
  await context.tx
    .insert(notifications)
    .values({ userId: account.userId, accountId: account.id, kind, ...TEXTS[kind](account) });
  await queueWebhookEvent(context, {
    userId: account.userId,
    type: WEBHOOK_EVENTS[kind],
    data: {
      account: {
        id: account.id,
        provider: account.provider,
        username: account.username,
        displayName: account.displayName,
      },
      previousStatus: change.from,
      status: change.to,
    },
  });
}

export async function listNotifications(db: Database, userId: string, limit = 20) {
  const rows = await db
    .select()
    .from(notifications)
    .where(eq(notifications.userId, userId))
    .orderBy(desc(notifications.createdAt))
    .limit(limit);
  const [unread] = await db
    .select({ value: count() })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
  return { rows, unread: unread?.value ?? 0 };
}

/** Marks the user's notifications read: the given ones, or all. Others' ids are ignored. */
export async function markNotificationsRead(db: Database, userId: string, ids?: string[]): Promise<void> {
  await db
    .update(notifications)
    .set({ readAt: new Date() })
    .where(
      and(
        eq(notifications.userId, userId),
        isNull(notifications.readAt),
        ids ? inArray(notifications.id, ids) : undefined,
      ),
    );
}
