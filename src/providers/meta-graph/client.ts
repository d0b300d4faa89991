import { createHmac } from 'node:crypto';
import type { z } from 'zod';
import { RejectedError, TransientError } from '../errors.ts';
import { parseGraphError } from './errors.ts';
import type { GraphThrottle } from './throttle.ts';
import { type GraphUsage, parseUsageHeaders } from './usage.ts';

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

export interface GraphClientOptions {
  /** Provider id used in errors (`instagram`, `facebook_page`, ...). */
  provider: string;
  /** `https://graph.facebook.com` or `https://graph.instagram.com` (or a sandbox/emulator URL). */
  baseUrl: string;
  /** `v25.0`; sent on every call. */
  version: string;
  /** When set, every call with a token carries appsecret_proof + appsecret_time (reference §2.7). */
  appSecret?: string;
  fetch?: Fetch;
  /** Epoch milliseconds; injectable for tests. */
  now?: () => number;
  timeoutMs?: number;
  /** Called with the usage headers of every response, e.g. to record them for throttling. */
  onUsage?: (usage: GraphUsage) => void;
  /** Paces calls by the usage Meta reports for this client's app and the objects it calls for. */
  throttle?: GraphThrottle;
}

export interface GraphRequest<T extends z.ZodType> {
  /** Path below the version, e.g. `me/accounts` or `17841.../media`. */
  path: string;
  token?: string;
  params?: Record<string, string | number | boolean | undefined>;
  /** The shape the response must have; anything else is an error, never passed on unchecked. */
  schema: T;
  /** For the few endpoints documented without a version (Instagram's token endpoints). */
  unversioned?: boolean;
  /**
   * The business object (Page or Instagram account id) the call counts against, so the throttle
   * can hold it by that object's usage as well as the app's.
   */
  object?: string;
}

export const DEFAULT_GRAPH_TIMEOUT_MS = 30_000;

export function appSecretProof(appSecret: string, token: string, unixSeconds: number): string {
  return createHmac('sha256', appSecret).update(`${token}|${unixSeconds}`).digest('hex');
}

/**
 * One client for graph.facebook.com and graph.instagram.com: versioned URLs, the token in the
 * Authorization header (never in a URL we build), appsecret_proof, usage headers read on every
 * response, errors classified by parseGraphError, responses parsed with zod.
 */
export function createGraphClient(options: GraphClientOptions) {
  const fetchImpl = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const root = options.baseUrl.replace(/\/+$/, '');
  const base = `${root}/${options.version}`;

  async function request<T extends z.ZodType>(
    method: 'GET' | 'POST' | 'DELETE',
    { path, token, params = {}, schema, unversioned = false, object }: GraphRequest<T>,
  ): Promise<{ data: z.infer<T>; usage: GraphUsage }> {
    // Before the proof's timestamp is taken: the throttle may hold the call for a moment.
    await options.throttle?.admit(object);
    const fields = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) if (value !== undefined) fields.set(key, String(value));
    if (token && options.appSecret) {
      const time = Math.floor(now() / 1000);
      fields.set('appsecret_proof', appSecretProof(options.appSecret, token, time));
      fields.set('appsecret_time', String(time));
    }
    const inBody = method === 'POST';
    const url = `${unversioned ? root : base}/${path.replace(/^\/+/, '')}${!inBody && fields.size > 0 ? `?${fields}` : ''}`;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    if (inBody) headers['content-type'] = 'application/x-www-form-urlencoded';

    let response: Response;
    try {
      response = await fetchImpl(url, {
        method,
        headers,
        body: inBody ? fields.toString() : undefined,
        signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_GRAPH_TIMEOUT_MS),
      });
    } catch (error) {
      const timedOut = (error as Error).name === 'TimeoutError';
      throw new TransientError({
        provider: options.provider,
        code: timedOut ? 'network:timeout' : 'network:error',
        reason: timedOut ? 'timeout' : 'network_error',
        userMessage: 'Meta could not be reached; Tether will retry.',
        detail: `${method} ${path}: ${(error as Error).message}`,
      });
    }
    const usage = parseUsageHeaders(response.headers);
    options.onUsage?.(usage);
    options.throttle?.observe(usage);
    const text = await response.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    const isError = !response.ok || (typeof body === 'object' && body !== null && 'error' in body);
    if (isError) throw parseGraphError({ provider: options.provider, status: response.status, body, usage });
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      throw new RejectedError({
        provider: options.provider,
        code: 'graph:unexpected_response',
        reason: 'unexpected_response',
        userMessage: 'Meta answered in an unexpected way.',
        detail: `${method} ${path}: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`,
        status: response.status,
      });
    }
    return { data: parsed.data, usage };
  }

  return {
    get: <T extends z.ZodType>(input: GraphRequest<T>) => request('GET', input),
    post: <T extends z.ZodType>(input: GraphRequest<T>) => request('POST', input),
    delete: <T extends z.ZodType>(input: GraphRequest<T>) => request('DELETE', input),
  };
}

export type GraphClient = ReturnType<typeof createGraphClient>;
