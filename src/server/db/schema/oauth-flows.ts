import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { FLOW_STATUSES, PROVIDER_IDS } from '../../../contracts/connected-accounts.ts';
import type { Ciphertext } from '../../vault/keyring.ts';
import { user } from './auth.ts';

/** An account found during a connect flow, waiting for the user to pick it; never holds a token. */
export interface FlowCandidate {
  externalId: string;
  username: string | null;
  displayName: string | null;
  profilePictureUrl: string | null;
  parent: { id: string; name: string } | null;
  /** Set when this account is already connected for the user (connecting it again reconnects it). */
  connectedAccountId: string | null;
}

export interface FlowProblem {
  id: string;
  name: string;
  reason: string;
}

/**
 * One OAuth connect attempt. `state_hash` is the SHA-256 of the 256-bit state sent to the
 * provider; the state itself is never stored. While the user picks among several accounts, the
 * user token and its refresh token wait here encrypted (bound to the flow id) and are deleted when
 * the flow ends.
 */
export const oauthFlows = pgTable(
  'oauth_flows',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    stateHash: text('state_hash').notNull().unique(),
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    provider: text('provider', { enum: PROVIDER_IDS }).notNull(),
    reconnectAccountId: uuid('reconnect_account_id'),
    status: text('status', { enum: FLOW_STATUSES }).notNull().default('pending'),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    userToken: text('user_token').$type<Ciphertext>(),
    /** The refresh token that came with the user token (LinkedIn), encrypted the same way. */
    refreshToken: text('refresh_token').$type<Ciphertext>(),
    refreshTokenExpiresAt: timestamp('refresh_token_expires_at', { withTimezone: true }),
    tokenExpiresAt: timestamp('token_expires_at', { withTimezone: true }),
    dataAccessExpiresAt: timestamp('data_access_expires_at', { withTimezone: true }),
    grantSubjectId: text('grant_subject_id'),
    grantedScopes: text('granted_scopes').array().notNull().default(sql`'{}'::text[]`),
    candidates: jsonb('candidates').$type<FlowCandidate[]>().notNull().default([]),
    problems: jsonb('problems').$type<FlowProblem[]>().notNull().default([]),
    errorCode: text('error_code'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('oauth_flows_user_idx').on(table.userId)],
);
