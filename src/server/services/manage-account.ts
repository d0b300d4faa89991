import { and, eq, inArray, ne } from 'drizzle-orm';
import { ProviderError, ReauthRequiredError } from '../../providers/errors.ts';
import type { ProviderId } from '../../providers/types.ts';
import type { Database } from '../db/client.ts';
import { type AccountStatus, accountCredentials, connectedAccounts } from '../db/schema/index.ts';
import { notFound } from '../errors.ts';
import { recordEvent } from './account-events.ts';
import { type ConnectDeps, providerFor, REINSPECT_EVERY_MS } from './connect-account.ts';
import { notifyStatusChange } from './notifications.ts';

/** Facebook user tokens cannot be refreshed: ask for a reconnect this long before they expire. */
export const EXPIRING_MARGIN_MS = 14 * 24 * 60 * 60 * 1000;

export type AccountRow = typeof connectedAccounts.$inferSelect;

export async function findOwnedAccount(
  db: Database,
  input: { userId: string; accountId: string },
): Promise<AccountRow> {
  const [account] = await db
    .select()
    .from(connectedAccounts)
    .where(and(eq(connectedAccounts.id, input.accountId), eq(connectedAccounts.userId, input.userId)));
  if (!account) throw notFound('The connected account');
  return account;
}

/** The status an account should have given its expiry dates, when its tokens are otherwise valid. */
export function statusFromExpiry(
  account: Pick<AccountRow, 'tokenExpiresAt' | 'dataAccessExpiresAt'>,
  now: number,
): AccountStatus {
  const soonest = [account.tokenExpiresAt, account.dataAccessExpiresAt]
    .filter((date): date is Date => date !== null)
    .map((date) => date.getTime());
  return soonest.some((time) => time - now < EXPIRING_MARGIN_MS) ? 'expiring' : 'active';
}

/** How an account's access token is kept alive, which decides what "expiring" means for it. */
export interface Renewal {
  /** Whether a refresh would give the account a token that lasts longer than the current one. */
  refreshable: boolean;
  /**
   * The last moment the connection works without the user connecting again: the access token's
   * expiry, the refresh token's (a `refresh_token` platform), or `null` when the token renews
   * itself indefinitely (`self_refresh`).
   */
  worksUntil: Date | null;
}

const later = (a: Date | null, b: Date | null) => (a === null || b === null ? null : a > b ? a : b);

/**
 * How the account's token renews, from the provider's capabilities and, for `refresh_token`
 * providers, whether a refresh token is stored and still outlives the access token (LinkedIn
 * apps without programmatic refresh get none; a LinkedIn refresh token never outlives its first
 * 365 days, and a token refreshed from it ends with it).
 */
export async function renewalOf(
  deps: ConnectDeps,
  account: Pick<AccountRow, 'id' | 'provider' | 'tokenExpiresAt' | 'refreshTokenExpiresAt'>,
  now: number,
): Promise<Renewal> {
  const provider = deps.providers[account.provider];
  const mode = provider?.refresh ? provider.capabilities.refresh : 'reauth_only';
  if (mode === 'self_refresh') return { refreshable: true, worksUntil: null };
  const untilAccess = { refreshable: false, worksUntil: account.tokenExpiresAt };
  if (mode === 'reauth_only') return untilAccess;
  const [stored] = await deps.db
    .select({ kind: accountCredentials.kind })
    .from(accountCredentials)
    .where(and(eq(accountCredentials.accountId, account.id), eq(accountCredentials.kind, 'refresh')));
  if (!stored) return untilAccess;
  const refreshEnds = account.refreshTokenExpiresAt;
  const outlivesAccess =
    refreshEnds === null ||
    (refreshEnds.getTime() > now && (account.tokenExpiresAt === null || refreshEnds > account.tokenExpiresAt));
  return { refreshable: outlivesAccess, worksUntil: later(account.tokenExpiresAt, refreshEnds) };
}

/** What a successful look at a connection found: the new fields and the event to record. */
export interface Inspection {
  update: Partial<AccountRow>;
  event: { type: 'validated' | 'needs_reconnect'; reason: string | null };
}

/**
 * Looks at a connection whose tokens the platform cannot refresh (Facebook): re-inspects them and
 * says what is true now (validity, expiry, scopes). Throws ProviderError for transient failures
 * and rate limits, which say nothing about the connection.
 */
export async function inspectConnection(deps: ConnectDeps, account: AccountRow): Promise<Inspection> {
  const provider = providerFor(deps, account.provider);
  const now = deps.now();
  const token = await deps.vault.read(deps.db, account.id, provider.capabilities.inspects ?? 'user_access');
  if (!token) {
    return {
      update: { status: 'needs_reconnect', statusReason: 'no_credentials' },
      event: { type: 'needs_reconnect', reason: 'no_credentials' },
    };
  }
  try {
    const inspection = await provider.inspect(token);
    // What the platform does not report (expiry, granted scopes) stays as stored.
    const scopes = inspection.scopes ?? account.grantedScopes;
    const missing = provider.requiredScopes.filter((scope) => !scopes.includes(scope));
    let update: Partial<AccountRow>;
    if (!inspection.valid) {
      update = { status: 'needs_reconnect', statusReason: inspection.invalidReason ?? 'token_invalid' };
    } else if (missing.length > 0) {
      update = { status: 'needs_reconnect', statusReason: `missing_permissions:${missing.join(',')}` };
    } else {
      const dates = {
        tokenExpiresAt: inspection.expiresAt === undefined ? account.tokenExpiresAt : inspection.expiresAt,
        dataAccessExpiresAt: inspection.dataAccessExpiresAt,
      };
      // A token that Tether will refresh is not "expiring"; the end of what refreshing can reach is.
      const { worksUntil } = await renewalOf(deps, { ...account, ...dates }, now);
      const status = statusFromExpiry(
        { tokenExpiresAt: worksUntil, dataAccessExpiresAt: dates.dataAccessExpiresAt },
        now,
      );
      update = { ...dates, status, statusReason: null };
    }
    update.grantedScopes = scopes;
    const broken = update.status === 'needs_reconnect';
    return {
      update,
      event: broken
        ? { type: 'needs_reconnect', reason: update.statusReason ?? null }
        : { type: 'validated', reason: null },
    };
  } catch (error) {
    if (!(error instanceof ReauthRequiredError)) throw error;
    return {
      update: { status: 'needs_reconnect', statusReason: error.reason },
      event: { type: 'needs_reconnect', reason: error.reason },
    };
  }
}

/** The bookkeeping of a completed check: when it happened, when the next is due, no failure run, no lease. */
export const completedCheck = (now: number) => ({
  lastCheckedAt: new Date(now),
  nextCheckAt: new Date(now + REINSPECT_EVERY_MS),
  failingSince: null,
  checkLeaseUntil: null,
});

/** Stores what an inspection found, with its event, and schedules the next look. */
export async function recordInspection(deps: ConnectDeps, account: AccountRow, found: Inspection): Promise<AccountRow> {
  const now = deps.now();
  const [updated] = await deps.db.transaction(async (tx) => {
    await recordEvent(tx, account, found.event.type, found.event.reason);
    if (found.update.status)
      await notifyStatusChange({ tx, boss: deps.boss }, account, { from: account.status, to: found.update.status });
    return tx
      .update(connectedAccounts)
      .set({
        ...found.update,
        ...completedCheck(now),
      })
      .where(eq(connectedAccounts.id, account.id))
      .returning();
  });
  if (!updated) throw notFound('The connected account');
  return updated;
}

/**
 * Providers that sign in through the same platform app share one grant per person: revoking it
 * for a Facebook Page also cuts off the Instagram accounts connected through Facebook Login.
 */
const SAME_GRANT: ProviderId[][] = [
  ['instagram', 'facebook_page'],
  ['linkedin', 'linkedin_org'],
];
export const sharingGrant = (provider: ProviderId) =>
  SAME_GRANT.find((group) => group.includes(provider)) ?? [provider];

/**
 * Disconnects an account: revokes the grant at the platform when no other account of this user
 * still relies on it, deletes the credentials with the account, and keeps an event on record.
 */
export async function disconnectAccount(
  deps: ConnectDeps,
  input: { userId: string; accountId: string },
): Promise<void> {
  const account = await findOwnedAccount(deps.db, input);
  const others = await deps.db
    .select({ id: connectedAccounts.id })
    .from(connectedAccounts)
    .where(
      and(
        eq(connectedAccounts.userId, input.userId),
        inArray(connectedAccounts.provider, sharingGrant(account.provider)),
        ne(connectedAccounts.id, account.id),
      ),
    );
  let reason: string | null = others.length > 0 ? 'grant kept: other accounts use it' : null;
  if (others.length === 0) reason = await revokeGrant(deps, account.id, account.provider);
  await deps.db.transaction(async (tx) => {
    await recordEvent(tx, account, 'disconnected', reason);
    await tx.delete(connectedAccounts).where(eq(connectedAccounts.id, account.id));
  });
}

/** Returns a note for the event when revocation could not be done; deletion goes ahead regardless. */
export async function revokeGrant(
  deps: ConnectDeps,
  accountId: string,
  providerId: ProviderId,
): Promise<string | null> {
  const token = await deps.vault.read(deps.db, accountId, 'user_access').catch(() => undefined);
  const provider = deps.providers[providerId];
  if (!token || !provider) return 'not revoked: no usable token';
  if (!provider.revoke) return 'not revoked: the platform has no way to revoke it';
  try {
    await provider.revoke({ accessToken: token, expiresAt: null, scopes: [] });
    return null;
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error;
    deps.log.warn({ err: error, accountId }, 'revocation at the provider failed');
    return `not revoked at the provider: ${error.reason}`;
  }
}
