import { CONTROL_PREFIX } from '../core/hosts.ts';
import type { LinkedInSettingsPatch } from './control-routes.ts';
import type { LinkedInImage, LinkedInPost, LinkedInSettings } from './model.ts';

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

/** Typed client of `/__control/linkedin/...`, for tests. */
export function createLinkedInControlClient(baseUrl: string, fetchImpl: Fetch = fetch) {
  const root = `${baseUrl.replace(/\/+$/, '')}${CONTROL_PREFIX}/linkedin`;
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetchImpl(`${root}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const payload = await response.json();
    if (!response.ok) throw new Error(`${method} ${path}: ${payload.error ?? response.status}`);
    return payload as T;
  };
  return {
    settings: () => call<LinkedInSettings>('GET', '/settings'),
    updateSettings: (patch: LinkedInSettingsPatch) => call<LinkedInSettings>('PUT', '/settings', patch),
    posts: () => call<{ posts: LinkedInPost[] }>('GET', '/posts').then((r) => r.posts),
    images: () => call<{ images: LinkedInImage[] }>('GET', '/images').then((r) => r.images),
    grants: () =>
      call<{ grants: Array<{ appId: string; memberSub: string; scopes: string[] }> }>('GET', '/grants').then(
        (r) => r.grants,
      ),
  };
}

export type LinkedInControlClient = ReturnType<typeof createLinkedInControlClient>;
