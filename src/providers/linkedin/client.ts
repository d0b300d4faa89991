import { z } from 'zod';
import { RejectedError, TransientError } from '../errors.ts';
import type { Fetch } from '../meta-graph/client.ts';
import { parseLinkedInError } from './errors.ts';

export interface LinkedInClientOptions {
  clientId: string;
  clientSecret: string;
  /** `https://www.linkedin.com` (OAuth) and `https://api.linkedin.com` (API), or a sandbox's URLs. */
  wwwUrl: string;
  apiUrl: string;
  /** `YYYYMM`, sent as `LinkedIn-Version` on every `/rest/*` call (reference §8.4). */
  version: string;
  fetch: Fetch;
  now: () => number;
  timeoutMs?: number;
}

export const DEFAULT_LINKEDIN_TIMEOUT_MS = 30_000;

export interface ApiRequest<T extends z.ZodType> {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Below api.linkedin.com: `/v2/userinfo`, `/rest/posts`... */
  path: string;
  token: string;
  json?: unknown;
  /** The shape a 2xx answer must have; anything else is an error, never passed on unchecked. */
  schema: T;
}

/**
 * One client for LinkedIn's two hosts: form posts to the OAuth endpoints with the app's
 * credentials, and bearer calls to the API with the versioned REST headers on `/rest/*`. Every
 * answer is parsed with zod; every failure is classified by parseLinkedInError. The token goes in
 * the Authorization header or the form body, never in a URL.
 */
export function createLinkedInClient(options: LinkedInClientOptions) {
  const www = options.wwwUrl.replace(/\/+$/, '');
  const api = options.apiUrl.replace(/\/+$/, '');

  async function send<T extends z.ZodType>(
    what: string,
    url: string,
    init: RequestInit,
    schema: T,
  ): Promise<{ data: z.infer<T>; headers: Headers }> {
    let response: Response;
    try {
      response = await options.fetch(url, {
        ...init,
        signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_LINKEDIN_TIMEOUT_MS),
      });
    } catch (error) {
      const timedOut = (error as Error).name === 'TimeoutError';
      throw new TransientError({
        provider: 'linkedin',
        code: timedOut ? 'network:timeout' : 'network:error',
        reason: timedOut ? 'timeout' : 'network_error',
        userMessage: 'LinkedIn could not be reached; Tether will retry.',
        detail: `${what}: ${(error as Error).message}`,
      });
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    if (!response.ok) {
      throw parseLinkedInError({
        status: response.status,
        body,
        retryAfter: response.headers.get('retry-after'),
        now: options.now(),
      });
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      throw new RejectedError({
        provider: 'linkedin',
        code: 'linkedin:unexpected_response',
        reason: 'unexpected_response',
        userMessage: 'LinkedIn answered in an unexpected way.',
        detail: `${what}: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`,
        status: response.status,
      });
    }
    return { data: parsed.data, headers: response.headers };
  }

  return {
    /** `POST www.linkedin.com/oauth/v2/{endpoint}`, form-encoded, with the app's client id and secret. */
    async oauth<T extends z.ZodType>(
      endpoint: 'accessToken' | 'introspectToken',
      fields: Record<string, string>,
      schema: T,
    ): Promise<z.infer<T>> {
      const form = new URLSearchParams({
        ...fields,
        client_id: options.clientId,
        client_secret: options.clientSecret,
      });
      const { data } = await send(
        `POST oauth/v2/${endpoint}`,
        `${www}/oauth/v2/${endpoint}`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body: form.toString(),
        },
        schema,
      );
      return data;
    },

    /** A bearer call to api.linkedin.com; `/rest/*` paths carry `LinkedIn-Version` and the Rest.li protocol header. */
    request<T extends z.ZodType>({ method = 'GET', path, token, json, schema }: ApiRequest<T>) {
      const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json' };
      if (path.startsWith('/rest/')) {
        headers['linkedin-version'] = options.version;
        headers['x-restli-protocol-version'] = '2.0.0';
      }
      if (json !== undefined) headers['content-type'] = 'application/json';
      return send(
        `${method} ${path.split('?')[0]}`,
        `${api}${path}`,
        { method, headers, body: json === undefined ? undefined : JSON.stringify(json) },
        schema,
      );
    },

    /**
     * `PUT` raw bytes to an upload URL that `initializeUpload` handed out (reference §8.6), with
     * the bearer token. LinkedIn answers 201 (some report 200): any 2xx is success.
     */
    async upload({ url, token, bytes }: { url: string; token: string; bytes: Uint8Array<ArrayBuffer> }) {
      await send(
        'PUT upload',
        url,
        {
          method: 'PUT',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
          body: bytes,
        },
        z.unknown(),
      );
    },
  };
}

export type LinkedInClient = ReturnType<typeof createLinkedInClient>;
