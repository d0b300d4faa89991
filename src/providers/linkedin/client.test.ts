import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Fetch } from '../meta-graph/client.ts';
import { createLinkedInClient } from './client.ts';

interface Call {
  url: string;
  init: RequestInit | undefined;
}

function stubFetch(response: () => Response | Promise<Response>): { fetch: Fetch; calls: Call[] } {
  const calls: Call[] = [];
  return {
    calls,
    fetch: async (url, init) => {
      calls.push({ url, init });
      return response();
    },
  };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

const NOW = Date.UTC(2026, 10, 22, 12);

const client = (fetch: Fetch) =>
  createLinkedInClient({
    clientId: 'client-1',
    clientSecret: 'shh',
    wwwUrl: 'http://li.test/www/',
    apiUrl: 'http://li.test/api',
    version: '202610',
    fetch,
    now: () => NOW,
  });

describe('createLinkedInClient', () => {
  it('posts OAuth calls as a form with the client credentials', async () => {
    const stub = stubFetch(() => json(200, { active: false }));
    const data = await client(stub.fetch).oauth(
      'introspectToken',
      { token: 'AQV-1' },
      z.object({ active: z.boolean() }),
    );
    expect(data).toEqual({ active: false });
    const call = stub.calls[0];
    expect(call?.url).toBe('http://li.test/www/oauth/v2/introspectToken');
    expect(call?.init?.method).toBe('POST');
    expect(call?.init?.headers).toMatchObject({ 'content-type': 'application/x-www-form-urlencoded' });
    expect(Object.fromEntries(new URLSearchParams(String(call?.init?.body)))).toEqual({
      token: 'AQV-1',
      client_id: 'client-1',
      client_secret: 'shh',
    });
  });

  it('sends the bearer token, and the versioned REST headers only on /rest/*', async () => {
    const stub = stubFetch(() => json(200, { sub: 's' }));
    const li = client(stub.fetch);
    await li.request({ path: '/v2/userinfo', token: 'AQV-1', schema: z.object({ sub: z.string() }) });
    await li.request({
      method: 'POST',
      path: '/rest/posts',
      token: 'AQV-1',
      json: { author: 'urn:li:person:s' },
      schema: z.unknown(),
    });
    const [userinfo, post] = stub.calls;
    expect(userinfo?.url).toBe('http://li.test/api/v2/userinfo');
    expect(userinfo?.init?.headers).toEqual({ authorization: 'Bearer AQV-1', accept: 'application/json' });
    expect(post?.init?.headers).toMatchObject({
      authorization: 'Bearer AQV-1',
      'linkedin-version': '202610',
      'x-restli-protocol-version': '2.0.0',
      'content-type': 'application/json',
    });
    expect(post?.init?.body).toBe('{"author":"urn:li:person:s"}');
  });

  it('classifies failures with parseLinkedInError, Retry-After included', async () => {
    const expired = stubFetch(() =>
      json(401, { status: 401, serviceErrorCode: 65602, code: 'EXPIRED_ACCESS_TOKEN', message: 'expired' }),
    );
    await expect(
      client(expired.fetch).request({ path: '/v2/userinfo', token: 't', schema: z.unknown() }),
    ).rejects.toMatchObject({ kind: 'reauth_required', reason: 'token_expired' });
    const limited = stubFetch(() => json(429, { status: 429, code: 'TOO_MANY_REQUESTS' }, { 'retry-after': '90' }));
    await expect(
      client(limited.fetch).request({ path: '/v2/userinfo', token: 't', schema: z.unknown() }),
    ).rejects.toMatchObject({ kind: 'rate_limited', retryAfterMs: 90_000 });
    const grant = stubFetch(() => json(400, { error: 'invalid_grant', error_description: 'revoked' }));
    await expect(
      client(grant.fetch).oauth('accessToken', { grant_type: 'refresh_token' }, z.unknown()),
    ).rejects.toMatchObject({ kind: 'reauth_required', reason: 'refresh_token_invalid' });
  });

  it('turns network failures and timeouts into transient errors, and odd answers into rejected ones', async () => {
    const down = client(async () => {
      throw new TypeError('fetch failed');
    });
    await expect(down.request({ path: '/v2/userinfo', token: 't', schema: z.unknown() })).rejects.toMatchObject({
      kind: 'transient',
      reason: 'network_error',
    });
    const slow = client(async () => {
      throw Object.assign(new Error('timed out'), { name: 'TimeoutError' });
    });
    await expect(slow.oauth('accessToken', {}, z.unknown())).rejects.toMatchObject({
      kind: 'transient',
      reason: 'timeout',
    });
    const odd = client(async () => new Response('<html>ok</html>', { status: 200 }));
    await expect(
      odd.request({ path: '/v2/userinfo', token: 't', schema: z.object({ sub: z.string() }) }),
    ).rejects.toMatchObject({ kind: 'rejected', reason: 'unexpected_response' });
  });
});
