import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { CONNECT_OUTCOMES, PROVIDER_IDS } from '../../../contracts/connected-accounts.ts';
import { user } from './auth.ts';

/**
 * How each connect flow ended, for the admin view's success rates. Its id is the flow's, but the
 * row outlives the flow (which the hourly clean-up deletes a day after it expires) and holds no
 * token. `outcome` stays null while the flow runs, and for flows abandoned at the platform.
 */
export const connectAttempts = pgTable(
  'connect_attempts',
  {
    id: uuid('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    provider: text('provider', { enum: PROVIDER_IDS }).notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    outcome: text('outcome', { enum: CONNECT_OUTCOMES }),
    /** The connect error code (contracts/connect-errors.ts) of a failed attempt. */
    errorCode: text('error_code'),
  },
  (table) => [index('connect_attempts_started_idx').on(table.startedAt)],
);
