import { afterEach, describe, expect, it } from 'vitest';
import { jpeg } from './helpers/fixtures.ts';
import { processEnvironment, runNode, signUpAndConnect, until } from './helpers/processes.ts';
import { instagramLoginEnv, startSandbox } from './helpers/sandbox.ts';
import { type ServerProcess, startServer } from './helpers/server-process.ts';
import { onPostgres } from './helpers/test-database.ts';

const json = (response: Response) => response.json() as Promise<Record<string, unknown>>;

describe('the server process', { timeout: 60_000 }, () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  const environment = async () => {
    const environment = await processEnvironment();
    cleanups.push(environment.cleanup);
    return environment.env;
  };
  const start = async (env: Record<string, string>) => {
    const server = await startServer(env);
    cleanups.push(async () => {
      if (server.child.exitCode === null) await server.stop('SIGKILL');
    });
    return server;
  };

  it('publishes a post that fell due while it was stopped on the first attempt, once it serves its media', async () => {
    // A platform that outlives the restarts (the mounted sandbox would restart with Tether). The
    // post is prepared at its time, not ahead, so the run at start-up has the platform fetch the image.
    const emulator = await startSandbox();
    cleanups.push(() => emulator.close());
    const env = { ...(await environment()), ...instagramLoginEnv(emulator), PUBLISH_PREPARE_AHEAD_MINUTES: '0' };
    let server = await start(env);
    const { apiToken, accountId } = await signUpAndConnect(server, 'due-at-start@example.com');
    const auth = { authorization: `Bearer ${apiToken}` };
    const form = new FormData();
    form.set('file', new Blob([await jpeg(1080, 1080)], { type: 'image/jpeg' }), 'due.jpg');
    const upload = await fetch(`${server.baseUrl}/api/media`, { method: 'POST', headers: auth, body: form });
    expect(upload.status).toBe(201);
    const mediaId = ((await upload.json()) as { id: string }).id;
    const scheduledAt = new Date(Date.now() + 3_000);
    const created = await fetch(`${server.baseUrl}/api/posts`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        caption: 'Due while down',
        mediaIds: [mediaId],
        scheduledAt: scheduledAt.toISOString(),
        targets: [{ accountId }],
      }),
    });
    expect(created.status).toBe(201);
    const postId = ((await created.json()) as { id: string }).id;
    expect(await server.stop('SIGTERM')).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, scheduledAt.getTime() + 500 - Date.now()));

    server = await start(env);
    const target = await until(
      'the post to settle',
      async () => {
        const post = await json(await fetch(`${server.baseUrl}/api/posts/${postId}`, { headers: auth }));
        const [first] = post.targets as Array<{ status: string; attempts: number; error: unknown }>;
        return first && ['published', 'failed'].includes(first.status) ? first : undefined;
      },
      20_000,
    );
    // Workers that started before the server listened would have found the media unreachable.
    expect(target).toMatchObject({ status: 'published', attempts: 0, error: null });
  });

  it('starts on defaults, shuts down cleanly on SIGTERM and SIGINT, and keeps data across restarts', async () => {
    const env = await environment();
    let server: ServerProcess = await start(env);
    expect(server.output()).toContain('generated development secrets');

    const origin = { origin: server.baseUrl, 'content-type': 'application/json' };
    const signUp = await fetch(`${server.baseUrl}/api/auth/sign-up/email`, {
      method: 'POST',
      headers: origin,
      body: JSON.stringify({ name: 'Restart', email: 'restart@example.com', password: 'survives restarts' }),
    });
    expect(signUp.status).toBe(200);
    const cookie = signUp.headers.getSetCookie()[0]?.split(';')[0] ?? '';
    const created = await fetch(`${server.baseUrl}/api/api-tokens`, {
      method: 'POST',
      headers: { ...origin, cookie },
      body: JSON.stringify({ name: 'kept' }),
    });
    const { secret } = (await json(created)) as { secret: string };

    expect(await server.stop('SIGTERM')).toBe(0);
    expect(server.output()).toContain('stopped cleanly');

    server = await start(env);
    expect(server.output()).not.toContain('generated development secrets');
    const me = await fetch(`${server.baseUrl}/api/me`, { headers: { authorization: `Bearer ${secret}` } });
    expect(await json(me)).toMatchObject({ email: 'restart@example.com' });
    const session = await fetch(`${server.baseUrl}/api/me`, { headers: { cookie } });
    expect(session.status).toBe(200);
    const signIn = await fetch(`${server.baseUrl}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { origin: server.baseUrl, 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'restart@example.com', password: 'survives restarts' }),
    });
    expect(signIn.status).toBe(200);
    expect(await server.stop('SIGINT')).toBe(0);
  });

  it.skipIf(onPostgres)('refuses to open an embedded database that another process is using', async () => {
    const env = await environment();
    await start(env);
    const second = await runNode('src/server/main.ts', [], { ...env, PORT: '0' });
    expect(second.code).toBe(1);
    expect(second.stdout + second.stderr).toMatch(/is in use by process \d+/);
  });

  it('refuses to start in production without TOKEN_ENCRYPTION_KEYS, naming the variable', async () => {
    const env = await environment();
    const result = await runNode('src/server/main.ts', [], {
      ...env,
      NODE_ENV: 'production',
      AUTH_SECRET: 'a-production-secret-that-is-long-enough',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('TOKEN_ENCRYPTION_KEYS must be set when NODE_ENV=production');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('reports an invalid variable in one line and exits', async () => {
    const env = await environment();
    const result = await runNode('src/server/main.ts', [], { ...env, PORT: 'http' });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toMatch(/^Invalid configuration: PORT: /);
  });
});
