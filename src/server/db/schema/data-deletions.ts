import { index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Who asked for a deletion: Meta's callbacks for a Facebook or Instagram Login user, or a Tether user. */
export const DELETION_SOURCES = ['facebook', 'instagram', 'user'] as const;
export type DeletionSource = (typeof DELETION_SOURCES)[number];
export const DELETION_STATUSES = ['pending', 'completed'] as const;

/**
 * A request to delete a person's data. The row outlives what it deletes (no foreign keys), so the
 * public status page can report completion by the unguessable confirmation code.
 */
export const dataDeletions = pgTable(
  'data_deletions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    confirmationCode: text('confirmation_code').notNull().unique(),
    source: text('source', { enum: DELETION_SOURCES }).notNull(),
    /** The platform's user id (Meta callbacks) or the Tether user id. */
    subjectId: text('subject_id').notNull(),
    status: text('status', { enum: DELETION_STATUSES }).notNull().default('pending'),
    accountsDeleted: integer('accounts_deleted').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
  },
  (table) => [index('data_deletions_status_idx').on(table.status)],
);
