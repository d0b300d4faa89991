import { useQuery } from '@tanstack/react-query';
import type { InstanceInfo } from '../../contracts/instance.ts';
import { api } from './client.ts';
import { queryKeys } from './query-keys.ts';

/** What this Tether instance runs in (public; it does not change while the page is open). */
export function useInstance() {
  return useQuery({
    queryKey: queryKeys.instance,
    queryFn: ({ signal }) => api.get<InstanceInfo>('/api/instance', signal),
    staleTime: Number.POSITIVE_INFINITY,
  });
}
