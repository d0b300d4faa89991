import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, ORIGIN, type TestApp } from './helpers/test-app.ts';

describe('logs never contain secrets', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('keeps passwords, API tokens, session cookies and OAuth codes out of the log', async () => {
    const password = 'PASSWORD-canary-8c1f2e';
    const signUp = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-up/email',
      headers: { origin: ORIGIN },
      payload: { name: 'Logged', email: 'logged@example.com', password },
    });
    expect(signUp.statusCode).toBe(200);
    const sessionCookie = signUp.cookies[0]?.value ?? '';
    const cookie = `${signUp.cookies[0]?.name}=${sessionCookie}`;
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in/email',
      headers: { origin: ORIGIN },
      payload: { email: 'logged@example.com', password: `${password}-wrong` },
    });
    expect(wrong.statusCode).toBe(401);

    const created = await t.app.inject({
      method: 'POST',
      url: '/api/api-tokens',
      headers: { cookie, origin: ORIGIN },
      payload: { name: 'log-test' },
    });
    const { secret } = created.json() as { secret: string };
    const used = await t.app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${secret}` } });
    expect(used.statusCode).toBe(200);
    const bogus = await t.app.inject({
      method: 'GET',
      url: '/api/me',
      headers: { authorization: 'Bearer tth_CANARYbogus' },
    });
    expect(bogus.statusCode).toBe(401);

    const code = 'OAUTHCODE-canary-77';
    await t.app.inject({
      method: 'GET',
      url: `/api/oauth/callback/instagram?code=${code}&state=abc&access_token=AT-canary`,
    });
    // A handler that logs a request body or a credential-shaped object is redacted too.
    t.app.log.info({ body: { password, nested: { accessToken: 'AT-canary-2', refresh_token: 'RT-canary' } } }, 'probe');

    const log = t.logs.join('');
    expect(log).toContain('/api/api-tokens');
    expect(log).toContain('probe');
    for (const secretValue of [password, secret, sessionCookie, 'tth_CANARYbogus', code, 'AT-canary', 'RT-canary']) {
      expect(log).not.toContain(secretValue);
    }
  });
});
