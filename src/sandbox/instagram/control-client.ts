import type { z } from 'zod';
import { INSTAGRAM_CONTROL_PATH, type instagramSettingsPatch } from './control-routes.ts';
import type { InstagramSettings } from './model.ts';

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

/** Typed client of the Instagram family's control routes. */
export function createInstagramControlClient(baseUrl: string, fetchImpl: Fetch = fetch) {
  const url = `${baseUrl.replace(/\/+$/, '')}${INSTAGRAM_CONTROL_PATH}`;
  const call = async (init?: RequestInit): Promise<InstagramSettings> => {
    const response = await fetchImpl(url, init);
    const payload = await response.json();
    if (!response.ok) throw new Error(`instagram settings: ${payload.error ?? response.status}`);
    return payload as InstagramSettings;
  };
  return {
    settings: () => call(),
    updateSettings: (patch: z.input<typeof instagramSettingsPatch>) =>
      call({ method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(patch) }),
  };
}

export type InstagramControlClient = ReturnType<typeof createInstagramControlClient>;
