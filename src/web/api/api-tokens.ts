import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ApiTokenList, CreateApiTokenBody, CreatedApiToken } from '../../contracts/api-tokens.ts';
import { api } from './client.ts';
import { queryKeys } from './query-keys.ts';

/** The signed-in user's personal API tokens (never their secrets). */
export function useApiTokens() {
  return useQuery({
    queryKey: queryKeys.apiTokens,
    queryFn: ({ signal }) => api.get<ApiTokenList>('/api/api-tokens', signal),
    select: (data) => data.tokens,
  });
}

/** Creates a token; the answer holds its secret, which the API never shows again. */
export function useCreateApiToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateApiTokenBody) => api.post<CreatedApiToken>('/api/api-tokens', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.apiTokens }),
  });
}

export function useRevokeApiToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/api/api-tokens/${encodeURIComponent(id)}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.apiTokens }),
  });
}
