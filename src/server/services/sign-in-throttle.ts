import { createHash } from 'node:crypto';
import { and, desc, eq, gt, lt } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { signInFailures } from '../db/schema/index.ts';

/** After this many failed sign-ins for one email within the window, further attempts are refused. */
export const SIGN_IN_THROTTLE = { maxFailures: 5, windowMs: 15 * 60_000 } as const;

const emailHash = (email: string) => createHash('sha256').update(email.trim().toLowerCase()).digest('hex');

/**
 * Seconds until sign-in for this email may be tried again, or null when it may be now. Attempts
 * refused here are not counted, so the wait ends when the oldest of the latest failures leaves the window.
 */
export async function signInRetryAfter(db: Database, email: string, now = Date.now()): Promise<number | null> {
  const recent = await db
    .select({ at: signInFailures.createdAt })
    .from(signInFailures)
    .where(
      and(
        eq(signInFailures.emailHash, emailHash(email)),
        gt(signInFailures.createdAt, new Date(now - SIGN_IN_THROTTLE.windowMs)),
      ),
    )
    .orderBy(desc(signInFailures.createdAt))
    .limit(SIGN_IN_THROTTLE.maxFailures);
  const oldest = recent[SIGN_IN_THROTTLE.maxFailures - 1];
  if (!oldest) return null;
  return Math.max(1, Math.ceil((oldest.at.getTime() + SIGN_IN_THROTTLE.windowMs - now) / 1000));
}

export async function recordSignInFailure(db: Database, email: string): Promise<void> {
  await db.insert(signInFailures).values({ emailHash: emailHash(email) });
}

/** A successful sign-in starts the count again. */
export async function clearSignInFailures(db: Database, email: string): Promise<void> {
  await db.delete(signInFailures).where(eq(signInFailures.emailHash, emailHash(email)));
}

/** Deletes failures that no longer count; returns how many. */
export async function pruneSignInFailures(db: Database, now = Date.now()): Promise<number> {
  const deleted = await db
    .delete(signInFailures)
    .where(lt(signInFailures.createdAt, new Date(now - SIGN_IN_THROTTLE.windowMs)))
    .returning({ id: signInFailures.id });
  return deleted.length;
}
