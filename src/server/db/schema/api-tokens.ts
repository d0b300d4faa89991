import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { API_SCOPES } from '../../../contracts/api-scopes.ts';
import { user } from './auth.ts';

/** Personal API tokens. Only the SHA-256 of the token is stored; the token is shown once. */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    /** The first characters of the token, enough for a person to recognise it in a list. */
    prefix: text('prefix').notNull(),
    /** What the token may do (contracts/api-scopes.ts); tokens made before scopes existed hold them all. */
    scopes: text('scopes', { enum: API_SCOPES }).array().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  },
  (table) => [index('api_tokens_user_id_idx').on(table.userId)],
);
