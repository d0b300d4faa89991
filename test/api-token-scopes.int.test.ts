import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_SCOPES } from '../src/contracts/api-scopes.ts';
import { createTestApp, ORIGIN, signUp, type TestApp } from './helpers/test-app.ts';

interface Operation {
  method: string;
  path: string;
  scope: unknown;
  security: Array<Record<string, string[]>>;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** Fills `{param}` placeholders: provider ids where a provider is meant, fresh uuids elsewhere. */
const concrete = (path: string) =>
  path.replace(/\{(\w+)\}/g, (_, name: string) =>
    name === 'provider' || path.startsWith('/api/providers/') ? 'instagram' : randomUUID(),
  );

/**
 * Token scopes, derived from the route table the OpenAPI document describes: every route that
 * accepts a token declares what it needs, and each scope opens exactly the routes that declare it.
 */
describe('API token scopes', () => {
  let t: TestApp;
  let cookie: string;
  let operations: Operation[];

  const createToken = async (scopes?: unknown) => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/api-tokens',
      headers: { cookie, origin: ORIGIN },
      payload: { name: 'scoped', ...(scopes === undefined ? {} : { scopes }) },
    });
    return response;
  };
  const callWith = (secret: string, operation: Operation) =>
    t.app.inject({
      method: operation.method as 'GET',
      url: concrete(operation.path),
      headers: { authorization: `Bearer ${secret}` },
      ...(operation.method === 'get' ? {} : { payload: {} }),
    });

  beforeAll(async () => {
    t = await createTestApp();
    ({ cookie } = await signUp(t.app, { email: 'scopes@example.com' }));
    const document = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    operations = Object.entries(document.paths as Record<string, Record<string, Record<string, unknown>>>).flatMap(
      ([path, item]) =>
        Object.entries(item)
          .filter(([method]) => METHODS.includes(method))
          .map(([method, operation]) => ({
            method,
            path,
            scope: operation['x-scope'],
            security: (operation.security ?? []) as Array<Record<string, string[]>>,
          })),
    );
  });
  afterAll(() => t.close());

  it('every route that needs a user declares a scope, and its security says whether tokens are accepted', () => {
    const signedIn = operations.filter((operation) => operation.security.length > 0);
    expect(signedIn.length).toBeGreaterThan(20);
    for (const operation of signedIn) {
      const where = `${operation.method.toUpperCase()} ${operation.path}`;
      expect([...API_SCOPES, 'any', 'session'], where).toContain(operation.scope);
      const bearer = operation.security.some((requirement) => 'bearer' in requirement);
      expect(bearer, where).toBe(operation.scope !== 'session');
    }
    // Every scope opens at least one route, and the token routes are the session's.
    for (const scope of API_SCOPES)
      expect(
        operations.some((operation) => operation.scope === scope),
        scope,
      ).toBe(true);
    expect(operations.filter((operation) => operation.scope === 'session').map((o) => `${o.method} ${o.path}`)).toEqual(
      expect.arrayContaining(['get /api/api-tokens', 'post /api/api-tokens', 'delete /api/me']),
    );
  });

  it.each(API_SCOPES)('a token with only %s reaches exactly the routes that declare it', async (scope) => {
    const created = await createToken([scope]);
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().token.scopes).toEqual([scope]);
    const { secret } = created.json();
    for (const operation of operations.filter((item) => item.security.length > 0)) {
      const where = `${operation.method.toUpperCase()} ${operation.path}`;
      const response = await callWith(secret, operation);
      if (operation.scope === scope || operation.scope === 'any') {
        expect(response.statusCode, `${where}: ${response.body}`).not.toBe(401);
        expect(response.statusCode, `${where}: ${response.body}`).not.toBe(403);
      } else {
        expect(response.statusCode, where).toBe(403);
        const { code, message } = response.json().error;
        expect(code).toBe('FORBIDDEN');
        expect(message, where).toMatch(
          operation.scope === 'session' ? /API tokens cannot do this/ : `lacks the "${operation.scope}" scope`,
        );
      }
    }
  });

  it('a token gets every scope unless told otherwise; an empty or unknown scope is refused', async () => {
    const full = await createToken();
    expect(full.statusCode).toBe(201);
    expect(full.json().token.scopes).toEqual([...API_SCOPES]);
    expect((await createToken([])).statusCode).toBe(400);
    expect((await createToken(['posts:admin'])).statusCode).toBe(400);
    const listed = await t.app.inject({ method: 'GET', url: '/api/api-tokens', headers: { cookie } });
    expect(listed.json().tokens.map((token: { scopes: string[] }) => token.scopes.length)).toContain(1);
  });

  it('sessions may call every route whatever its scope', async () => {
    for (const operation of operations.filter((item) => item.security.length > 0 && item.scope !== 'session')) {
      if (operation.method === 'delete') continue; // nothing to delete, and DELETE /api/me needs a password
      const response = await t.app.inject({
        method: operation.method as 'GET',
        url: concrete(operation.path),
        headers: { cookie, origin: ORIGIN },
        ...(operation.method === 'get' ? {} : { payload: {} }),
      });
      expect([401, 403], `${operation.method} ${operation.path}: ${response.body}`).not.toContain(response.statusCode);
    }
  });
});
