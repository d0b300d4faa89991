import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { NOTIFICATION_KINDS } from '../../../contracts/notifications.ts';
import { user } from './auth.ts';

/** In-app notifications about a user's connections and posts (the bell in the header). */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    /** The account it is about; kept as a plain id so the notification outlives a disconnect. */
    accountId: uuid('account_id'),
    /** The post it is about (post.* kinds), a plain id like `accountId`. */
    postId: uuid('post_id'),
    kind: text('kind', { enum: NOTIFICATION_KINDS }).notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    readAt: timestamp('read_at', { withTimezone: true }),
  },
  (table) => [index('notifications_user_created_idx').on(table.userId, table.createdAt)],
);
