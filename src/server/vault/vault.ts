import { and, eq, inArray, ne, not, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { accountCredentials, type CredentialKind } from '../db/schema/index.ts';
import { DecryptionError, type Keyring } from './keyring.ts';
import type { Secret } from './secret.ts';

/** How many credentials `rotate` re-encrypts per transaction. */
export const ROTATION_BATCH_SIZE = 200;

export interface RotationResult {
  reencrypted: number;
  unreadable: Array<{ accountId: string; kind: CredentialKind; reason: string }>;
}

/** The additional data every credential ciphertext is bound to. */
export const contextOf = (accountId: string, kind: CredentialKind) => `account_credentials/${accountId}/${kind}`;

/**
 * The only place provider tokens are encrypted or decrypted. Callers hand it Secrets and get
 * Secrets back; rows in `account_credentials` only ever hold ciphertext.
 */
export class Vault {
  readonly #keyring: Keyring;

  constructor(keyring: Keyring) {
    this.#keyring = keyring;
  }

  get currentKeyId(): string {
    return this.#keyring.currentKeyId;
  }

  /** Inserts or replaces one credential of an account (inside the caller's transaction when given one). */
  async store(db: Database, input: { accountId: string; kind: CredentialKind; secret: Secret }): Promise<void> {
    const ciphertext = this.#keyring.encrypt(input.secret, contextOf(input.accountId, input.kind));
    await db
      .insert(accountCredentials)
      .values({ accountId: input.accountId, kind: input.kind, ciphertext, keyId: this.#keyring.currentKeyId })
      .onConflictDoUpdate({
        target: [accountCredentials.accountId, accountCredentials.kind],
        set: { ciphertext, keyId: this.#keyring.currentKeyId, updatedAt: new Date() },
      });
  }

  async read(db: Database, accountId: string, kind: CredentialKind): Promise<Secret | undefined> {
    const [row] = await db
      .select({ ciphertext: accountCredentials.ciphertext })
      .from(accountCredentials)
      .where(and(eq(accountCredentials.accountId, accountId), eq(accountCredentials.kind, kind)));
    return row ? this.#keyring.decrypt(row.ciphertext, contextOf(accountId, kind)) : undefined;
  }

  /** The first of `kinds` the account has a credential of, read in one query. */
  async readFirst(db: Database, accountId: string, kinds: CredentialKind[]): Promise<Secret | undefined> {
    const rows = await db
      .select({ kind: accountCredentials.kind, ciphertext: accountCredentials.ciphertext })
      .from(accountCredentials)
      .where(and(eq(accountCredentials.accountId, accountId), inArray(accountCredentials.kind, kinds)));
    const kind = kinds.find((candidate) => rows.some((row) => row.kind === candidate));
    const row = rows.find((candidate) => candidate.kind === kind);
    return row && kind ? this.#keyring.decrypt(row.ciphertext, contextOf(accountId, kind)) : undefined;
  }

  /** Deletes an account's credentials: all of them, or only those of `kind`. */
  async remove(db: Database, accountId: string, kind?: CredentialKind): Promise<void> {
    await db
      .delete(accountCredentials)
      .where(and(eq(accountCredentials.accountId, accountId), kind ? eq(accountCredentials.kind, kind) : undefined));
  }

  /**
   * Re-encrypts every credential not yet under the current key, in small transactions that skip
   * rows another process holds. Safe while the app serves traffic and resumable after a crash:
   * progress is the key id on each row. Rows that no key of the ring can read (tampered, or their
   * key already removed) are left as they are and reported.
   */
  async rotate(
    db: Database,
    { batchSize = ROTATION_BATCH_SIZE }: { batchSize?: number } = {},
  ): Promise<RotationResult> {
    const result: RotationResult = { reencrypted: 0, unreadable: [] };
    const skip = () =>
      result.unreadable.map((row) =>
        not(and(eq(accountCredentials.accountId, row.accountId), eq(accountCredentials.kind, row.kind)) ?? sql`false`),
      );
    for (;;) {
      const seen = await db.transaction(async (tx) => {
        const rows = await tx
          .select()
          .from(accountCredentials)
          .where(and(ne(accountCredentials.keyId, this.#keyring.currentKeyId), ...skip()))
          .limit(batchSize)
          .for('update', { skipLocked: true });
        for (const row of rows) {
          const context = contextOf(row.accountId, row.kind);
          let secret: Secret;
          try {
            secret = this.#keyring.decrypt(row.ciphertext, context);
          } catch (error) {
            if (!(error instanceof DecryptionError)) throw error;
            result.unreadable.push({ accountId: row.accountId, kind: row.kind, reason: error.message });
            continue;
          }
          await tx
            .update(accountCredentials)
            .set({ ciphertext: this.#keyring.encrypt(secret, context), keyId: this.#keyring.currentKeyId })
            .where(and(eq(accountCredentials.accountId, row.accountId), eq(accountCredentials.kind, row.kind)));
          result.reencrypted += 1;
        }
        return rows.length;
      });
      if (seen < batchSize) return result;
    }
  }

  /** How many credentials each key encrypts; after a complete rotation only the current key appears. */
  async keyUsage(db: Database): Promise<Array<{ keyId: string; credentials: number }>> {
    return db
      .select({ keyId: accountCredentials.keyId, credentials: sql<number>`count(*)::int` })
      .from(accountCredentials)
      .groupBy(accountCredentials.keyId)
      .orderBy(accountCredentials.keyId);
  }
}
