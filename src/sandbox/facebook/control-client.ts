import { CONTROL_PREFIX } from '../core/hosts.ts';
import type { FacebookSettings } from './model.ts';

/** Typed client of the Facebook control routes (`/__control/facebook/...`). */
export function createFacebookControlClient(baseUrl: string, fetchImpl: typeof fetch = fetch) {
  const root = `${baseUrl.replace(/\/+$/, '')}${CONTROL_PREFIX}/facebook`;
  const call = async (method: string, path: string, body?: unknown): Promise<FacebookSettings> => {
    const response = await fetchImpl(`${root}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const payload = await response.json();
    if (!response.ok) throw new Error(`${method} ${path}: ${payload.error ?? response.status}`);
    return payload as FacebookSettings;
  };
  return {
    settings: () => call('GET', '/settings'),
    updateSettings: (patch: Partial<FacebookSettings>) => call('PUT', '/settings', patch),
  };
}
