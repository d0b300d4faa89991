import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { AccountDeletion, DeleteAccountBody } from '../../contracts/account.ts';
import type { SessionUser } from '../../contracts/instance.ts';
import { api } from './client.ts';
import { isUserData, queryKeys } from './query-keys.ts';

/**
 * Deletes the signed-in user's account and data (confirmed with the password). Afterwards nobody
 * is signed in: the cached user becomes `null` and their data is dropped.
 */
export function useDeleteAccount() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: DeleteAccountBody) => api.delete<AccountDeletion>('/api/me', body),
    onSuccess: () => {
      queryClient.setQueryData<SessionUser | null>(queryKeys.me, null);
      queryClient.removeQueries({ predicate: (query) => isUserData(query.queryKey) });
    },
  });
}
