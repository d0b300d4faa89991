import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../helpers/test-app.ts';
import { fillPath, openApiOperations, operationName } from './routes.ts';
import { HOSTILE_STRINGS, setAt, stringFields } from './schema-arbitraries.ts';
import {
  type Actor,
  client,
  createWorld,
  type Owned,
  rowCounts,
  signUpActor,
  validBody,
  validParams,
} from './world.ts';

/**
 * SQL-injection-shaped input in every string field of every JSON body and every query parameter
 * of the OpenAPI document, the rest of the request valid: never a 5xx, and afterwards every table
 * is there with the rows the two users had (nothing dropped, nothing of the other user touched).
 */
describe('attack: SQL-injection-shaped strings in every field', () => {
  let t: TestApp;
  let owner: Owned;
  let other: Actor;

  beforeAll(async () => {
    ({ t, owner } = await createWorld('sqli@example.com'));
    other = await signUpActor(t, 'sqli-other@example.com');
  }, 120_000);
  afterAll(() => t?.close());

  it('answers every injected field with something other than a 5xx and leaves the database intact', {
    timeout: 120_000,
  }, async () => {
    const operations = (await openApiOperations(t.app)).filter(
      (op) => !op.path.startsWith('/webhooks/meta') && !(op.method === 'DELETE' && op.path === '/api/me'),
    );
    const before = await rowCounts(t.app.db);
    const otherBefore = await t.app.inject({
      method: 'GET',
      url: '/api/api-tokens',
      headers: { cookie: other.cookie },
    });
    // Only the owner's read-only and validation routes write nothing; the owner may create rows.
    const as = client(t, owner);
    const failures: string[] = [];
    let sent = 0;
    let fields = 0;
    for (const op of operations) {
      const url = fillPath(op.path, validParams(op, owner));
      const bodyFields = op.jsonBody ? stringFields(op.jsonBody.schema) : [];
      const queryFields = op.params.filter((parameter) => parameter.in === 'query').map((parameter) => parameter.name);
      fields += bodyFields.length + queryFields.length;
      for (const payload of HOSTILE_STRINGS) {
        const requests = [
          ...bodyFields.map((path) => ({ url, payload: setAt(validBody(op, owner), path, payload) })),
          ...queryFields.map((name) => ({ url: `${url}?${new URLSearchParams({ [name]: payload.toWellFormed() })}` })),
        ];
        for (const request of requests) {
          const response = await as.token({ method: op.method, ...request });
          sent += 1;
          if (response.statusCode >= 500)
            failures.push(`${operationName(op)} ${JSON.stringify(request).slice(0, 200)} → ${response.statusCode}`);
        }
      }
    }
    console.info(`SQL injection: ${fields} string fields × ${HOSTILE_STRINGS.length} payloads = ${sent} requests`);
    expect(failures).toEqual([]);
    expect(fields).toBeGreaterThanOrEqual(10);

    const after = await rowCounts(t.app.db);
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    for (const table of ['user', 'connectedAccounts', 'media', 'webhookEndpoints', 'accountCredentials'])
      expect(after[table], table).toBeGreaterThanOrEqual(before[table]!);
    const otherAfter = await t.app.inject({ method: 'GET', url: '/api/api-tokens', headers: { cookie: other.cookie } });
    expect(otherAfter.body).toBe(otherBefore.body);
    const listed = await as.cookie({ method: 'GET', url: '/api/posts' });
    expect(listed.statusCode).toBe(200);
    expect(listed.json().posts.map((post: { id: string }) => post.id)).toContain(owner.postId);
  });
});
