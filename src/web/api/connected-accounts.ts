import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  ConnectedAccount,
  ConnectedAccountDetail,
  ConnectedAccountList,
  ConnectResponse,
  FlowView,
} from '../../contracts/connected-accounts.ts';
import { api } from './client.ts';
import { queryKeys } from './query-keys.ts';

const accountPath = (id: string) => `/api/connected-accounts/${encodeURIComponent(id)}`;
const flowPath = (flowId: string) => `/api/oauth/flows/${encodeURIComponent(flowId)}`;

/**
 * The list lives under `['connected-accounts']` and each detail under `['connected-accounts', id]`,
 * so invalidating the list key refreshes the details too.
 */
export function useConnectedAccounts() {
  return useQuery({
    queryKey: queryKeys.connectedAccounts,
    queryFn: ({ signal }) => api.get<ConnectedAccountList>('/api/connected-accounts', signal),
    select: (data) => data.accounts,
  });
}

/** One account with when it was last checked and its recent events (most recent first). */
export function useConnectedAccount(id: string) {
  return useQuery({
    queryKey: queryKeys.connectedAccount(id),
    queryFn: ({ signal }) => api.get<ConnectedAccountDetail>(accountPath(id), signal),
  });
}

export interface StartConnectInput {
  provider: ConnectedAccount['provider'];
  /** Reconnect this account instead of connecting new ones. */
  reconnectAccountId?: string;
}

/**
 * Asks for the platform's login URL and sends the browser there. The mutation stays "pending"
 * in the UI's eyes (see `isStarting`) while the browser leaves the page.
 */
export function useStartConnect() {
  const mutation = useMutation({
    mutationFn: ({ provider, reconnectAccountId }: StartConnectInput) =>
      api.post<ConnectResponse>(
        `/api/connected-accounts/connect/${encodeURIComponent(provider)}`,
        reconnectAccountId ? { reconnectAccountId } : {},
      ),
    onSuccess: ({ loginUrl }) => {
      window.location.href = loginUrl;
    },
  });
  return { ...mutation, isStarting: mutation.isPending || mutation.isSuccess };
}

/** Refreshes the tokens, or re-validates them where the platform cannot refresh. */
export function useRefreshAccount() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<ConnectedAccountDetail>(`${accountPath(id)}/refresh`),
    onSuccess: (detail) => {
      queryClient.setQueryData(queryKeys.connectedAccount(detail.id), detail);
      return queryClient.invalidateQueries({ queryKey: queryKeys.connectedAccounts, exact: true });
    },
    // A failed check may still have changed the account's status or added an event.
    onError: () => queryClient.invalidateQueries({ queryKey: queryKeys.connectedAccounts }),
  });
}

/** Revokes Tether's access at the platform where possible and deletes the stored tokens. */
export function useDisconnectAccount() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(accountPath(id)),
    onSuccess: (_data, id) => {
      queryClient.removeQueries({ queryKey: queryKeys.connectedAccount(id) });
      return queryClient.invalidateQueries({ queryKey: queryKeys.connectedAccounts, exact: true });
    },
  });
}

/** The accounts a connect flow found, to pick from. */
export function useConnectFlow(flowId: string) {
  return useQuery({
    queryKey: queryKeys.connectFlow(flowId),
    queryFn: ({ signal }) => api.get<FlowView>(flowPath(flowId), signal),
    // Picking happens once; refetching on focus could only turn the list into an error.
    refetchOnWindowFocus: false,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** Connects the picked candidates of a flow; answers the new (or updated) account ids. */
export function useSelectCandidates(flowId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (candidateIds: string[]) =>
      api.post<{ accountIds: string[] }>(`${flowPath(flowId)}/select`, { candidateIds }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.connectedAccounts }),
  });
}
