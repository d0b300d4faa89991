import { index, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { Ciphertext } from '../../vault/keyring.ts';
import { connectedAccounts } from './connected-accounts.ts';

export const CREDENTIAL_KINDS = ['user_access', 'page_access', 'refresh'] as const;
export type CredentialKind = (typeof CREDENTIAL_KINDS)[number];

/**
 * Encrypted provider tokens, one row per account and kind. `ciphertext` is bound to
 * (account_id, kind) as AES-GCM additional data, so a value copied to another row does not
 * decrypt. `key_id` repeats the key named inside the ciphertext, so rotation finds old rows by index.
 */
export const accountCredentials = pgTable(
  'account_credentials',
  {
    accountId: uuid('account_id')
      .notNull()
      .references(() => connectedAccounts.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: CREDENTIAL_KINDS }).notNull(),
    ciphertext: text('ciphertext').$type<Ciphertext>().notNull(),
    keyId: text('key_id').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true })
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
  },
  (table) => [
    primaryKey({ columns: [table.accountId, table.kind] }),
    index('account_credentials_key_id_idx').on(table.keyId),
  ],
);
