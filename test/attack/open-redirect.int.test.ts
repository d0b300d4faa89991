import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVIDER_IDS } from '../../src/contracts/connected-accounts.ts';
import { createTestApp, signUp, type TestApp } from '../helpers/test-app.ts';

/**
 * Open redirect: whatever comes back to the OAuth callback (forged state, platform errors,
 * redirect-looking parameters, encoded or backslashed hosts), Tether's answer sends the browser
 * to a path of its own origin, or answers 4xx; never elsewhere and never 5xx.
 */

const EVIL = ['https://evil.example', '//evil.example', '/\\evil.example', '\\\\evil.example', '%2F%2Fevil.example'];

/** Extra parameters an attacker may add, hoping one of them decides where the browser goes. */
const REDIRECT_PARAMS = ['redirect', 'redirect_uri', 'next', 'return_to', 'returnTo', 'continue', 'url', 'callbackURL'];

function crafted(state: string): string[] {
  const queries: string[] = [
    '',
    'code=abc',
    `code=abc&state=${encodeURIComponent(state)}`,
    `error=access_denied&error_reason=user_denied&error_description=Denied&state=${encodeURIComponent(state)}`,
    `error=${encodeURIComponent('<script>alert(1)</script>')}&state=x`,
    `error=${encodeURIComponent('\r\nLocation: https://evil.example')}`,
    `code=${encodeURIComponent('\r\nSet-Cookie: a=b')}&state=${encodeURIComponent(state)}`,
    'state=&code=&error=',
    'state=a&state=b&code=c&code=d',
    `code=${'x'.repeat(8_000)}&state=${encodeURIComponent(state)}`,
  ];
  for (const evil of EVIL) {
    queries.push(`state=${encodeURIComponent(evil)}&code=abc`);
    queries.push(`error=${encodeURIComponent(evil)}&state=${encodeURIComponent(state)}`);
    for (const name of REDIRECT_PARAMS) {
      queries.push(`code=abc&state=${encodeURIComponent(state)}&${name}=${encodeURIComponent(evil)}`);
      queries.push(`error=access_denied&${name}=${encodeURIComponent(evil)}`);
    }
  }
  return queries;
}

describe('attack: open redirect on the OAuth callback', () => {
  let t: TestApp;
  let cookie: string;
  beforeAll(async () => {
    t = await createTestApp();
    ({ cookie } = await signUp(t.app, { email: 'redirect@example.com' }, t.origin));
  });
  afterAll(() => t.close());

  /** A live state of the signed-in user: crafted requests then ride on a flow that exists. */
  const liveState = async (provider: string) => {
    const start = await t.app.inject({
      method: 'POST',
      url: `/api/connected-accounts/connect/${provider}`,
      headers: { cookie, origin: t.origin },
      payload: {},
    });
    expect(start.statusCode, start.body).toBe(200);
    return start.json().state as string;
  };

  const expectOwnPath = (location: string, label: string) => {
    expect(location, label).toMatch(/^\/[^/\\]/);
    expect(location, label).not.toMatch(/[\r\n\\]/);
    expect(new URL(location, t.origin).origin, label).toBe(new URL(t.origin).origin);
  };

  it('sends every crafted callback to a path of its own origin', async () => {
    let count = 0;
    for (const provider of PROVIDER_IDS) {
      for (const query of crafted(await liveState(provider))) {
        for (const headers of [{ cookie }, {}]) {
          const response = await t.app.inject({
            method: 'GET',
            url: `/api/oauth/callback/${provider}?${query}`,
            headers,
          });
          const label = `${provider}?${query.slice(0, 120)} → ${response.statusCode} ${response.headers.location}`;
          expect(response.statusCode, label).toBeLessThan(500);
          if (response.statusCode >= 300 && response.statusCode < 400) {
            expectOwnPath(String(response.headers.location), label);
            count += 1;
          } else {
            expect(response.statusCode, label).toBeGreaterThanOrEqual(400);
            expect(response.headers.location, label).toBeUndefined();
          }
        }
      }
    }
    console.info(`open redirect: ${count} crafted callbacks, every Location a path of ${t.origin}`);
    expect(count).toBeGreaterThan(500);
  });

  it('refuses a provider segment that is a host or a path, without a redirect', async () => {
    for (const segment of ['%2F%2Fevil.example', 'evil.example', '..%2F..%2Fevil', '%5Cevil.example', 'instagram%00']) {
      const response = await t.app.inject({ method: 'GET', url: `/api/oauth/callback/${segment}?code=a&state=b` });
      expect(response.statusCode, segment).toBeGreaterThanOrEqual(400);
      expect(response.statusCode, segment).toBeLessThan(500);
      expect(response.headers.location, segment).toBeUndefined();
    }
  });

  it('sends a platform error on a live flow to the accounts page, naming the error and nothing else', async () => {
    const state = await liveState('linkedin');
    const response = await t.app.inject({
      method: 'GET',
      url: `/api/oauth/callback/linkedin?error=user_cancelled_login&state=${state}&next=https://evil.example`,
      headers: { cookie },
    });
    expect(response.statusCode).toBe(302);
    const location = new URL(String(response.headers.location), t.origin);
    expect(location.pathname).toBe('/settings/social-accounts');
    expect([...location.searchParams.keys()].sort()).toEqual(['error', 'provider']);
  });
});
