import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DAY } from '../src/sandbox/core/clock.ts';
import type { TokenRecord } from '../src/sandbox/core/tokens.ts';
import { DEFAULT_WORKSPACE } from '../src/sandbox/seed.ts';
import { type DatabaseHandle, openDatabase } from '../src/server/db/client.ts';
import { accountEvents, connectedAccounts } from '../src/server/db/schema/index.ts';
import {
  type Connected,
  connectInstagramLogin,
  processEnvironment,
  signUpAndConnect,
  until,
} from './helpers/processes.ts';
import { instagramLoginEnv, type RunningSandbox, startSandbox } from './helpers/sandbox.ts';
import { type ServerProcess, startServer } from './helpers/server-process.ts';
import { onPostgres } from './helpers/test-database.ts';

/**
 * The token keep-alive across real Tether processes (`src/server/main.ts`), all pointed at one
 * external sandbox like a deployment pointed at Instagram, with an Instagram Login account
 * connected through HTTP.
 *
 * Tether reads real time and the sandbox a virtual clock. To make an account's token "two days
 * old and five days from expiry", the tests write that into its row (the only way to age a
 * token in a process that reads Date.now) and move the sandbox clock two days on, so that the
 * sandbox, which enforces Instagram's 24-hour refresh-age rule, agrees the token is old enough.
 * That is test setup, not a shortcut in the code under test.
 */

const CREATOR = DEFAULT_WORKSPACE.creatorInstagramId;
const REFRESH = 'ig.graph.refresh_access_token';

/** Connects the same account again (a reconnect): the same row, a new grant and token. */
async function connectAgain(server: ServerProcess, user: Connected) {
  expect(await connectInstagramLogin(server, user.cookie)).toBe(user.accountId);
}

/** `POST /api/connected-accounts/:id/refresh` with the API token: the status and the error code, if any. */
async function refreshNow(server: ServerProcess, user: Connected) {
  const response = await fetch(`${server.baseUrl}/api/connected-accounts/${user.accountId}/refresh`, {
    method: 'POST',
    headers: { authorization: `Bearer ${user.apiToken}` },
  });
  const body = (await response.json()) as {
    status?: string;
    lastRefreshedAt?: string | null;
    events?: Array<{ type: string }>;
    error?: { code: string };
  };
  return { status: response.status, body };
}

/** The Instagram Login long-lived tokens the sandbox has issued for the creator, oldest first. */
async function longLivedTokens(emulator: RunningSandbox): Promise<TokenRecord[]> {
  const tokens = await emulator.control.tokens(CREATOR);
  return tokens.filter((token) => token.longLived).sort((a, b) => a.issuedAt - b.issuedAt);
}

/** The bearer tokens Tether sent to `/me` (inspections) since request `since`, with their answers. */
async function inspections(emulator: RunningSandbox, since = 0) {
  const calls = await emulator.control.requests({ endpoint: 'ig.graph.me', since });
  return calls.map((call) => ({ token: call.headers.authorization?.replace(/^Bearer /, ''), status: call.status }));
}

/** The access token a refresh call was made with (Instagram takes it in the query). */
const refreshedWith = (path: string) => new URL(path, 'http://x').searchParams.get('access_token');

const lastRequestId = async (emulator: RunningSandbox) => (await emulator.control.requests()).at(-1)?.id ?? 0;

/** Ages the account's token in Tether's row and in the sandbox; see the comment at the top of the file. */
async function makeRefreshDue(db: DatabaseHandle['db'], emulator: RunningSandbox, accountId: string) {
  const now = Date.now();
  await db
    .update(connectedAccounts)
    .set({ tokenObtainedAt: new Date(now - 2 * DAY), tokenExpiresAt: new Date(now + 5 * DAY) })
    .where(eq(connectedAccounts.id, accountId));
  await emulator.control.advanceClock(2 * DAY);
}

async function accountRow(db: DatabaseHandle['db'], accountId: string) {
  const [row] = await db.select().from(connectedAccounts).where(eq(connectedAccounts.id, accountId));
  if (!row) throw new Error('account gone');
  return row;
}

describe.skipIf(!onPostgres)(
  'refresh triggers racing across two processes (PostgreSQL only: two processes cannot share the embedded database)',
  { timeout: 60_000 },
  () => {
    let emulator: RunningSandbox;
    let environment: Awaited<ReturnType<typeof processEnvironment>>;
    let database: DatabaseHandle;
    const servers: ServerProcess[] = [];

    beforeAll(async () => {
      emulator = await startSandbox();
      environment = await processEnvironment();
      const env = { ...environment.env, ...instagramLoginEnv(emulator) };
      // One after the other: the first start writes the development secrets into the shared
      // DATA_DIR, and both processes must encrypt with the same key.
      servers.push(await startServer(env));
      servers.push(await startServer(env));
      database = await openDatabase({
        databaseUrl: environment.env.DATABASE_URL,
        dataDir: environment.env.DATA_DIR ?? '',
      });
    });
    afterAll(async () => {
      for (const server of servers) if (server.child.exitCode === null) await server.stop('SIGKILL');
      await database?.close();
      await environment?.cleanup();
      await emulator?.close();
    });

    it('20 concurrent refresh triggers split across two processes make one provider refresh call; the newest token is stored', async () => {
      const [a, b] = servers as [ServerProcess, ServerProcess];
      const user = await signUpAndConnect(a, 'keep-alive@example.com');
      await makeRefreshDue(database.db, emulator, user.accountId);
      const [original] = await longLivedTokens(emulator);
      const since = await lastRequestId(emulator);

      // All 20 are in flight together, alternating between the two processes.
      const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => refreshNow(i % 2 ? b : a, user)));

      for (const answer of answers) {
        if (answer.status === 409) expect(answer.body.error?.code).toBe('ACCOUNT_BUSY');
        else expect(answer).toMatchObject({ status: 200, body: { status: 'active' } });
      }
      expect(answers.filter((answer) => answer.status === 200).length).toBeGreaterThanOrEqual(1);

      const refreshCalls = await emulator.control.requests({ endpoint: REFRESH, since });
      expect(refreshCalls).toHaveLength(1);
      expect(refreshCalls[0]?.status).toBe(200);
      expect(refreshedWith(refreshCalls[0]?.path ?? '')).toBe(original?.token);

      // The sandbox issued exactly one new token, from the original one.
      const tokens = await longLivedTokens(emulator);
      expect(tokens.map((token) => token.token)).toEqual([original?.token, expect.any(String)]);
      const newest = tokens.at(-1);
      expect(newest?.parent).toBe(original?.token);

      const row = await accountRow(database.db, user.accountId);
      expect(row).toMatchObject({ status: 'active', refreshCount: 1, checkLeaseUntil: null });
      const events = await database.db.select().from(accountEvents).where(eq(accountEvents.accountId, user.accountId));
      expect(events.filter((event) => event.type === 'refreshed')).toHaveLength(1);

      // The stored token is the newest: either process now inspects with it (the token is a
      // few seconds old, so "refresh now" only re-inspects), and the sandbox accepts it.
      const before = await lastRequestId(emulator);
      for (const server of [a, b]) expect(await refreshNow(server, user)).toMatchObject({ status: 200 });
      expect(await inspections(emulator, before)).toEqual([
        { token: newest?.token, status: 200 },
        { token: newest?.token, status: 200 },
      ]);
      expect(await emulator.control.requests({ endpoint: REFRESH, since })).toHaveLength(1);
    });
  },
);

/**
 * One Tether process at a time (PGlite allows no more), restarted on the same database and DATA_DIR.
 * On PGlite every change to the database from the test needs a restart, and a start takes 3–15 s
 * depending on the machine's load (the kill test starts Tether three times), hence the longer limit.
 */
describe('a refresh interrupted by a dead worker or a reconnect', { timeout: onPostgres ? 60_000 : 120_000 }, () => {
  let emulator: RunningSandbox;
  let environment: Awaited<ReturnType<typeof processEnvironment>>;
  let env: Record<string, string>;
  let server: ServerProcess | undefined;

  /** Opens the process's database from the test; on PGlite only while no Tether process holds it. */
  const withDatabase = async <T>(use: (db: DatabaseHandle['db']) => Promise<T>): Promise<T> => {
    const handle = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR ?? '', poolSize: 1 });
    try {
      return await use(handle.db);
    } finally {
      await handle.close();
    }
  };
  /** Changes the database under a running Tether: directly on PostgreSQL, around a clean restart on PGlite. */
  const whileRunning = async <T>(use: (db: DatabaseHandle['db']) => Promise<T>): Promise<T> => {
    if (onPostgres) return withDatabase(use);
    expect(await server?.stop('SIGTERM')).toBe(0);
    const result = await withDatabase(use);
    server = await startServer(env);
    return result;
  };

  beforeEach(async () => {
    emulator = await startSandbox();
    environment = await processEnvironment();
    env = { ...environment.env, ...instagramLoginEnv(emulator) };
    server = await startServer(env);
  });
  afterEach(async () => {
    if (server?.child.exitCode === null) await server.stop('SIGKILL');
    await environment?.cleanup();
    await emulator?.close();
  });

  it('loses no token: after a restart the account is active with a token the platform accepts', async () => {
    let tether = server as ServerProcess;
    const user = await signUpAndConnect(tether, 'keep-alive@example.com');
    await whileRunning((db) => makeRefreshDue(db, emulator, user.accountId));
    tether = server as ServerProcess;
    const [original] = await longLivedTokens(emulator);
    const since = await lastRequestId(emulator);

    // The refresh call is held 2 s by the sandbox; the process dies while it waits for the answer.
    await emulator.control.queueFault(REFRESH, { type: 'latency', ms: 2_000 });
    const trigger = refreshNow(tether, user).catch((error: Error) => error);
    // The fault is taken when the request reaches the sandbox: the refresh is under way.
    await until('the refresh request to reach the sandbox', () => emulator.sandbox.faults.pending().length === 0);
    await tether.stop('SIGKILL');
    expect(await trigger).toBeInstanceOf(Error);

    // The sandbox completes the refresh nobody is waiting for: a new token Tether never received.
    const orphan = await until('the sandbox to issue the refreshed token', async () =>
      (await longLivedTokens(emulator)).find((token) => token.parent === original?.token),
    );
    // Instagram does not invalidate a token when it refreshes it (reference §3.3; the sandbox
    // keeps it until its own expiry): the token Tether still holds is valid.
    const kept = (await emulator.control.tokens(CREATOR)).find((token) => token.token === original?.token);
    expect(kept?.revoked).toBeUndefined();
    expect(kept?.expiresAt).toBeGreaterThan(orphan.issuedAt);

    // The kill left the row as the claim wrote it: the old token's dates, no refresh, the lease
    // held, for KEEP_ALIVE.leaseMs (2 minutes) of real time. Moving the lease into the past
    // stands for those two minutes passing.
    const expireLease = (db: DatabaseHandle['db']) =>
      db
        .update(connectedAccounts)
        .set({ checkLeaseUntil: new Date(Date.now() - 1_000) })
        .where(eq(connectedAccounts.id, user.accountId));
    await withDatabase(async (db) => {
      const row = await accountRow(db, user.accountId);
      expect(row).toMatchObject({ status: 'active', refreshCount: 0, lastRefreshedAt: null });
      expect(row.checkLeaseUntil?.getTime()).toBeGreaterThan(Date.now());
      // On PGlite the database can only be changed while Tether is down, so the lease runs out now.
      if (!onPostgres) await expireLease(db);
    });
    server = await startServer(env);
    tether = server;
    if (onPostgres) {
      // Until then the dead process's lease keeps the restarted one off the account.
      expect(await refreshNow(tether, user)).toMatchObject({ status: 409, body: { error: { code: 'ACCOUNT_BUSY' } } });
      await withDatabase(expireLease);
    }

    // What is guaranteed: Tether still holds the token it had before the kill, and the platform
    // still accepts it. Being two days old and five from expiry, it is refreshed again (by "refresh
    // now" here; a background check would do the same), and that refresh is stored.
    const again = await refreshNow(tether, user);
    expect(again).toMatchObject({ status: 200, body: { status: 'active' } });
    expect(again.body.events?.[0]?.type).toBe('refreshed');
    // (The sandbox logs a request when it answers it, so the call whose caller died may be missing.)
    const refreshCalls = await emulator.control.requests({ endpoint: REFRESH, since });
    const last = refreshCalls.at(-1);
    expect([refreshedWith(last?.path ?? ''), last?.status]).toEqual([original?.token, 200]);
    const newest = (await longLivedTokens(emulator)).at(-1);
    expect(newest?.token).not.toBe(orphan.token);
    expect(newest?.parent).toBe(original?.token);

    // And the token it stored is accepted: the next "refresh now" inspects with it.
    const before = await lastRequestId(emulator);
    expect(await refreshNow(tether, user)).toMatchObject({ status: 200, body: { status: 'active' } });
    expect(await inspections(emulator, before)).toEqual([{ token: newest?.token, status: 200 }]);
    // The token that was issued to the dead process is never used.
    const used = await emulator.control.requests({ since });
    expect(JSON.stringify(used)).not.toContain(orphan.token);
  });

  it("a reconnect during a refresh keeps its token: the older grant's refreshed token does not replace it", async () => {
    let tether = server as ServerProcess;
    const user = await signUpAndConnect(tether, 'keep-alive@example.com');
    await whileRunning((db) => makeRefreshDue(db, emulator, user.accountId));
    tether = server as ServerProcess;
    const [original] = await longLivedTokens(emulator);
    const since = await lastRequestId(emulator);

    // The user connects the account again while a refresh of the old token waits for its answer.
    await emulator.control.queueFault(REFRESH, { type: 'latency', ms: 2_000 });
    const trigger = refreshNow(tether, user);
    await until('the refresh request to reach the sandbox', () => emulator.sandbox.faults.pending().length === 0);
    await connectAgain(tether, user);
    const reconnected = (await longLivedTokens(emulator)).at(-1);
    expect(reconnected?.parent).not.toBe(original?.token);

    // The refresh completes at the platform, but the account changed meanwhile: its result is dropped.
    expect(await trigger).toMatchObject({ status: 200, body: { status: 'active', lastRefreshedAt: null } });
    const refreshCalls = await emulator.control.requests({ endpoint: REFRESH, since });
    expect(refreshCalls.map((call) => [refreshedWith(call.path), call.status])).toEqual([[original?.token, 200]]);
    expect((await longLivedTokens(emulator)).at(-1)?.parent).toBe(original?.token);

    const before = await lastRequestId(emulator);
    expect(await refreshNow(tether, user)).toMatchObject({ status: 200, body: { status: 'active' } });
    expect(await inspections(emulator, before)).toEqual([{ token: reconnected?.token, status: 200 }]);
  });
});
