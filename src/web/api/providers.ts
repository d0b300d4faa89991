import { useQuery } from '@tanstack/react-query';
import type { ProviderInfo, ProviderList } from '../../contracts/providers.ts';
import { api } from './client.ts';
import { queryKeys } from './query-keys.ts';

/** What the instance is configured with changes only with a restart: no need to read it often. */
const CONFIG_STALE_MS = 10 * 60_000;

/** Every provider Tether knows: its state here, whether it connects and publishes, its post kinds. */
export function useProviders() {
  return useQuery({
    queryKey: queryKeys.providers,
    queryFn: ({ signal }) => api.get<ProviderList>('/api/providers', signal),
    select: (data) => data.providers,
    staleTime: CONFIG_STALE_MS,
  });
}

/** A provider's setup guide as Markdown; waits until there is a provider with a guide. */
export function useSetupGuide(provider: ProviderInfo | null) {
  const url = provider?.setupGuideUrl ?? null;
  return useQuery({
    queryKey: queryKeys.setupGuide(provider?.id ?? ''),
    queryFn: ({ signal }) => api.getText(url ?? '', signal),
    enabled: url !== null,
    staleTime: CONFIG_STALE_MS,
  });
}
