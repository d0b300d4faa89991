import { desc, eq } from 'drizzle-orm';
import type { ProviderId } from '../../providers/types.ts';
import type { Database } from '../db/client.ts';
import { type AccountEventType, accountEvents } from '../db/schema/index.ts';

export interface AccountRef {
  id: string;
  userId: string;
  provider: ProviderId;
  externalId: string;
}

export async function recordEvent(
  db: Database,
  account: AccountRef,
  type: AccountEventType,
  reason: string | null = null,
): Promise<void> {
  await db.insert(accountEvents).values({
    userId: account.userId,
    accountId: account.id,
    provider: account.provider,
    externalId: account.externalId,
    type,
    reason,
  });
}

/** Most recent first. */
export function listEvents(db: Database, accountId: string, limit = 20) {
  return db
    .select({
      id: accountEvents.id,
      type: accountEvents.type,
      reason: accountEvents.reason,
      createdAt: accountEvents.createdAt,
    })
    .from(accountEvents)
    .where(eq(accountEvents.accountId, accountId))
    .orderBy(desc(accountEvents.createdAt))
    .limit(limit);
}
