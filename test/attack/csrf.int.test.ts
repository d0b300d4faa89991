import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../helpers/test-app.ts';
import {
  CSRF_EXEMPT_PREFIXES,
  fillPath,
  type Operation,
  openApiOperations,
  operationName,
  STATE_CHANGING,
} from './routes.ts';
import {
  createWorld,
  FOREIGN_ORIGIN,
  jpeg,
  multipartUpload,
  type Owned,
  snapshot,
  validBody,
  validParams,
} from './world.ts';

/**
 * CSRF: every state-changing route a session cookie authenticates, found in the OpenAPI document,
 * refuses a request another site starts (foreign Origin; foreign Referer without Origin; neither)
 * with 403 and changes nothing; the same request from Tether's own origin is not refused, so the
 * check cannot pass vacuously. better-auth's routes are checked by better-auth itself.
 */

const exempt = (path: string) => Object.keys(CSRF_EXEMPT_PREFIXES).some((prefix) => path.startsWith(prefix));

/** How another site's page can send the owner's cookie: the headers the browser adds. */
const CROSS_SITE: Record<string, Record<string, string>> = {
  'foreign Origin': { origin: FOREIGN_ORIGIN, referer: `${FOREIGN_ORIGIN}/page` },
  'foreign Referer, no Origin': { referer: `${FOREIGN_ORIGIN}/page` },
  'neither Origin nor Referer': {},
  'Origin "null" (sandboxed frame)': { origin: 'null' },
  'look-alike Origin': { origin: 'http://localhost:3000.evil.example' },
  'unparseable Referer': { referer: 'not a url' },
};

describe('attack: CSRF on every state-changing cookie route', () => {
  let t: TestApp;
  let owner: Owned;
  let targets: Operation[];
  let upload: { payload: Buffer; headers: Record<string, string> };

  beforeAll(async () => {
    ({ t, owner } = await createWorld('csrf-owner@example.com'));
    const operations = await openApiOperations(t.app);
    targets = operations.filter((op) => STATE_CHANGING.includes(op.method) && !exempt(op.path));
    upload = multipartUpload(await jpeg());
  }, 120_000);
  afterAll(() => t?.close());

  const request = (op: Operation, headers: Record<string, string>): InjectOptions => {
    const body = op.bodyTypes.includes('multipart/form-data') ? upload : undefined;
    const json = validBody(op, owner);
    return {
      method: op.method,
      url: fillPath(op.path, validParams(op, owner)),
      headers: { cookie: owner.cookie, ...headers, ...body?.headers },
      ...(body ? { payload: body.payload } : json ? { payload: json } : {}),
    };
  };

  it('every state-changing route outside the exempt prefixes takes the session cookie', () => {
    expect(targets.length).toBeGreaterThanOrEqual(15);
    const withoutSession = targets.filter((op) => !op.security.includes('session')).map(operationName);
    expect(withoutSession, 'classify these in CSRF_EXEMPT_PREFIXES or give them the session scheme').toEqual([]);
  });

  it('answers 403 to a cross-site request with the cookie and changes nothing', async () => {
    const before = await snapshot(t.app.db, owner.userId);
    let sent = 0;
    for (const op of targets) {
      for (const [how, headers] of Object.entries(CROSS_SITE)) {
        const response = await t.app.inject(request(op, headers));
        expect(response.statusCode, `${operationName(op)} with ${how}: ${response.body}`).toBe(403);
        expect(response.json().error.code).toBe('FORBIDDEN');
        sent += 1;
      }
    }
    console.info(
      `CSRF: ${targets.length} routes × ${Object.keys(CROSS_SITE).length} cross-site forms = ${sent} requests, all 403`,
    );
    expect(await snapshot(t.app.db, owner.userId)).toEqual(before);
  });

  it('the session cookie is HttpOnly and SameSite=Lax', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in/email',
      headers: { origin: t.origin },
      payload: { email: owner.email, password: owner.password },
    });
    expect(response.statusCode, response.body).toBe(200);
    const session = response.cookies.find((cookie) => cookie.name.endsWith('session_token'));
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
  });

  it("better-auth's state-changing routes refuse a foreign Origin or Referer", async () => {
    const routes: [string, object][] = [
      ['/api/auth/sign-out', {}],
      ['/api/auth/update-user', { name: 'Renamed by evil.example' }],
      ['/api/auth/change-password', { currentPassword: owner.password, newPassword: 'chosen by evil.example' }],
      ['/api/auth/sign-in/email', { email: owner.email, password: owner.password }],
    ];
    const before = await snapshot(t.app.db, owner.userId);
    for (const [url, payload] of routes) {
      for (const headers of [{ origin: FOREIGN_ORIGIN }, { referer: `${FOREIGN_ORIGIN}/page` }]) {
        const response = await t.app.inject({
          method: 'POST',
          url,
          headers: { cookie: owner.cookie, ...headers },
          payload,
        });
        expect(response.statusCode, `${url} ${JSON.stringify(headers)}: ${response.body}`).toBe(403);
      }
    }
    expect(await snapshot(t.app.db, owner.userId)).toEqual(before);
  });

  it('accepts the same requests from its own origin (not 403)', async () => {
    // Some of these delete what later ones use: deletions go last, and the user's own deletion
    // (a DELETE without an id) after every other.
    const rank = (op: Operation) => (op.method !== 'DELETE' ? 0 : op.path.includes(':') ? 1 : 2);
    const ordered = [...targets].sort((a, b) => rank(a) - rank(b));
    for (const op of ordered) {
      const response = await t.app.inject(request(op, { origin: t.origin }));
      expect(response.statusCode, `${operationName(op)}: ${response.body}`).not.toBe(403);
      expect(response.statusCode, `${operationName(op)}: ${response.body}`).toBeLessThan(500);
    }
  });
});
