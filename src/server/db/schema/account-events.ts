import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { ACCOUNT_EVENT_TYPES, PROVIDER_IDS } from '../../../contracts/connected-accounts.ts';
import { user } from './auth.ts';

export type { AccountEventType } from '../../../contracts/connected-accounts.ts';

/**
 * Append-only history of each connection, shown in the UI. Rows outlive the account they describe
 * (no foreign key to connected_accounts), so a disconnect stays on record.
 */
export const accountEvents = pgTable(
  'account_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    accountId: uuid('account_id').notNull(),
    provider: text('provider', { enum: PROVIDER_IDS }).notNull(),
    externalId: text('external_id').notNull(),
    type: text('type', { enum: ACCOUNT_EVENT_TYPES }).notNull(),
    reason: text('reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('account_events_account_created_idx').on(table.accountId, table.createdAt),
    // Events of a time window across accounts, for the admin view's error rates.
    index('account_events_created_idx').on(table.createdAt),
  ],
);
