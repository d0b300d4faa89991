import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInFailures } from '../src/server/db/schema/index.ts';
import { SIGN_IN_THROTTLE } from '../src/server/services/sign-in-throttle.ts';
import { createTestApp, ORIGIN, signUp, type TestApp } from './helpers/test-app.ts';

const PASSWORD = 'a long enough password';

describe('sign-in throttling per email address', () => {
  let t: TestApp;
  const signIn = (email: string, password: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in/email',
      headers: { origin: ORIGIN },
      payload: { email, password },
    });

  beforeAll(async () => {
    t = await createTestApp();
    await signUp(t.app, { email: 'target@example.com', password: PASSWORD });
    await signUp(t.app, { email: 'neighbour@example.com', password: PASSWORD });
  });
  afterAll(() => t.close());

  it(`refuses sign-in for an email after ${SIGN_IN_THROTTLE.maxFailures} failures with 429 and Retry-After, whatever the password`, async () => {
    for (let attempt = 0; attempt < SIGN_IN_THROTTLE.maxFailures; attempt++) {
      const wrong = await signIn('Target@example.com', `wrong password ${attempt}`);
      expect(wrong.statusCode).toBe(401);
      expect(wrong.json().error.code).toBe('INVALID_CREDENTIALS');
    }
    const right = await signIn('target@example.com', PASSWORD);
    expect(right.statusCode).toBe(429);
    expect(right.json().error.code).toBe('RATE_LIMITED');
    const retryAfter = Number(right.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(SIGN_IN_THROTTLE.windowMs / 1000 - 60);
    expect(retryAfter).toBeLessThanOrEqual(SIGN_IN_THROTTLE.windowMs / 1000);
    // An address without an account is throttled the same way, so the answer tells nothing.
    // Other addresses are not affected.
    expect((await signIn('neighbour@example.com', PASSWORD)).statusCode).toBe(200);

    // Kept in the database (so every process sees it), as hashes only.
    const rows = await t.app.db.select().from(signInFailures);
    expect(rows).toHaveLength(SIGN_IN_THROTTLE.maxFailures);
    expect(JSON.stringify(rows)).not.toContain('target');

    // Once the failures leave the window, the right password works and the count starts again.
    await t.app.db.update(signInFailures).set({ createdAt: new Date(Date.now() - SIGN_IN_THROTTLE.windowMs - 1000) });
    expect((await signIn('target@example.com', PASSWORD)).statusCode).toBe(200);
    expect(await t.app.db.select().from(signInFailures)).toEqual([]);
  });

  it('throttles addresses that have no account exactly like those that do', async () => {
    for (let attempt = 0; attempt < SIGN_IN_THROTTLE.maxFailures; attempt++)
      expect((await signIn('nobody@example.com', 'whatever password')).statusCode).toBe(401);
    expect((await signIn('nobody@example.com', 'whatever password')).statusCode).toBe(429);
  });
});

describe('sign-up answers and password rules', () => {
  let t: TestApp;
  const signUpWith = (email: string, password: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-up/email',
      headers: { origin: ORIGIN },
      payload: { name: 'Someone', email, password },
    });

  beforeAll(async () => {
    t = await createTestApp();
    await signUp(t.app, { email: 'target@example.com', password: PASSWORD });
  });
  afterAll(() => t.close());

  it('answers sign-up for a taken address without saying that it is taken', async () => {
    const taken = await signUpWith('target@example.com', 'another long password');
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.message).toBe(
      'Could not create an account with these details. If you already have one, sign in instead.',
    );
  });

  it.each([
    ['too short', 'short1', /too short/i],
    ['the email', 'fresh@example.com', /email address/],
    ["the email's local part", 'freshfresh', null],
    ['one repeated character', 'aaaaaaaaaaaa', /repeated/],
    ['a common password', 'Password123', /too common/],
  ])('refuses a new password that is %s', async (_, password, message) => {
    const email = password === 'freshfresh' ? 'freshfresh@example.com' : 'fresh@example.com';
    const response = await signUpWith(email, password);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('VALIDATION_FAILED');
    expect(response.json().error.message).toMatch(message ?? /email address/);
  });

  it('accepts a password that follows the rules', async () => {
    expect((await signUpWith('fresh@example.com', 'correct horse battery')).statusCode).toBe(200);
  });
});
