import { CONTROL_PREFIX } from './hosts.ts';

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

export class SandboxControlError extends Error {
  override name = 'SandboxControlError';
}

/**
 * JSON calls to one part of the control API (`<base>/__control<path>`), shared by the typed
 * clients of core and each family. A non-2xx answer throws with the sandbox's message.
 */
export function controlCaller(baseUrl: string, path = '', fetchImpl: Fetch = fetch) {
  const root = `${baseUrl.replace(/\/+$/, '')}${CONTROL_PREFIX}${path}`;
  return async <T>(method: string, route: string, body?: unknown): Promise<T> => {
    const response = await fetchImpl(`${root}${route}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const payload = await response.json();
    if (!response.ok) throw new SandboxControlError(`${method} ${path}${route}: ${payload.error ?? response.status}`);
    return payload as T;
  };
}
