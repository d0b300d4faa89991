import { index, integer, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { POST_KINDS, TARGET_STATUSES } from '../../../contracts/posts.ts';
import { user } from './auth.ts';
import { connectedAccounts } from './connected-accounts.ts';

/** What a user asked to publish: one caption and media list, sent to one or more targets. */
export const posts = pgTable(
  'posts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    caption: text('caption').notNull().default(''),
    /** Media in the order they appear (a carousel's order). */
    mediaIds: uuid('media_ids').array().notNull(),
    /** When publishing starts: the creation time for "publish now". */
    scheduledAt: timestamp('scheduled_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true })
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
  },
  (table) => [index('posts_user_scheduled_idx').on(table.userId, table.scheduledAt)],
);

/**
 * One post on one account, with its own state machine (contracts/posts.ts). Remote ids are
 * stored as soon as they are known, and `publishRequestedAt` is committed before the platform's
 * publish call, so a retry after a crash checks the remote state instead of publishing again.
 */
export const postTargets = pgTable(
  'post_targets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    postId: uuid('post_id')
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    accountId: uuid('account_id')
      .notNull()
      .references(() => connectedAccounts.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: POST_KINDS }).notNull(),
    status: text('status', { enum: TARGET_STATUSES }).notNull().default('scheduled'),
    /** The platform's container (Instagram) and, for a carousel, its children in order. */
    containerId: text('container_id'),
    childContainerIds: text('child_container_ids').array(),
    /**
     * When the platform said those uploads were ready to publish: a run at the scheduled time then
     * publishes without asking again. Cleared with the container ids.
     */
    preparedAt: timestamp('prepared_at', { withTimezone: true }),
    /** Set, and committed, just before the platform's publish call is sent. */
    publishRequestedAt: timestamp('publish_requested_at', { withTimezone: true }),
    /** The published post's id and public link on the platform. */
    remoteId: text('remote_id'),
    permalink: text('permalink'),
    attempts: integer('attempts').notNull().default(0),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true })
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
  },
  (table) => [
    unique('post_targets_post_account_key').on(table.postId, table.accountId),
    index('post_targets_account_status_idx').on(table.accountId, table.status),
    // Targets that ended in a time window, for the admin view's rates.
    index('post_targets_status_updated_idx').on(table.status, table.updatedAt),
  ],
);
