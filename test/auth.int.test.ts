import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH_RATE_LIMIT } from '../src/server/routes/auth.ts';
import { createTestApp, ORIGIN, signUp, type TestApp } from './helpers/test-app.ts';

describe('app users (email + password, cookie sessions)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const signIn = (email: string, password: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in/email',
      headers: { origin: ORIGIN },
      payload: { email, password },
    });

  it('signs up with an HttpOnly, SameSite=Lax session cookie that authenticates requests', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-up/email',
      headers: { origin: ORIGIN },
      payload: { name: 'Ada', email: 'ada@example.com', password: 'correct horse battery' },
    });
    expect(response.statusCode).toBe(200);
    const [cookie] = response.cookies;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie?.secure).toBeFalsy();

    const headers = { cookie: `${cookie?.name}=${cookie?.value}` };
    const session = await t.app.inject({ method: 'GET', url: '/api/auth/get-session', headers });
    expect(session.json().user.email).toBe('ada@example.com');
    const me = await t.app.inject({ method: 'GET', url: '/api/me', headers });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ email: 'ada@example.com', name: 'Ada' });
  });

  it('signs in with the right password and refuses a wrong one with 401', async () => {
    await signUp(t.app, { email: 'grace@example.com', password: 'the right password' });
    const ok = await signIn('grace@example.com', 'the right password');
    expect(ok.statusCode).toBe(200);
    expect(ok.cookies.some((c) => c.name.endsWith('session_token'))).toBe(true);

    const wrong = await signIn('grace@example.com', 'the wrong password');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toEqual({ error: { code: 'INVALID_CREDENTIALS', message: expect.any(String) } });
    expect(wrong.cookies).toHaveLength(0);

    const unknown = await signIn('nobody@example.com', 'the right password');
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().error.code).toBe('INVALID_CREDENTIALS');
  });

  it('signs out: the old cookie stops working', async () => {
    const { cookie } = await signUp(t.app, { email: 'linus@example.com' });
    expect((await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie } })).statusCode).toBe(200);
    const out = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-out',
      headers: { cookie, origin: ORIGIN },
      payload: {},
    });
    expect(out.statusCode).toBe(200);
    const me = await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie } });
    expect(me.statusCode).toBe(401);
    expect(me.json().error.code).toBe('UNAUTHENTICATED');
  });

  it('rejects a second account with the same email, short passwords and bad emails with 4xx', async () => {
    await signUp(t.app, { email: 'taken@example.com' });
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-up/email',
      headers: { origin: ORIGIN },
      payload: { name: 'Again', email: 'taken@example.com', password: 'another long password' },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('EMAIL_TAKEN');

    const short = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-up/email',
      headers: { origin: ORIGIN },
      payload: { name: 'Short', email: 'short@example.com', password: 'short' },
    });
    expect(short.statusCode).toBe(400);
    expect(short.json().error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/short/i) });

    const badEmail = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-up/email',
      headers: { origin: ORIGIN },
      payload: { name: 'Bad', email: 'not-an-email', password: 'a long enough password' },
    });
    expect(badEmail.statusCode).toBe(400);
    expect(badEmail.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('refuses a cookie-authenticated sign-out from another origin', async () => {
    const { cookie } = await signUp(t.app, { email: 'csrf@example.com' });
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-out',
      headers: { cookie, origin: 'https://evil.example' },
      payload: {},
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe('FORBIDDEN');
  });
});

describe('auth rate limiting', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('answers 429 with a Retry-After once a client exceeds the limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i <= AUTH_RATE_LIMIT.max; i++) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/auth/sign-in/email',
        headers: { origin: ORIGIN },
        // One address per attempt: failures for one address are throttled on their own (login-hardening test).
        payload: { email: `someone-${i}@example.com`, password: 'whatever it is' },
      });
      statuses.push(response.statusCode);
      if (response.statusCode === 429) {
        expect(response.headers['retry-after']).toBeDefined();
        expect(response.json().error.code).toBe('RATE_LIMITED');
      }
    }
    expect(statuses.slice(0, AUTH_RATE_LIMIT.max).every((status) => status === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });
});
