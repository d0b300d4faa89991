import { eq } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { account, apiTokens, connectedAccounts, dataDeletions, media, session, user } from '../db/schema/index.ts';
import type { ConnectDeps } from './connect-account.ts';
import { revokeGrant, sharingGrant } from './manage-account.ts';
import { clearSignInFailures } from './sign-in-throttle.ts';

/**
 * The first step of deleting a user's account, inside the transaction that records the request:
 * their sessions, API tokens and password go at once, so nobody can act as them while the rest
 * is deleted.
 */
export async function lockOutUser(tx: Database, userId: string): Promise<void> {
  await tx.delete(session).where(eq(session.userId, userId));
  await tx.delete(apiTokens).where(eq(apiTokens.userId, userId));
  await tx.delete(account).where(eq(account.userId, userId));
}

/**
 * Deletes a Tether user and everything of theirs: revokes their grants at the platforms that
 * allow it (best effort: a failure is logged and deletion goes on), deletes their media files,
 * then the user row, which every table of theirs cascades from, and marks the request complete.
 * Idempotent: a retry after a crash revokes what is left and deletes again what is still there.
 */
export async function deleteUserData(deps: ConnectDeps, request: { id: string; subjectId: string }): Promise<void> {
  const userId = request.subjectId;
  const accounts = await deps.db
    .select({
      id: connectedAccounts.id,
      provider: connectedAccounts.provider,
      grantSubjectId: connectedAccounts.grantSubjectId,
    })
    .from(connectedAccounts)
    .where(eq(connectedAccounts.userId, userId));
  // Accounts of one platform app granted by one person share a grant: revoke it once.
  const grants = new Map<string, (typeof accounts)[number]>();
  for (const item of accounts) grants.set(`${sharingGrant(item.provider)[0]}:${item.grantSubjectId ?? item.id}`, item);
  for (const grant of grants.values()) {
    const note = await revokeGrant(deps, grant.id, grant.provider).catch((error: unknown) => {
      deps.log.warn({ err: error, accountId: grant.id }, 'revocation failed during account deletion');
      return 'not revoked';
    });
    if (note) deps.log.info({ accountId: grant.id, provider: grant.provider, note }, 'grant not revoked');
  }

  const files = await deps.db
    .select({ key: media.storageKey, original: media.originalStorageKey })
    .from(media)
    .where(eq(media.userId, userId));
  const keys = files.flatMap((file) => (file.original ? [file.key, file.original] : [file.key]));
  // A storage failure throws: the job is retried and the media rows still list the files.
  for (const key of keys) await deps.mediaStorage.delete(key);

  await deps.db.transaction(async (tx) => {
    const [owner] = await tx.select({ email: user.email }).from(user).where(eq(user.id, userId));
    if (owner) await clearSignInFailures(tx, owner.email);
    // Everything of the user's references the user row with ON DELETE CASCADE.
    await tx.delete(user).where(eq(user.id, userId));
    await tx
      .update(dataDeletions)
      .set({ status: 'completed', accountsDeleted: accounts.length, completedAt: new Date(deps.now()) })
      .where(eq(dataDeletions.id, request.id));
  });
  deps.log.info({ deletionId: request.id, accounts: accounts.length, files: keys.length }, 'account deleted');
}
