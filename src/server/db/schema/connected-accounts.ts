import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { ACCOUNT_STATUSES, PROVIDER_IDS } from '../../../contracts/connected-accounts.ts';
import { user } from './auth.ts';

export type { AccountStatus, ProviderId } from '../../../contracts/connected-accounts.ts';

/** The page, profile or organization that stands behind an account (e.g. the Facebook Page of an Instagram account). */
export interface AccountParent {
  id: string;
  name: string;
}

/** A social account a user connected. Connecting the same account again updates this row. */
export const connectedAccounts = pgTable(
  'connected_accounts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    provider: text('provider', { enum: PROVIDER_IDS }).notNull(),
    externalId: text('external_id').notNull(),
    /** The platform's id of the person who granted access (TokenSet.subjectId): Meta's callbacks name them by it. */
    grantSubjectId: text('grant_subject_id'),
    username: text('username'),
    displayName: text('display_name'),
    profilePictureUrl: text('profile_picture_url'),
    parent: jsonb('parent').$type<AccountParent>(),
    status: text('status', { enum: ACCOUNT_STATUSES }).notNull().default('active'),
    statusReason: text('status_reason'),
    grantedScopes: text('granted_scopes').array().notNull().default(sql`'{}'::text[]`),
    tokenExpiresAt: timestamp('token_expires_at', { withTimezone: true }),
    dataAccessExpiresAt: timestamp('data_access_expires_at', { withTimezone: true }),
    refreshTokenExpiresAt: timestamp('refresh_token_expires_at', { withTimezone: true }),
    lastRefreshedAt: timestamp('last_refreshed_at', { withTimezone: true }),
    /** When the current access token was obtained (connect, reconnect or refresh): platforms refuse too-early refreshes. */
    tokenObtainedAt: timestamp('token_obtained_at', { withTimezone: true }),
    refreshCount: integer('refresh_count').notNull().default(0),
    lastCheckedAt: timestamp('last_checked_at', { withTimezone: true }),
    /** When the keep-alive sweep should refresh or re-inspect this account next. */
    nextCheckAt: timestamp('next_check_at', { withTimezone: true }).notNull().defaultNow(),
    /** Start of the current run of transient failures; cleared by the next success. */
    failingSince: timestamp('failing_since', { withTimezone: true }),
    /** A worker holds the account until then while it refreshes it; at most one at a time. */
    checkLeaseUntil: timestamp('check_lease_until', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true })
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
  },
  (table) => [
    unique('connected_accounts_user_provider_external_key').on(table.userId, table.provider, table.externalId),
    index('connected_accounts_status_idx').on(table.status),
    index('connected_accounts_next_check_idx').on(table.nextCheckAt),
    index('connected_accounts_grant_subject_idx').on(table.provider, table.grantSubjectId),
  ],
);
