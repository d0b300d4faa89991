import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Failed sign-ins, for throttling per email address across processes. Addresses are kept as a
 * SHA-256 hash, so failures for addresses with no account store no address. Rows older than the
 * throttling window are deleted by the hourly cleanup job.
 */
export const signInFailures = pgTable(
  'sign_in_failures',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    emailHash: text('email_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('sign_in_failures_email_created_idx').on(table.emailHash, table.createdAt)],
);
