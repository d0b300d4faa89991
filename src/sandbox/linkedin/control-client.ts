import { controlCaller, type Fetch } from '../core/control-call.ts';
import type { LinkedInSettingsPatch } from './control-routes.ts';
import type { LinkedInImage, LinkedInPost, LinkedInSettings } from './model.ts';

/** Typed client of `/__control/linkedin/...`, for tests. */
export function createLinkedInControlClient(baseUrl: string, fetchImpl: Fetch = fetch) {
  const call = controlCaller(baseUrl, '/linkedin', fetchImpl);
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
