import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import type { PgBoss } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/server/config.ts';
import type { DatabaseHandle } from '../src/server/db/client.ts';
import { connectAttempts, oauthFlows, session, user } from '../src/server/db/schema/index.ts';
import { cleanupExpiredSessions } from '../src/server/jobs/cleanup-expired-sessions.ts';
import { startJobs } from '../src/server/jobs/runner.ts';
import { inTransaction } from '../src/server/jobs/transactional.ts';
import { createLogger } from '../src/server/logger.ts';
import { createConnectDeps } from '../src/server/services/connect-deps.ts';
import type { Ciphertext } from '../src/server/vault/keyring.ts';
import { openTestDatabase } from './helpers/test-database.ts';

const HOUR = 60 * 60 * 1000;

async function waitFor(check: () => Promise<boolean>, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('condition not met in time');
}

describe('background jobs (pg-boss on the app database)', () => {
  let database: DatabaseHandle;
  let boss: PgBoss;
  beforeAll(async () => {
    database = await openTestDatabase();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tether-jobs-'));
    const { config } = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir });
    const logger = createLogger('silent');
    const connections = createConnectDeps({ config, db: database.db, log: logger });
    boss = await startJobs({ database, role: 'all', logger, connections });
  });
  afterAll(async () => {
    await boss.stop({ graceful: true, close: true, timeout: 5_000 });
    await database.close();
  });

  it('schedules the session clean-up and runs it: expired sessions go, live ones stay', async () => {
    const schedules = await boss.getSchedules();
    expect(schedules.map((schedule) => schedule.name)).toContain(cleanupExpiredSessions.name);

    await database.db.insert(user).values({ id: 'u1', name: 'U', email: 'u1@example.com' });
    await database.db.insert(session).values([
      { id: 's-old', token: 'old', userId: 'u1', expiresAt: new Date(Date.now() - HOUR) },
      { id: 's-live', token: 'live', userId: 'u1', expiresAt: new Date(Date.now() + HOUR) },
    ]);
    const jobId = await boss.send(cleanupExpiredSessions.name, {});
    expect(jobId).toBeTruthy();

    await waitFor(async () => (await boss.getJobById(cleanupExpiredSessions.name, jobId ?? ''))?.state === 'completed');
    const remaining = await database.db.select({ id: session.id }).from(session).where(eq(session.userId, 'u1'));
    expect(remaining.map((row) => row.id)).toEqual(['s-live']);
  });

  /** Stands in for an encrypted token: the job never decrypts it. */
  const CIPHERTEXT = 'v1.k.iv.ciphertext' as Ciphertext;

  it('erases the tokens of connect flows abandoned in the picker once they expire, the flows a day later, their outcomes after 30 days', async () => {
    await database.db.insert(user).values({ id: 'u2', name: 'U', email: 'u2@example.com' });
    const flow = (id: string, expiresAt: Date) => ({
      id,
      stateHash: `hash-${id}`,
      userId: 'u2',
      provider: 'linkedin_org' as const,
      status: 'selecting' as const,
      expiresAt,
      userToken: CIPHERTEXT,
      refreshToken: CIPHERTEXT,
    });
    const [live, expired, old] = [randomUUID(), randomUUID(), randomUUID()];
    await database.db
      .insert(oauthFlows)
      .values([
        flow(live, new Date(Date.now() + HOUR)),
        flow(expired, new Date(Date.now() - HOUR)),
        flow(old, new Date(Date.now() - 25 * HOUR)),
      ]);
    const attempt = (id: string, hoursAgo: number) => ({
      id,
      userId: 'u2',
      provider: 'linkedin_org' as const,
      startedAt: new Date(Date.now() - hoursAgo * HOUR),
    });
    await database.db.insert(connectAttempts).values([attempt(live, 29 * 24), attempt(old, 31 * 24)]);
    const jobId = await boss.send(cleanupExpiredSessions.name, {});
    await waitFor(async () => (await boss.getJobById(cleanupExpiredSessions.name, jobId ?? ''))?.state === 'completed');
    const attempts = await database.db.select({ id: connectAttempts.id }).from(connectAttempts);
    expect(attempts).toEqual([{ id: live }]);
    const rows = await database.db
      .select({ id: oauthFlows.id, userToken: oauthFlows.userToken, refreshToken: oauthFlows.refreshToken })
      .from(oauthFlows)
      .where(eq(oauthFlows.userId, 'u2'));
    expect(rows.find((row) => row.id === live)).toMatchObject({ userToken: CIPHERTEXT });
    expect(rows.find((row) => row.id === expired)).toEqual({ id: expired, userToken: null, refreshToken: null });
    expect(rows.some((row) => row.id === old)).toBe(false);
  });

  it('enqueues a job in the same transaction as the rows it is about: rolled back, neither exists', async () => {
    const queue = cleanupExpiredSessions.name;
    const rollback = new Error('roll back');
    await expect(
      database.db.transaction(async (tx) => {
        await tx.insert(user).values({ id: 'u-tx', name: 'T', email: 'tx@example.com' });
        const id = await boss.send(queue, { marker: 'rolled-back' }, { db: inTransaction(tx), startAfter: 3600 });
        expect(id).toBeTruthy();
        throw rollback;
      }),
    ).rejects.toBe(rollback);
    const committedId = await database.db.transaction((tx) =>
      boss.send(queue, { marker: 'committed' }, { db: inTransaction(tx), startAfter: 3600 }),
    );
    const queued = await boss.findJobs(queue, { queued: true });
    expect(queued.map((job) => (job.data as { marker?: string }).marker)).toEqual(['committed']);
    expect(queued[0]?.id).toBe(committedId);
    expect(await database.db.select().from(user).where(eq(user.id, 'u-tx'))).toEqual([]);
  });
});
