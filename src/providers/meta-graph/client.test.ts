import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { appSecretProof, createGraphClient, type Fetch } from './client.ts';

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

const NOW = 1_790_000_000_000;

describe('createGraphClient', () => {
  it('calls the versioned URL with the token in the Authorization header and an appsecret_proof', async () => {
    const stub = stubFetch(() => json(200, { id: '1', name: 'Sam' }));
    const client = createGraphClient({
      provider: 'instagram',
      baseUrl: 'http://emulator.test/graph/',
      version: 'v25.0',
      appSecret: 'shh',
      fetch: stub.fetch,
      now: () => NOW,
    });
    const { data } = await client.get({
      path: 'me',
      token: 'EAAB-token',
      params: { fields: 'id,name' },
      schema: z.object({ id: z.string(), name: z.string() }),
    });
    expect(data).toEqual({ id: '1', name: 'Sam' });
    const url = new URL(stub.calls[0]?.url ?? '');
    expect(url.origin + url.pathname).toBe('http://emulator.test/graph/v25.0/me');
    expect(url.searchParams.get('fields')).toBe('id,name');
    expect(url.searchParams.get('appsecret_time')).toBe(String(NOW / 1000));
    expect(url.searchParams.get('appsecret_proof')).toBe(appSecretProof('shh', 'EAAB-token', NOW / 1000));
    expect(url.searchParams.has('access_token')).toBe(false);
    expect(stub.calls[0]?.init?.headers).toMatchObject({ authorization: 'Bearer EAAB-token' });
  });

  it('sends POST parameters as a form body', async () => {
    const stub = stubFetch(() => json(200, { id: 'c1' }));
    const client = createGraphClient({
      provider: 'instagram',
      baseUrl: 'http://g',
      version: 'v25.0',
      fetch: stub.fetch,
    });
    await client.post({
      path: '1784/media',
      token: 't',
      params: { image_url: 'http://x/a.jpg', caption: 'hi & bye' },
      schema: z.object({ id: z.string() }),
    });
    expect(stub.calls[0]?.url).toBe('http://g/v25.0/1784/media');
    expect(new URLSearchParams(String(stub.calls[0]?.init?.body)).get('caption')).toBe('hi & bye');
  });

  it('classifies Graph errors and passes the usage headers along', async () => {
    const usageSeen: unknown[] = [];
    const stub = stubFetch(() =>
      json(
        400,
        { error: { message: 'limit', type: 'OAuthException', code: 80002, fbtrace_id: 'x' } },
        {
          'x-business-use-case-usage': JSON.stringify({
            '1784': [
              {
                type: 'instagram',
                call_count: 100,
                total_cputime: 5,
                total_time: 5,
                estimated_time_to_regain_access: 7,
              },
            ],
          }),
          'x-app-usage': JSON.stringify({ call_count: 42, total_time: 3, total_cputime: 2 }),
        },
      ),
    );
    const client = createGraphClient({
      provider: 'instagram',
      baseUrl: 'http://g',
      version: 'v25.0',
      fetch: stub.fetch,
      onUsage: (usage) => usageSeen.push(usage),
    });
    await expect(client.get({ path: 'me', token: 't', schema: z.object({}) })).rejects.toMatchObject({
      kind: 'rate_limited',
      scope: 'instagram',
      retryAfterMs: 7 * 60_000,
    });
    expect(usageSeen[0]).toMatchObject({ app: { callCount: 42 }, business: { '1784': [{ regainAccessMinutes: 7 }] } });
  });

  it('treats a 200 with an error body as an error', async () => {
    const stub = stubFetch(() =>
      json(200, { error: { message: 'x', type: 'OAuthException', code: 190, error_subcode: 463 } }),
    );
    const client = createGraphClient({
      provider: 'instagram',
      baseUrl: 'http://g',
      version: 'v25.0',
      fetch: stub.fetch,
    });
    await expect(client.get({ path: 'me', token: 't', schema: z.object({}) })).rejects.toMatchObject({
      kind: 'reauth_required',
      reason: 'token_expired',
    });
  });

  it('refuses responses of the wrong shape instead of passing them on', async () => {
    const stub = stubFetch(() => json(200, { id: 5 }));
    const client = createGraphClient({
      provider: 'instagram',
      baseUrl: 'http://g',
      version: 'v25.0',
      fetch: stub.fetch,
    });
    await expect(client.get({ path: 'me', token: 't', schema: z.object({ id: z.string() }) })).rejects.toMatchObject({
      kind: 'rejected',
      reason: 'unexpected_response',
    });
  });

  it('turns network failures and timeouts into transient errors', async () => {
    const failing = createGraphClient({
      provider: 'instagram',
      baseUrl: 'http://g',
      version: 'v25.0',
      fetch: async () => {
        throw new TypeError('fetch failed');
      },
    });
    await expect(failing.get({ path: 'me', schema: z.object({}) })).rejects.toMatchObject({
      kind: 'transient',
      reason: 'network_error',
    });

    const slow = createGraphClient({
      provider: 'instagram',
      baseUrl: 'http://g',
      version: 'v25.0',
      timeoutMs: 5,
      fetch: (_url, init) =>
        new Promise((_resolve, reject) => {
          init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
        }),
    });
    await expect(slow.get({ path: 'me', schema: z.object({}) })).rejects.toMatchObject({
      kind: 'transient',
      reason: 'timeout',
    });
  });
});
