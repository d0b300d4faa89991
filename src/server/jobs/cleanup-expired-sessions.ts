import { lt } from 'drizzle-orm';
import { z } from 'zod';
import { session, verification } from '../db/schema/index.ts';
import { pruneSignInFailures } from '../services/sign-in-throttle.ts';
import { defineJob } from './job.ts';

/**
 * Deletes sessions and verification tokens past their expiry, which better-auth leaves behind,
 * and failed sign-ins that no longer count towards throttling.
 */
export const cleanupExpiredSessions = defineJob({
  name: 'cleanup-expired-sessions',
  payload: z.object({}),
  cron: '17 * * * *',
  queue: { retryLimit: 3, retryBackoff: true },
  async handle(_payload, { db, log }) {
    const now = new Date();
    const sessions = await db.delete(session).where(lt(session.expiresAt, now)).returning({ id: session.id });
    const verifications = await db
      .delete(verification)
      .where(lt(verification.expiresAt, now))
      .returning({ id: verification.id });
    const signInFailures = await pruneSignInFailures(db, now.getTime());
    log.info(
      { sessions: sessions.length, verifications: verifications.length, signInFailures },
      'expired sessions removed',
    );
  },
});
