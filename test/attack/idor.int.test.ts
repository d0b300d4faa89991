import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectWith, PROVIDER_DRIVERS } from '../helpers/provider-drivers.ts';
import type { TestApp } from '../helpers/test-app.ts';
import {
  fillPath,
  type Operation,
  openApiOperations,
  operationName,
  pathParams,
  routerRoutes,
  UNDOCUMENTED_ROUTES,
} from './routes.ts';
import {
  type Actor,
  client,
  createWorld,
  futurePost,
  OWNED,
  type Owned,
  signUpActor,
  snapshot,
  validBody,
} from './world.ts';

/**
 * IDOR: user B, with a session cookie and separately with an API token, tries every route that
 * takes a path parameter with user A's ids. Every answer is 404 (or 403), and A's rows are the
 * same afterwards. Routes are found in the OpenAPI document; one with a path parameter that is
 * not classified below fails the suite until it is.
 */

/** Path parameters that are not an owned object, with why they are no IDOR surface. */
const NOT_OWNED: Record<string, string> = {
  '/api/providers/:id/setup': 'a provider id: the same public setup guide for every user',
  '/api/connected-accounts/connect/:provider':
    'a provider id; the body may name an account to reconnect, which is attacked below',
  '/api/oauth/callback/:provider': 'a provider id; the flow is found by its single-use state (open-redirect suite)',
  '/media/:file': 'public by design: the 256-bit public id is the only key (path-traversal suite)',
  '/api/admin/failed-targets/:id/retry':
    "an administrator's action on any user's target; 403 for everyone else (test/admin.int.test.ts)",
  '/api/admin/failed-jobs/:queue/:id/retry':
    "an administrator's action on any job; 403 for everyone else (test/admin.int.test.ts)",
};

describe('attack: IDOR with a second user', () => {
  let t: TestApp;
  let owner: Owned;
  let intruder: Actor;
  let operations: Operation[];
  let before: Record<string, string[]>;

  beforeAll(async () => {
    ({ t, owner } = await createWorld('idor-owner@example.com'));
    intruder = await signUpActor(t, 'idor-intruder@example.com');
    operations = await openApiOperations(t.app);
    before = await snapshot(t.app.db, owner.userId);
  }, 120_000);
  afterAll(() => t?.close());

  it('every route is in the OpenAPI document or listed as undocumented with a reason', () => {
    const documented = new Set(operations.map(operationName));
    const undocumented = routerRoutes(t.app).filter((route) => !documented.has(route));
    expect(undocumented.sort()).toEqual(Object.keys(UNDOCUMENTED_ROUTES).sort());
  });

  it('classifies every path parameter route', () => {
    const withParams = [...new Set(operations.filter((op) => pathParams(op.path).length > 0).map((op) => op.path))];
    const unclassified = withParams.filter((path) => !(path in OWNED) && !(path in NOT_OWNED));
    expect(unclassified, 'classify these routes in OWNED or NOT_OWNED').toEqual([]);
    expect(withParams.length).toBeGreaterThanOrEqual(Object.keys(OWNED).length);
  });

  it("the owner reaches every owned object (so the intruder's 404s are about ownership)", async () => {
    const as = client(t, owner);
    for (const op of operations.filter((candidate) => candidate.method === 'GET' && candidate.path in OWNED)) {
      for (const values of OWNED[op.path]!(owner)) {
        const response = await as.cookie({ method: 'GET', url: fillPath(op.path, values) });
        expect(response.statusCode, `${operationName(op)} ${response.body}`).toBe(200);
      }
    }
  });

  it("answers 404 or 403 to the intruder on every owned route with the owner's ids, by cookie and by token", async () => {
    const as = client(t, intruder);
    const tried: string[] = [];
    for (const op of operations.filter((candidate) => candidate.path in OWNED)) {
      for (const values of OWNED[op.path]!(owner)) {
        const body = validBody(op, owner);
        for (const auth of ['cookie', 'token'] as const) {
          const response = await as[auth]({
            method: op.method,
            url: fillPath(op.path, values),
            ...(body ? { payload: body } : {}),
          });
          const label = `${auth} ${op.method} ${fillPath(op.path, values)}: ${response.statusCode} ${response.body}`;
          expect([403, 404], label).toContain(response.statusCode);
          tried.push(`${auth} ${operationName(op)}`);
        }
      }
    }
    console.info(`IDOR: ${new Set(tried).size} route × credential pairs, ${tried.length} requests, all 403/404`);
    expect(new Set(tried).size).toBe(2 * operations.filter((op) => op.path in OWNED).length);
  });

  it("refuses the owner's ids inside the intruder's bodies and queries", async () => {
    const as = client(t, intruder);
    const ownAccount = await connectWith(
      t.app,
      t.origin,
      intruder.cookie,
      PROVIDER_DRIVERS.find((driver) => driver.provider === 'instagram_login')!,
    );
    const reconnect = await as.cookie({
      method: 'POST',
      url: '/api/connected-accounts/connect/instagram',
      payload: { reconnectAccountId: owner.accountIds[0] },
    });
    expect(reconnect.statusCode, reconnect.body).toBe(404);

    for (const [what, body] of [
      ["the owner's account", futurePost(owner.accountIds[0]!, owner.mediaId)],
      ["the owner's media on the intruder's account", futurePost(ownAccount, owner.mediaId)],
    ] as const) {
      const created = await as.token({ method: 'POST', url: '/api/posts', payload: body });
      expect(created.statusCode, `${what}: ${created.body}`).toBeGreaterThanOrEqual(400);
      expect(created.statusCode, `${what}: ${created.body}`).toBeLessThan(500);
      const validated = await as.token({ method: 'POST', url: '/api/posts/validate', payload: body });
      expect(validated.statusCode === 200 ? validated.json().problems.length : 1, validated.body).toBeGreaterThan(0);
    }

    const read = await as.cookie({
      method: 'POST',
      url: '/api/notifications/read',
      payload: { ids: [owner.notificationId] },
    });
    expect(read.statusCode).toBe(204);
    const listed = await as.token({ method: 'GET', url: `/api/posts?accountId=${owner.accountIds[0]}` });
    expect(listed.json()).toEqual({ posts: [] });
  });

  it("leaves every row of the owner's unchanged", async () => {
    expect(await snapshot(t.app.db, owner.userId)).toEqual(before);
  });
});
