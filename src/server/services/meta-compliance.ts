import { randomBytes } from 'node:crypto';
import { and, eq, inArray, or, type SQL } from 'drizzle-orm';
import type { PgBoss } from 'pg-boss';
import type { ProviderId } from '../../providers/types.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import {
  accountCredentials,
  accountEvents,
  connectedAccounts,
  type DeletionSource,
  dataDeletions,
} from '../db/schema/index.ts';
import { inTransaction } from '../jobs/transactional.ts';
import { recordEvent } from './account-events.ts';
import type { ConnectDeps } from './connect-account.ts';
import { deleteUserData } from './delete-account.ts';
import { notifyStatusChange } from './notifications.ts';

/** The job that carries out a data-deletion request. */
export const DATA_DELETION_QUEUE = 'data-deletion';

/** The reason recorded on accounts whose person removed the app at Meta. */
export const APP_REMOVED = 'app_removed';

export type MetaSource = Exclude<DeletionSource, 'user'>;

export interface MetaApp {
  appId: string;
  secret: string;
  source: MetaSource;
}

/** Which providers sign in through each Meta app. */
const PROVIDERS_OF: Record<MetaSource, ProviderId[]> = {
  facebook: ['instagram', 'facebook_page'],
  instagram: ['instagram_login'],
};

/** The Meta apps this instance runs (sandbox mode: the sandbox's), whose callbacks it accepts. */
export function metaApps(config: Config): MetaApp[] {
  const apps: MetaApp[] = [];
  const { facebook, instagram } = config;
  if (facebook.appId && facebook.appSecret)
    apps.push({ appId: facebook.appId, secret: facebook.appSecret, source: 'facebook' });
  if (instagram.appId && instagram.appSecret)
    apps.push({ appId: instagram.appId, secret: instagram.appSecret, source: 'instagram' });
  return apps;
}

/**
 * The connections a Meta user granted through one app, across every Tether user who connected
 * them. Instagram Login names people by their Instagram user id, which is also the account's id.
 */
function grantedBy(source: MetaSource, subjectId: string, providers = PROVIDERS_OF[source]): SQL | undefined {
  const subject =
    source === 'instagram'
      ? or(eq(connectedAccounts.grantSubjectId, subjectId), eq(connectedAccounts.externalId, subjectId))
      : eq(connectedAccounts.grantSubjectId, subjectId);
  return and(inArray(connectedAccounts.provider, providers), subject);
}

/**
 * Meta's Deauthorize callback: the person removed the app, so every connection they granted
 * through it is marked for reconnecting at once (with the notification and webhooks that go with
 * it) and its now useless tokens are deleted. Returns how many accounts were marked.
 */
export function deauthorize(deps: ConnectDeps, input: { source: MetaSource; subjectId: string }): Promise<number> {
  return markRevoked(deps, { ...input, reason: APP_REMOVED, deleteTokens: true });
}

/**
 * A permissions webhook said the person took back one permission: the connections whose provider
 * needs it are marked for reconnecting now rather than at the next check. Their tokens stay; a
 * reconnect grants the permission again.
 */
export function permissionRevoked(
  deps: ConnectDeps,
  input: { source: MetaSource; subjectId: string; permission: string },
): Promise<number> {
  const providers = PROVIDERS_OF[input.source].filter((id) =>
    deps.providers[id]?.requiredScopes.includes(input.permission),
  );
  if (providers.length === 0) return Promise.resolve(0);
  return markRevoked(deps, {
    ...input,
    providers,
    reason: `permission_revoked:${input.permission}`,
    deleteTokens: false,
  });
}

async function markRevoked(
  deps: ConnectDeps,
  input: { source: MetaSource; subjectId: string; reason: string; deleteTokens: boolean; providers?: ProviderId[] },
): Promise<number> {
  const accounts = await deps.db
    .select()
    .from(connectedAccounts)
    .where(grantedBy(input.source, input.subjectId, input.providers));
  for (const account of accounts) {
    await deps.db.transaction(async (tx) => {
      if (input.deleteTokens) await tx.delete(accountCredentials).where(eq(accountCredentials.accountId, account.id));
      await recordEvent(tx, account, 'revoked_by_provider', input.reason);
      await notifyStatusChange({ tx, boss: deps.boss }, account, { from: account.status, to: 'needs_reconnect' });
      await tx
        .update(connectedAccounts)
        .set({ status: 'needs_reconnect', statusReason: input.reason, checkLeaseUntil: null })
        .where(eq(connectedAccounts.id, account.id));
    });
  }
  deps.log.info({ source: input.source, reason: input.reason, accounts: accounts.length }, 'Meta revocation applied');
  return accounts.length;
}

/** What to do with a deletion request besides recording it and queueing its job. */
export interface DeletionRequestOptions {
  /** More work for the same transaction (locking a Tether user out). */
  alsoInTransaction?: (tx: Database) => Promise<void>;
  /** Delay the job, when the caller carries the deletion out itself and the job is only its fallback. */
  startAfterSeconds?: number;
}

/**
 * Records a data-deletion request (Meta's Data Deletion callback, or a Tether user deleting their
 * account) under an unguessable confirmation code and queues its job in the same transaction, so
 * it is carried out even if the process stops now.
 */
export async function requestDataDeletion(
  db: Database,
  boss: PgBoss,
  input: { source: DeletionSource; subjectId: string },
  options: DeletionRequestOptions = {},
): Promise<{ id: string; confirmationCode: string }> {
  const confirmationCode = randomBytes(16).toString('base64url');
  const id = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(dataDeletions)
      .values({ confirmationCode, source: input.source, subjectId: input.subjectId })
      .returning({ id: dataDeletions.id });
    if (!row) throw new Error('insert returned no row');
    await options.alsoInTransaction?.(tx);
    await boss.send(
      DATA_DELETION_QUEUE,
      { deletionId: row.id },
      { db: inTransaction(tx), startAfter: options.startAfterSeconds },
    );
    return row.id;
  });
  return { id, confirmationCode };
}

/**
 * Carries out a deletion request. A Tether user's: their whole account (`deleteUserData`). A Meta
 * request's: everything Tether holds about that person, their connected accounts with
 * credentials, publishing targets and account history. Idempotent.
 */
export async function runDataDeletion(deps: ConnectDeps, deletionId: string): Promise<void> {
  const [request] = await deps.db.select().from(dataDeletions).where(eq(dataDeletions.id, deletionId));
  if (!request || request.status === 'completed') return;
  if (request.source === 'user') return deleteUserData(deps, request);
  const source = request.source;
  await deps.db.transaction(async (tx) => {
    const accounts = await tx
      .select({ id: connectedAccounts.id })
      .from(connectedAccounts)
      .where(grantedBy(source, request.subjectId));
    const ids = accounts.map((account) => account.id);
    if (ids.length > 0) {
      await tx.delete(accountEvents).where(inArray(accountEvents.accountId, ids));
      // Credentials and publishing targets go with their account (ON DELETE CASCADE).
      await tx.delete(connectedAccounts).where(inArray(connectedAccounts.id, ids));
    }
    await tx
      .update(dataDeletions)
      .set({ status: 'completed', accountsDeleted: ids.length, completedAt: new Date(deps.now()) })
      .where(eq(dataDeletions.id, deletionId));
  });
  deps.log.info({ deletionId }, 'data deletion completed');
}

/** A deletion request by its confirmation code, for the public status page. */
export async function findDataDeletion(db: Database, confirmationCode: string) {
  const [row] = await db.select().from(dataDeletions).where(eq(dataDeletions.confirmationCode, confirmationCode));
  return row;
}
