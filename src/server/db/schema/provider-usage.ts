import { integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The latest usage level Meta reported per app and per (app, business object), written by the
 * process that made the calls so every process can show it (`services/provider-usage.ts`). One
 * row per app or object, rewritten only when the level changed meaningfully.
 */
export const providerUsage = pgTable(
  'provider_usage',
  {
    /** `app` or `account`. */
    scope: text('scope', { enum: ['app', 'account'] }).notNull(),
    /** `facebook` (the Facebook app) or `instagram` (the Instagram Login app). */
    platform: text('platform', { enum: ['facebook', 'instagram'] }).notNull(),
    appId: text('app_id').notNull(),
    /** The Page or Instagram account id; empty for the app's own row. */
    objectId: text('object_id').notNull().default(''),
    percent: integer('percent').notNull(),
    /** The threshold the writing process applied. */
    thresholdPercent: integer('threshold_percent').notNull(),
    throttledUntil: timestamp('throttled_until', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.scope, table.appId, table.objectId] })],
);
