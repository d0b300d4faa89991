import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/server/app.ts';
import { loadConfig } from '../src/server/config.ts';
import { openDatabase } from '../src/server/db/client.ts';
import { createLogger } from '../src/server/logger.ts';
import { processEnvironment, runNode } from './helpers/processes.ts';

describe('admin CLI', () => {
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
});
