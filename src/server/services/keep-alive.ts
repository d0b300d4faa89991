import { and, asc, eq, gt, inArray, isNull, lt, lte, or, type SQL, sql } from 'drizzle-orm';
import { ProviderError, RateLimitedError, ReauthRequiredError } from '../../providers/errors.ts';
import type { Database } from '../db/client.ts';
import { connectedAccounts } from '../db/schema/index.ts';
import { AppError } from '../errors.ts';
import type { TokenCheckOutcome } from '../metrics.ts';
import { recordEvent } from './account-events.ts';
import type { ConnectDeps } from './connect-account.ts';
import {
  type AccountRow,
  completedCheck,
  findOwnedAccount,
  inspectConnection,
  recordInspection,
  renewalOf,
  statusFromExpiry,
} from './manage-account.ts';
import { notifyStatusChange } from './notifications.ts';

/**
 * The failure policy of keeping connections alive, as named constants. Only a platform answer
 * that the connection is broken (ReauthRequired) marks it `needs_reconnect` at once; transient
 * failures and rate limits are retried with backoff and only give up after FAILURE_WINDOW_MS.
 */
export const KEEP_ALIVE = {
  /** How long one worker holds an account while it checks it; a dead worker's hold runs out. */
  leaseMs: 2 * 60_000,
  /** First retry after a transient failure; later ones wait as long as the failures have lasted. */
  backoffMinMs: 15 * 60_000,
  backoffMaxMs: 6 * 60 * 60_000,
  /** ± share of random spread on every retry, so accounts that failed together do not retry together. */
  jitter: 0.1,
  /** Transient failures for this long end in `needs_reconnect`. */
  failureWindowMs: 3 * 24 * 60 * 60_000,
  /** Accounts the sweep hands to workers per query. */
  sweepBatch: 500,
} as const;

const CHECKED_STATUSES = ['active', 'expiring'] as const;

/** An account is due when its next check time has come, it is worth checking, and no worker holds it. */
function dueForCheck(now: number) {
  const at = new Date(now);
  return and(
    lte(connectedAccounts.nextCheckAt, at),
    inArray(connectedAccounts.status, [...CHECKED_STATUSES]),
    leaseFree(now),
  );
}

/** Accounts due for a check, in id order after `afterId`; cheap when nothing is due (index on next_check_at). */
export async function dueAccountIds(
  db: Database,
  input: { now: number; afterId?: string; limit: number },
): Promise<string[]> {
  const rows = await db
    .select({ id: connectedAccounts.id })
    .from(connectedAccounts)
    .where(and(dueForCheck(input.now), input.afterId ? gt(connectedAccounts.id, input.afterId) : undefined))
    .orderBy(asc(connectedAccounts.id))
    .limit(input.limit);
  return rows.map((row) => row.id);
}

/** Exponential backoff without a counter: wait as long as the failures have lasted, within bounds. */
export function retryDelayMs(failingForMs: number, random: () => number = Math.random): number {
  const base = Math.min(KEEP_ALIVE.backoffMaxMs, Math.max(KEEP_ALIVE.backoffMinMs, failingForMs));
  return Math.round(base * (1 + KEEP_ALIVE.jitter * (2 * random() - 1)));
}

export type CheckOutcome = 'checked' | 'refreshed' | 'needs_reconnect' | 'retry_later' | 'skipped';

/** Tokens that refresh themselves (Instagram Login) are refreshed this long before they expire. */
export const REFRESH_MARGIN_MS = 10 * 24 * 60 * 60_000;

/** A token is not refreshed again sooner than this, unless its platform asks for a longer wait. */
export const MIN_REFRESH_AGE_MS = 60_000;

/**
 * Whether the account's token can be refreshed now: the platform allows it, the token is old
 * enough, and, for `refresh_token` platforms, a refresh token is stored that outlives the access
 * token (see `renewalOf`). Without one the account is only inspected, like a Facebook token.
 */
async function canRefresh(deps: ConnectDeps, account: AccountRow, now: number): Promise<boolean> {
  const provider = deps.providers[account.provider];
  if (!provider?.refresh || provider.capabilities.refresh === 'reauth_only') return false;
  if (!(CHECKED_STATUSES as readonly string[]).includes(account.status)) return false;
  const age = now - (account.tokenObtainedAt?.getTime() ?? 0);
  if (age < (provider.capabilities.minRefreshAgeMs ?? MIN_REFRESH_AGE_MS)) return false;
  return (await renewalOf(deps, account, now)).refreshable;
}

/** Whether the account's token should be refreshed now rather than only inspected. */
async function refreshDue(deps: ConnectDeps, account: AccountRow, now: number): Promise<boolean> {
  if (!account.tokenExpiresAt || account.tokenExpiresAt.getTime() - now >= REFRESH_MARGIN_MS) return false;
  return canRefresh(deps, account, now);
}

/** Takes the account's lease if `condition` holds, atomically: the returned row is this worker's to check. */
async function claim(db: Database, accountId: string, now: number, condition: SQL | undefined) {
  const [account] = await db
    .update(connectedAccounts)
    .set({ checkLeaseUntil: new Date(now + KEEP_ALIVE.leaseMs) })
    .where(and(eq(connectedAccounts.id, accountId), condition))
    .returning();
  return account;
}

const leaseFree = (now: number) =>
  or(isNull(connectedAccounts.checkLeaseUntil), lt(connectedAccounts.checkLeaseUntil, new Date(now)));

/**
 * Checks one account if it is due and no other worker is checking it: refreshes or re-inspects its
 * tokens and records the result. Safe to run any number of times for the same account: the claim
 * (due and unleased, taken atomically) makes every run after the first a no-op until the next is due.
 */
export async function checkAccount(deps: ConnectDeps, accountId: string): Promise<CheckOutcome> {
  const now = deps.now();
  const account = await claim(deps.db, accountId, now, dueForCheck(now));
  if (!account) return 'skipped';
  const count = (outcome: TokenCheckOutcome) => deps.metrics?.tokenChecks.inc({ provider: account.provider, outcome });
  try {
    const refreshed = (await refreshDue(deps, account, now)) ? await refreshConnection(deps, account) : undefined;
    if (refreshed) {
      count(refreshed);
      return refreshed;
    }
    const found = await inspectConnection(deps, account);
    const updated = await recordInspection(deps, account, found);
    count(updated.status === 'needs_reconnect' ? 'needs_reconnect' : 'inspected');
    return updated.status === 'needs_reconnect' ? 'needs_reconnect' : 'checked';
  } catch (error) {
    if (!(error instanceof ProviderError)) {
      await releaseLease(deps.db, account.id);
      throw error;
    }
    const outcome = await recordFailure(deps, account, error);
    count(outcome === 'needs_reconnect' ? 'gave_up' : `failed_${error.kind}`);
    return outcome;
  }
}

/**
 * "Refresh now" from a user: refreshes the tokens where the platform allows it at this point,
 * otherwise re-inspects them (which can also bring a `needs_reconnect` account back). Holds the
 * same lease as the background check, so the two never run at once; a held lease is ACCOUNT_BUSY.
 * Platform failures are reported to the caller and not counted against the account.
 */
export async function refreshAccountNow(
  deps: ConnectDeps,
  input: { userId: string; accountId: string },
): Promise<AccountRow> {
  const owned = await findOwnedAccount(deps.db, input);
  const now = deps.now();
  const account = await claim(deps.db, owned.id, now, leaseFree(now));
  if (!account) throw new AppError('ACCOUNT_BUSY');
  try {
    const refreshed = (await canRefresh(deps, account, now)) ? await refreshConnection(deps, account) : undefined;
    if (!refreshed) await recordInspection(deps, account, await inspectConnection(deps, account));
  } catch (error) {
    await releaseLease(deps.db, account.id);
    if (error instanceof ProviderError) throw new AppError('PROVIDER_UNAVAILABLE', error.userMessage);
    throw error;
  }
  return findOwnedAccount(deps.db, input);
}

/**
 * The lazy check before an account is used (publishing): refreshes its token when it is within
 * the refresh margin and no other worker holds it. Whether it is due is asked again of the row
 * the claim returns, since the caller's copy may predate a check that refreshed it meanwhile
 * (refreshing that new token again would be refused as too new). Failures are left to the
 * caller's use of the token, which classifies them; the background check records them. Answers
 * whether a refresh was due, when the caller should read the account again.
 */
export async function refreshIfDue(deps: ConnectDeps, account: AccountRow): Promise<boolean> {
  const now = deps.now();
  if (!(await refreshDue(deps, account, now))) return false;
  const claimed = await claim(deps.db, account.id, now, leaseFree(now));
  if (!claimed) return true;
  if (!(await refreshDue(deps, claimed, now))) {
    await releaseLease(deps.db, account.id);
    return true;
  }
  try {
    // Nothing to refresh with: give the account back rather than hold it until the lease runs out.
    if ((await refreshConnection(deps, claimed)) === undefined) await releaseLease(deps.db, account.id);
  } catch (error) {
    await releaseLease(deps.db, account.id);
    if (!(error instanceof ProviderError)) throw error;
    deps.log.warn(
      { accountId: account.id, errorCode: error.code },
      'refresh before use failed; using the current token',
    );
  }
  return true;
}

/**
 * Refreshes the tokens and stores them with the new expiry, the event and the state change in
 * one transaction. A refresh that answers without a new refresh token keeps the old one. When the
 * platform says the connection is gone, that is recorded as needs_reconnect. Returns undefined
 * when there is nothing to refresh with, and 'skipped' when the account no longer carries this
 * worker's lease by the time the answer comes: a reconnect (which clears the lease) or a worker
 * that took over an expired lease has stored newer tokens, which the older grant's must not replace.
 */
async function refreshConnection(
  deps: ConnectDeps,
  account: AccountRow,
): Promise<'refreshed' | 'needs_reconnect' | 'skipped' | undefined> {
  const provider = deps.providers[account.provider];
  const accessToken = await deps.vault.read(deps.db, account.id, 'user_access');
  if (!provider?.refresh || !accessToken) return undefined;
  const refreshToken = await deps.vault.read(deps.db, account.id, 'refresh');
  let tokens: Awaited<ReturnType<NonNullable<typeof provider.refresh>>>;
  try {
    tokens = await provider.refresh({
      accessToken,
      refreshToken,
      expiresAt: account.tokenExpiresAt,
      refreshTokenExpiresAt: account.refreshTokenExpiresAt,
      scopes: account.grantedScopes,
    });
  } catch (error) {
    if (!(error instanceof ReauthRequiredError)) throw error;
    await recordInspection(deps, account, {
      update: { status: 'needs_reconnect', statusReason: error.reason },
      event: { type: 'needs_reconnect', reason: error.reason },
    });
    return 'needs_reconnect';
  }
  const now = deps.now();
  const dates = { tokenExpiresAt: tokens.expiresAt, dataAccessExpiresAt: account.dataAccessExpiresAt };
  const refreshTokenExpiresAt = tokens.refreshTokenExpiresAt ?? account.refreshTokenExpiresAt;
  const { worksUntil } = await renewalOf(deps, { ...account, ...dates, refreshTokenExpiresAt }, now);
  const stored = await deps.db.transaction(async (tx) => {
    const [held] = await tx
      .update(connectedAccounts)
      .set({
        ...dates,
        refreshTokenExpiresAt,
        status: statusFromExpiry({ ...dates, tokenExpiresAt: worksUntil }, now),
        statusReason: null,
        lastRefreshedAt: new Date(now),
        tokenObtainedAt: new Date(now),
        refreshCount: sql`${connectedAccounts.refreshCount} + 1`,
        ...completedCheck(now),
      })
      .where(and(eq(connectedAccounts.id, account.id), heldBy(account)))
      .returning({ id: connectedAccounts.id });
    if (!held) return false;
    await deps.vault.store(tx, { accountId: account.id, kind: 'user_access', secret: tokens.accessToken });
    if (tokens.refreshToken)
      await deps.vault.store(tx, { accountId: account.id, kind: 'refresh', secret: tokens.refreshToken });
    await recordEvent(tx, account, 'refreshed');
    return true;
  });
  if (!stored) deps.log.warn({ accountId: account.id }, 'refreshed tokens dropped: the account changed meanwhile');
  return stored ? 'refreshed' : 'skipped';
}

/** The account still carries the lease `claim` gave this worker. */
const heldBy = (account: AccountRow) =>
  account.checkLeaseUntil ? eq(connectedAccounts.checkLeaseUntil, account.checkLeaseUntil) : sql`false`;

async function releaseLease(db: Database, accountId: string) {
  await db.update(connectedAccounts).set({ checkLeaseUntil: null }).where(eq(connectedAccounts.id, accountId));
}

async function recordFailure(deps: ConnectDeps, account: AccountRow, error: ProviderError): Promise<CheckOutcome> {
  const now = deps.now();
  const failingSince = account.failingSince?.getTime() ?? now;
  const givesUp = now - failingSince >= KEEP_ALIVE.failureWindowMs;
  const waitMs = Math.max(retryDelayMs(now - failingSince), error instanceof RateLimitedError ? error.retryAfterMs : 0);
  await deps.db.transaction(async (tx) => {
    await recordEvent(
      tx,
      account,
      givesUp ? 'needs_reconnect' : 'refresh_failed',
      givesUp ? 'unreachable_for_3_days' : error.code,
    );
    if (givesUp)
      await notifyStatusChange({ tx, boss: deps.boss }, account, { from: account.status, to: 'needs_reconnect' });
    await tx
      .update(connectedAccounts)
      .set({
        ...(givesUp ? { status: 'needs_reconnect' as const, statusReason: 'unreachable_for_3_days' } : {}),
        failingSince: new Date(failingSince),
        nextCheckAt: new Date(now + waitMs),
        checkLeaseUntil: null,
      })
      .where(eq(connectedAccounts.id, account.id));
  });
  deps.log.warn({ accountId: account.id, errorCode: error.code, givesUp }, 'account check failed');
  return givesUp ? 'needs_reconnect' : 'retry_later';
}
