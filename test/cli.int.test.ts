import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/server/app.ts';
import { loadConfig } from '../src/server/config.ts';
import { openDatabase } from '../src/server/db/client.ts';
import { connectedAccounts, user } from '../src/server/db/schema/index.ts';
import { createLogger } from '../src/server/logger.ts';
import { Keyring } from '../src/server/vault/keyring.ts';
import { Secret } from '../src/server/vault/secret.ts';
import { Vault } from '../src/server/vault/vault.ts';
import { processEnvironment, runNode } from './helpers/processes.ts';

// Every step starts a Node process that opens the database: slow on a busy machine, so a generous bound.
describe('admin CLI', { timeout: 60_000 }, () => {
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;
  const cli = (args: string[], input?: string) => runNode('src/cli/main.ts', args, env, input);

  beforeAll(async () => {
    ({ env, cleanup } = await processEnvironment());
  });
  afterAll(() => cleanup());

  it('creates a user, then a token that prints alone and authenticates as that user', async () => {
    const created = await cli(['users', 'create', '--email', 'Ops@Example.com', '--password', 'a strong password']);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/^created user ops@example\.com/);

    const token = await cli(['tokens', 'create', '--email', 'ops@example.com', '--name', 'deploy']);
    expect(token.code, token.stderr).toBe(0);
    expect(token.stdout).toMatch(/^tth_[A-Za-z0-9_-]{43}\n$/);

    const { config } = loadConfig({ ...env, NODE_ENV: 'test' });
    const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    const app = await buildApp({
      config,
      database,
      logger: createLogger('silent'),
      webRoot: path.join(config.dataDir, 'none'),
    });
    try {
      const me = await app.inject({
        method: 'GET',
        url: '/api/me',
        headers: { authorization: `Bearer ${token.stdout.trim()}` },
      });
      expect(me.json()).toMatchObject({ email: 'ops@example.com' });
    } finally {
      await app.close();
      await database.close();
    }
  });

  it('reads the password from stdin and prints JSON with --json', async () => {
    const created = await cli(['--json', 'users', 'create', '--email', 'stdin@example.com'], 'piped password 123\n');
    expect(created.code, created.stderr).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ email: 'stdin@example.com', id: expect.any(String) });

    const token = await cli(['--json', 'tokens', 'create', '--email', 'stdin@example.com']);
    expect(JSON.parse(token.stdout)).toMatchObject({ token: { name: 'cli', prefix: expect.stringMatching(/^tth_/) } });

    const accounts = await cli(['--json', 'accounts', 'list']);
    expect(accounts.code).toBe(0);
    expect(JSON.parse(accounts.stdout)).toEqual([]);

    const jobs = await cli(['--json', 'jobs', 'list']);
    expect(jobs.code, jobs.stderr).toBe(0);
    expect(Array.isArray(JSON.parse(jobs.stdout))).toBe(true);
  });

  it('keys rotate re-encrypts stored credentials under the new first key', async () => {
    const { config } = loadConfig({ ...env, NODE_ENV: 'test' });
    const [devKey] = config.tokenEncryptionKeys;
    if (!devKey) throw new Error('no development key');
    const asEnv = (key: { id: string; key: Buffer }) => `${key.id}:${key.key.toString('base64')}`;
    const newKey = { id: 'rotated', key: randomBytes(32) };

    const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    const [owner] = await database.db.select({ id: user.id }).from(user).where(eq(user.email, 'ops@example.com'));
    const [account] = await database.db
      .insert(connectedAccounts)
      .values({ userId: owner?.id ?? '', provider: 'instagram', externalId: '17841400000009999' })
      .returning({ id: connectedAccounts.id });
    const accountId = account?.id ?? '';
    await new Vault(new Keyring([devKey])).store(database.db, {
      accountId,
      kind: 'user_access',
      secret: new Secret('EAAB-cli-rotation'),
    });
    await database.close();

    const rotate = await runNode('src/cli/main.ts', ['--json', 'keys', 'rotate'], {
      ...env,
      TOKEN_ENCRYPTION_KEYS: `${asEnv(newKey)},${asEnv(devKey)}`,
    });
    expect(rotate.code, rotate.stderr).toBe(0);
    expect(JSON.parse(rotate.stdout)).toMatchObject({
      currentKeyId: 'rotated',
      reencrypted: 1,
      unreadable: [],
      keys: [{ keyId: 'rotated', credentials: 1 }],
    });

    const onlyNew = { ...env, TOKEN_ENCRYPTION_KEYS: asEnv(newKey) };
    const status = await runNode('src/cli/main.ts', ['--json', 'keys', 'status'], onlyNew);
    expect(JSON.parse(status.stdout)).toEqual([{ keyId: 'rotated', credentials: 1 }]);
    const reopened = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    try {
      const secret = await new Vault(new Keyring([newKey])).read(reopened.db, accountId, 'user_access');
      expect(secret?.reveal()).toBe('EAAB-cli-rotation');
    } finally {
      await reopened.close();
    }

    const badBatch = await runNode('src/cli/main.ts', ['keys', 'rotate', '--batch-size', '0'], onlyNew);
    expect(badBatch.code).toBe(1);
    expect(badBatch.stderr).toContain('--batch-size: expected a positive integer');
  });

  it('fails with a clear message and exit code 1', async () => {
    const unknownUser = await cli(['tokens', 'create', '--email', 'nobody@example.com']);
    expect(unknownUser.code).toBe(1);
    expect(unknownUser.stderr).toBe('error: no user with email nobody@example.com\n');

    const duplicate = await cli(['users', 'create', '--email', 'ops@example.com', '--password', 'a strong password']);
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toMatch(/^error: .*already exists/i);

    const weak = await cli(['--json', 'users', 'create', '--email', 'weak@example.com', '--password', 'short']);
    expect(weak.code).toBe(1);
    expect(JSON.parse(weak.stderr).error.message).toMatch(/short/i);

    const missing = await cli(['tokens', 'create']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("required option '--email <email>' not specified");
  });

  // Five commands: a bound of its own on a busy machine.
  it('the first user is admin; admin grant, revoke and list change and show who else is', {
    timeout: 150_000,
  }, async () => {
    const emails = async () => {
      const listed = await cli(['--json', 'admin', 'list']);
      expect(listed.code, listed.stderr).toBe(0);
      return JSON.parse(listed.stdout).map((row: { email: string }) => row.email);
    };
    expect(await emails()).toEqual(['ops@example.com']);

    const granted = await cli(['admin', 'grant', 'Stdin@Example.com']);
    expect(granted.code, granted.stderr).toBe(0);
    expect(granted.stdout).toBe('stdin@example.com is now an admin\n');

    const revoked = await cli(['--json', 'admin', 'revoke', 'ops@example.com']);
    expect(JSON.parse(revoked.stdout)).toMatchObject({ email: 'ops@example.com', isAdmin: false });
    expect(await emails()).toEqual(['stdin@example.com']);

    const unknown = await cli(['admin', 'grant', 'nobody@example.com']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe('error: no user with email nobody@example.com\n');
  });
});
