import type { z } from 'zod';
import { controlCaller, type Fetch } from '../core/control-call.ts';
import type { instagramSettingsPatch } from './control-routes.ts';
import type { InstagramSettings } from './model.ts';

/** Typed client of the Instagram family's control routes. */
export function createInstagramControlClient(baseUrl: string, fetchImpl: Fetch = fetch) {
  const call = controlCaller(baseUrl, '/instagram', fetchImpl);
  return {
    settings: () => call<InstagramSettings>('GET', '/settings'),
    updateSettings: (patch: z.input<typeof instagramSettingsPatch>) =>
      call<InstagramSettings>('PUT', '/settings', patch),
  };
}

export type InstagramControlClient = ReturnType<typeof createInstagramControlClient>;
