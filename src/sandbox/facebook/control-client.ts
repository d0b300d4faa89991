import { controlCaller, type Fetch } from '../core/control-call.ts';
import type { FacebookSettings } from './model.ts';

/** Typed client of the Facebook control routes (`/__control/facebook/...`). */
export function createFacebookControlClient(baseUrl: string, fetchImpl: Fetch = fetch) {
  const call = controlCaller(baseUrl, '/facebook', fetchImpl);
  return {
    settings: () => call<FacebookSettings>('GET', '/settings'),
    updateSettings: (patch: Partial<FacebookSettings>) => call<FacebookSettings>('PUT', '/settings', patch),
  };
}
