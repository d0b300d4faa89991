import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EncryptionKey } from '../src/server/config.ts';
import type { DatabaseHandle } from '../src/server/db/client.ts';
import { accountCredentials, connectedAccounts, user } from '../src/server/db/schema/index.ts';
import { DecryptionError, Keyring } from '../src/server/vault/keyring.ts';
import { Secret } from '../src/server/vault/secret.ts';
import { Vault } from '../src/server/vault/vault.ts';
import { openTestDatabase } from './helpers/test-database.ts';

const key = (id: string): EncryptionKey => ({ id, key: randomBytes(32) });

describe('the token vault on the database', () => {
  let database: DatabaseHandle;
  const accounts: string[] = [];
  const oldKey = key('old');
  const newKey = key('new');

  beforeAll(async () => {
    database = await openTestDatabase();
    await database.db.insert(user).values({ id: 'vault-user', name: 'V', email: 'vault@example.com' });
    for (let i = 0; i < 5; i++) {
      const [row] = await database.db
        .insert(connectedAccounts)
        .values({ userId: 'vault-user', provider: 'instagram', externalId: `ig-${i}` })
        .returning({ id: connectedAccounts.id });
      accounts.push(row?.id ?? '');
    }
  });
  afterAll(() => database.close());

  it('stores only ciphertext and reads the token back', async () => {
    const vault = new Vault(new Keyring([oldKey]));
    await vault.store(database.db, {
      accountId: accounts[0] ?? '',
      kind: 'user_access',
      secret: new Secret('EAAB-plain-0'),
    });
    const [row] = await database.db
      .select()
      .from(accountCredentials)
      .where(eq(accountCredentials.accountId, accounts[0] ?? ''));
    expect(row?.ciphertext).not.toContain('EAAB-plain-0');
    expect(row?.keyId).toBe('old');
    expect((await vault.read(database.db, accounts[0] ?? '', 'user_access'))?.reveal()).toBe('EAAB-plain-0');
    expect(await vault.read(database.db, accounts[0] ?? '', 'refresh')).toBeUndefined();
  });

  it('reads the first kind of several an account has, in the order asked', async () => {
    const vault = new Vault(new Keyring([oldKey]));
    const [row] = await database.db
      .insert(connectedAccounts)
      .values({ userId: 'vault-user', provider: 'instagram', externalId: 'ig-first-kind' })
      .returning({ id: connectedAccounts.id });
    const accountId = row?.id ?? '';
    const both = ['page_access', 'user_access'] as const;
    expect(await vault.readFirst(database.db, accountId, [...both])).toBeUndefined();
    await vault.store(database.db, { accountId, kind: 'user_access', secret: new Secret('EAAB-user') });
    expect((await vault.readFirst(database.db, accountId, [...both]))?.reveal()).toBe('EAAB-user');
    await vault.store(database.db, { accountId, kind: 'page_access', secret: new Secret('EAAB-page') });
    expect((await vault.readFirst(database.db, accountId, [...both]))?.reveal()).toBe('EAAB-page');
    expect((await vault.readFirst(database.db, accountId, ['user_access', 'page_access']))?.reveal()).toBe('EAAB-user');
    await database.db.delete(connectedAccounts).where(eq(connectedAccounts.id, accountId));
  });

  it("refuses a ciphertext copied into another account's row", async () => {
    const vault = new Vault(new Keyring([oldKey]));
    const [a, b] = accounts;
    await vault.store(database.db, { accountId: b ?? '', kind: 'user_access', secret: new Secret('EAAB-plain-b') });
    const [source] = await database.db
      .select()
      .from(accountCredentials)
      .where(eq(accountCredentials.accountId, a ?? ''));
    await database.db
      .update(accountCredentials)
      .set({ ciphertext: source?.ciphertext })
      .where(eq(accountCredentials.accountId, b ?? ''));
    await expect(vault.read(database.db, b ?? '', 'user_access')).rejects.toBeInstanceOf(DecryptionError);
  });

  it('rotates every credential to the new key, after which the old key can be dropped', async () => {
    const before = new Vault(new Keyring([oldKey]));
    for (const [i, accountId] of accounts.entries()) {
      await before.store(database.db, { accountId, kind: 'page_access', secret: new Secret(`EAAG-page-${i}`) });
    }
    const rotating = new Vault(new Keyring([newKey, oldKey]));
    expect(await rotating.keyUsage(database.db)).toEqual([{ keyId: 'old', credentials: 7 }]);
    // Account b's user token was overwritten with a's ciphertext above: it is reported, not re-encrypted.
    const result = await rotating.rotate(database.db, { batchSize: 3 });
    expect(result).toEqual({
      reencrypted: 6,
      unreadable: [
        { accountId: accounts[1], kind: 'user_access', reason: expect.stringMatching(/does not authenticate/) },
      ],
    });
    expect(await rotating.keyUsage(database.db)).toEqual([
      { keyId: 'new', credentials: 6 },
      { keyId: 'old', credentials: 1 },
    ]);
    await database.db.delete(accountCredentials).where(eq(accountCredentials.keyId, 'old'));
    expect(await rotating.rotate(database.db)).toEqual({ reencrypted: 0, unreadable: [] });

    const newOnly = new Vault(new Keyring([newKey]));
    for (const [i, accountId] of accounts.entries()) {
      expect((await newOnly.read(database.db, accountId, 'page_access'))?.reveal()).toBe(`EAAG-page-${i}`);
    }
    expect((await newOnly.read(database.db, accounts[0] ?? '', 'user_access'))?.reveal()).toBe('EAAB-plain-0');
  });

  it('deletes credentials with their account', async () => {
    const accountId = accounts[4] ?? '';
    await database.db.delete(connectedAccounts).where(eq(connectedAccounts.id, accountId));
    const rows = await database.db.select().from(accountCredentials).where(eq(accountCredentials.accountId, accountId));
    expect(rows).toEqual([]);
  });
});
