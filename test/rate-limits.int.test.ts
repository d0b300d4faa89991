import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONNECT_RATE_LIMIT, UPLOAD_RATE_LIMIT } from '../src/server/plugins/user-rate-limit.ts';
import { createTestApp, ORIGIN, signUp, type TestApp } from './helpers/test-app.ts';

/** Costly actions are limited per signed-in user: one user's script does not lock out another. */
describe('per-user rate limits', () => {
  let t: TestApp;
  let first: string;
  let second: string;

  beforeAll(async () => {
    t = await createTestApp();
    ({ cookie: first } = await signUp(t.app, { email: 'limited-one@example.com' }));
    ({ cookie: second } = await signUp(t.app, { email: 'limited-two@example.com' }));
  });
  afterAll(() => t.close());

  const startConnect = (cookie: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/connected-accounts/connect/instagram',
      headers: { cookie, origin: ORIGIN },
      payload: {},
    });
  /** Not multipart: refused with 415 once it is past the limit check, and counted all the same. */
  const upload = (cookie: string) =>
    t.app.inject({ method: 'POST', url: '/api/media', headers: { cookie, origin: ORIGIN }, payload: { file: 'x' } });

  it('refuses connect starts beyond the limit with 429 and Retry-After, for that user only', async () => {
    for (let i = 0; i < CONNECT_RATE_LIMIT.max; i++) {
      const started = await startConnect(first);
      expect(started.statusCode, started.body).toBe(200);
    }
    const refused = await startConnect(first);
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('RATE_LIMITED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect((await startConnect(second)).statusCode).toBe(200);
  });

  it('refuses uploads beyond the limit with 429, for that user only', async () => {
    for (let i = 0; i < UPLOAD_RATE_LIMIT.max; i++) expect((await upload(first)).statusCode).toBe(415);
    const refused = await upload(first);
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('RATE_LIMITED');
    expect((await upload(second)).statusCode).toBe(415);
  });
});
