import { eq } from 'drizzle-orm';
import { PgBoss } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_WORKSPACE } from '../src/sandbox/seed.ts';
import { type DatabaseHandle, openDatabase } from '../src/server/db/client.ts';
import { apiTokens, connectedAccounts } from '../src/server/db/schema/index.ts';
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
 * The read cache across real processes: `reader` (ROLE=web) answers every read, and everything
 * that changes what it caches happens in `writer` (ROLE=all: its HTTP API and its job workers)
 * or straight in the database. Each change is awaited until it has committed, and the very next
 * read from the reader must show it, whatever the reader held in memory.
 */
describe.skipIf(!onPostgres)(
  'the read cache across processes (PostgreSQL only: two processes cannot share the embedded database)',
  { timeout: 90_000 },
  () => {
    let emulator: RunningSandbox;
    let environment: Awaited<ReturnType<typeof processEnvironment>>;
    let database: DatabaseHandle;
    let reader: ServerProcess;
    let writer: ServerProcess;
    let user: Connected;

    const get = (server: ServerProcess, path: string, headers: Record<string, string>) =>
      fetch(`${server.baseUrl}${path}`, { headers });
    const readList = async (auth: Record<string, string> = { authorization: `Bearer ${user.apiToken}` }) => {
      const response = await get(reader, '/api/connected-accounts', auth);
      return {
        status: response.status,
        accounts: response.ok
          ? ((await response.json()) as { accounts: Array<{ id: string; status: string }> }).accounts
          : [],
      };
    };
    const onWriter = (method: string, path: string, headers: Record<string, string>, body?: unknown) =>
      fetch(`${writer.baseUrl}${path}`, {
        method,
        headers: { origin: writer.baseUrl, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
        body: body ? JSON.stringify(body) : undefined,
      });
    const createToken = async (cookie: string) => {
      const response = await onWriter('POST', '/api/api-tokens', { cookie }, { name: 'cache test' });
      expect(response.status).toBe(201);
      const { token, secret } = (await response.json()) as { token: { id: string }; secret: string };
      return { id: token.id, secret };
    };
    const status = async (accountId: string) => {
      const [row] = await database.db.select().from(connectedAccounts).where(eq(connectedAccounts.id, accountId));
      return row?.status;
    };

    beforeAll(async () => {
      emulator = await startSandbox();
      environment = await processEnvironment();
      const env = { ...environment.env, ...instagramLoginEnv(emulator) };
      // One after the other: the first start writes the development secrets both must share.
      writer = await startServer({ ...env, ROLE: 'all' });
      reader = await startServer({ ...env, ROLE: 'web' });
      database = await openDatabase({ databaseUrl: environment.env.DATABASE_URL, dataDir: '', poolSize: 2 });
      user = await signUpAndConnect(writer, 'processes@example.com');
    });
    afterAll(async () => {
      for (const server of [reader, writer]) if (server?.child.exitCode === null) await server.stop('SIGKILL');
      await database?.close();
      await environment?.cleanup();
      await emulator?.close();
    });

    it('shows a status change made by a worker, a reconnect and a disconnect made by another process', async () => {
      expect(await readList()).toEqual({ status: 200, accounts: [expect.objectContaining({ status: 'active' })] });

      // The worker's check finds the grant revoked: the writer's job worker writes needs_reconnect.
      emulator.sandbox.tokens.revokeSubject(
        { subjectId: DEFAULT_WORKSPACE.creatorInstagramId },
        { subcode: 460, message: 'password changed' },
      );
      await database.db
        .update(connectedAccounts)
        .set({ nextCheckAt: new Date(Date.now() - 60_000) })
        .where(eq(connectedAccounts.id, user.accountId));
      expect((await readList()).accounts).toMatchObject([{ status: 'active' }]);
      const boss = new PgBoss({ connectionString: environment.env.DATABASE_URL, supervise: false, schedule: false });
      await boss.start();
      await boss.send('account-check', { accountId: user.accountId });
      await boss.stop({ graceful: false });
      await until('the worker to mark the account', async () => (await status(user.accountId)) === 'needs_reconnect');
      expect((await readList()).accounts).toMatchObject([{ id: user.accountId, status: 'needs_reconnect' }]);

      expect(await connectInstagramLogin(writer, user.cookie)).toBe(user.accountId);
      expect((await readList()).accounts).toMatchObject([{ id: user.accountId, status: 'active' }]);

      const disconnect = await onWriter('DELETE', `/api/connected-accounts/${user.accountId}`, {
        authorization: `Bearer ${user.apiToken}`,
      });
      expect(disconnect.status).toBe(204);
      expect(await readList()).toEqual({ status: 200, accounts: [] });
    });

    it('refuses a token revoked or narrowed elsewhere, a session signed out elsewhere, and a deleted user', async () => {
      const revoked = await createToken(user.cookie);
      const narrowed = await createToken(user.cookie);
      for (const token of [revoked, narrowed])
        expect((await readList({ authorization: `Bearer ${token.secret}` })).status).toBe(200);

      expect((await onWriter('DELETE', `/api/api-tokens/${revoked.id}`, { cookie: user.cookie })).status).toBe(204);
      expect((await readList({ authorization: `Bearer ${revoked.secret}` })).status).toBe(401);

      await database.db
        .update(apiTokens)
        .set({ scopes: ['posts:write'] })
        .where(eq(apiTokens.id, narrowed.id));
      expect((await readList({ authorization: `Bearer ${narrowed.secret}` })).status).toBe(403);

      const signIn = await onWriter(
        'POST',
        '/api/auth/sign-in/email',
        {},
        { email: 'processes@example.com', password: 'a long enough password' },
      );
      const cookie = signIn.headers.getSetCookie()[0]?.split(';')[0] ?? '';
      expect((await readList({ cookie })).status).toBe(200);
      expect((await onWriter('POST', '/api/auth/sign-out', { cookie })).status).toBe(200);
      expect((await readList({ cookie })).status).toBe(401);

      expect((await readList()).status).toBe(200);
      const deleted = await onWriter(
        'DELETE',
        '/api/me',
        { cookie: user.cookie },
        { password: 'a long enough password' },
      );
      expect(deleted.status).toBe(200);
      expect((await readList()).status).toBe(401);
    });
  },
);
