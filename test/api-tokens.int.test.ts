import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiTokens } from '../src/server/db/schema/index.ts';
import { createTestApp, ORIGIN, signUp, type TestApp } from './helpers/test-app.ts';

describe('personal API tokens', () => {
  let t: TestApp;
  let alice: { cookie: string };
  let bob: { cookie: string };
  beforeAll(async () => {
    t = await createTestApp();
    alice = await signUp(t.app, { email: 'alice@example.com' });
    bob = await signUp(t.app, { email: 'bob@example.com' });
  });
  afterAll(() => t.close());

  const createToken = async (cookie: string, name: string) => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/api-tokens',
      headers: { cookie, origin: ORIGIN },
      payload: { name },
    });
    expect(response.statusCode).toBe(201);
    return response.json() as { token: { id: string; prefix: string; name: string }; secret: string };
  };

  it('creates a token that authenticates as its owner and stores only its hash', async () => {
    const { token, secret } = await createToken(alice.cookie, 'publisher');
    expect(secret).toMatch(/^tth_[A-Za-z0-9_-]{43}$/);
    expect(secret.startsWith(token.prefix)).toBe(true);

    const me = await t.app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${secret}` } });
    expect(me.statusCode).toBe(200);
    expect(me.json().email).toBe('alice@example.com');

    const [row] = await t.database.db.select().from(apiTokens).where(eq(apiTokens.id, token.id));
    expect(row?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(row?.lastUsedAt).toBeInstanceOf(Date);
  });

  it('lists the tokens of the caller only, never with the secret', async () => {
    const { secret } = await createToken(bob.cookie, 'bob-only');
    const list = await t.app.inject({ method: 'GET', url: '/api/api-tokens', headers: { cookie: alice.cookie } });
    expect(list.statusCode).toBe(200);
    const names = list.json().tokens.map((token: { name: string }) => token.name);
    expect(names).toContain('publisher');
    expect(names).not.toContain('bob-only');
    expect(list.body).not.toContain(secret);
  });

  it('revokes a token: it stops working at once', async () => {
    const { token, secret } = await createToken(alice.cookie, 'short-lived');
    const revoke = await t.app.inject({
      method: 'DELETE',
      url: `/api/api-tokens/${token.id}`,
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(revoke.statusCode).toBe(204);
    const me = await t.app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${secret}` } });
    expect(me.statusCode).toBe(401);
    expect(me.json().error.code).toBe('UNAUTHENTICATED');
  });

  it("answers 404 for another user's token and leaves it working", async () => {
    const { token, secret } = await createToken(bob.cookie, 'bob-keeps');
    const revoke = await t.app.inject({
      method: 'DELETE',
      url: `/api/api-tokens/${token.id}`,
      headers: { cookie: alice.cookie, origin: ORIGIN },
    });
    expect(revoke.statusCode).toBe(404);
    expect(revoke.json().error.code).toBe('NOT_FOUND');
    const me = await t.app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${secret}` } });
    expect(me.json().email).toBe('bob@example.com');
  });

  it('judges a request by its bearer token alone, even with a valid cookie beside it', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/api-tokens',
      headers: { cookie: alice.cookie, authorization: 'Bearer tth_not-a-real-token' },
    });
    expect(response.statusCode).toBe(401);
    for (const authorization of ['Basic YWxpY2U6cHc=', 'Bearer', 'tth_x']) {
      const other = await t.app.inject({ method: 'GET', url: '/api/me', headers: { authorization } });
      expect(other.statusCode).toBe(401);
    }
  });

  it('requires authentication and validates the name', async () => {
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/api-tokens' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toEqual({ error: { code: 'UNAUTHENTICATED', message: expect.any(String) } });

    for (const payload of [{}, { name: '' }, { name: '   ' }, { name: 'x'.repeat(101) }, { name: 42 }]) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/api-tokens',
        headers: { cookie: alice.cookie, origin: ORIGIN },
        payload,
      });
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json().error.code).toBe('VALIDATION_FAILED');
    }
    const badId = await t.app.inject({
      method: 'DELETE',
      url: '/api/api-tokens/not-a-uuid',
      headers: { cookie: alice.cookie, origin: ORIGIN },
    });
    expect(badId.statusCode).toBe(400);
  });
});
