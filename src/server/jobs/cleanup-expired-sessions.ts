import { and, isNotNull, lt, or } from 'drizzle-orm';
import { z } from 'zod';
import { ADMIN_WINDOWS } from '../../contracts/admin.ts';
import { connectAttempts, oauthFlows, session, verification } from '../db/schema/index.ts';
import { pruneSignInFailures } from '../services/sign-in-throttle.ts';
import { defineJob } from './job.ts';

/** How long an ended connect flow stays, so its picker page can still say it expired. */
const FLOW_KEPT_MS = 24 * 60 * 60_000;
/** How long the outcome of a connect attempt is kept: the admin view's longest window. */
const ATTEMPTS_KEPT_MS = Math.max(...Object.values(ADMIN_WINDOWS)) * 60 * 60_000;

/**
 * Deletes sessions and verification tokens past their expiry, which better-auth leaves behind,
 * failed sign-ins that no longer count towards throttling, and connect flows: the tokens of a
 * flow abandoned in the picker are erased once it expires, the row a day later; connect attempts
 * once the admin view no longer shows them.
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
    const flowTokens = await db
      .update(oauthFlows)
      .set({ userToken: null, refreshToken: null })
      .where(
        and(lt(oauthFlows.expiresAt, now), or(isNotNull(oauthFlows.userToken), isNotNull(oauthFlows.refreshToken))),
      )
      .returning({ id: oauthFlows.id });
    const flows = await db
      .delete(oauthFlows)
      .where(lt(oauthFlows.expiresAt, new Date(now.getTime() - FLOW_KEPT_MS)))
      .returning({ id: oauthFlows.id });
    const attempts = await db
      .delete(connectAttempts)
      .where(lt(connectAttempts.startedAt, new Date(now.getTime() - ATTEMPTS_KEPT_MS)))
      .returning({ id: connectAttempts.id });
    log.info(
      {
        sessions: sessions.length,
        verifications: verifications.length,
        signInFailures,
        flowTokensErased: flowTokens.length,
        flows: flows.length,
        connectAttempts: attempts.length,
      },
      'expired sessions removed',
    );
  },
});
