import { and, asc, eq, gt, inArray, isNull, lt, lte, or } from 'drizzle-orm';
import { ProviderError, RateLimitedError } from '../../providers/errors.ts';
import type { Database } from '../db/client.ts';
import { connectedAccounts } from '../db/schema/index.ts';
import { recordEvent } from './account-events.ts';
import type { ConnectDeps } from './connect-account.ts';
import { type AccountRow, inspectConnection, recordInspection } from './manage-account.ts';
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

/** Accounts due for a check, in id order after `afterId`; cheap when nothing is due (index on next_check_at). */
export async function dueAccountIds(
  db: Database,
  input: { now: number; afterId?: string; limit: number },
): Promise<string[]> {
  const now = new Date(input.now);
  const rows = await db
    .select({ id: connectedAccounts.id })
    .from(connectedAccounts)
    .where(
      and(
        lte(connectedAccounts.nextCheckAt, now),
        inArray(connectedAccounts.status, [...CHECKED_STATUSES]),
        or(isNull(connectedAccounts.checkLeaseUntil), lt(connectedAccounts.checkLeaseUntil, now)),
        input.afterId ? gt(connectedAccounts.id, input.afterId) : undefined,
      ),
    )
    .orderBy(asc(connectedAccounts.id))
    .limit(input.limit);
  return rows.map((row) => row.id);
}

/** Exponential backoff without a counter: wait as long as the failures have lasted, within bounds. */
export function retryDelayMs(failingForMs: number, random: () => number = Math.random): number {
  const base = Math.min(KEEP_ALIVE.backoffMaxMs, Math.max(KEEP_ALIVE.backoffMinMs, failingForMs));
  return Math.round(base * (1 + KEEP_ALIVE.jitter * (2 * random() - 1)));
}

export type CheckOutcome = 'checked' | 'needs_reconnect' | 'retry_later' | 'skipped';

/**
 * Checks one account if no other worker is: refreshes or re-inspects its tokens and records the
 * result. Safe to run twice for the same account; the lease makes the second a no-op.
 */
export async function checkAccount(deps: ConnectDeps, accountId: string): Promise<CheckOutcome> {
  const now = deps.now();
  const [account] = await deps.db
    .update(connectedAccounts)
    .set({ checkLeaseUntil: new Date(now + KEEP_ALIVE.leaseMs) })
    .where(
      and(
        eq(connectedAccounts.id, accountId),
        inArray(connectedAccounts.status, [...CHECKED_STATUSES]),
        or(isNull(connectedAccounts.checkLeaseUntil), lt(connectedAccounts.checkLeaseUntil, new Date(now))),
      ),
    )
    .returning();
  if (!account) return 'skipped';
  try {
    const found = await inspectConnection(deps, account);
    const updated = await recordInspection(deps, account, found);
    return updated.status === 'needs_reconnect' ? 'needs_reconnect' : 'checked';
  } catch (error) {
    if (!(error instanceof ProviderError)) {
      await releaseLease(deps.db, account.id);
      throw error;
    }
    return recordFailure(deps, account, error);
  }
}

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
    if (givesUp) await notifyStatusChange(tx, account, { from: account.status, to: 'needs_reconnect' });
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
