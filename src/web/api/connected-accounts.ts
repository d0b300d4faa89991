import { useQuery } from '@tanstack/react-query';
import type { ConnectedAccountList } from '../../contracts/connected-accounts.ts';
import { api } from './client.ts';
import { queryKeys } from './query-keys.ts';

/** The signed-in user's connected social accounts. */
export function useConnectedAccounts() {
  return useQuery({
    queryKey: queryKeys.connectedAccounts,
    queryFn: ({ signal }) => api.get<ConnectedAccountList>('/api/connected-accounts', signal),
    select: (data) => data.accounts,
  });
}
