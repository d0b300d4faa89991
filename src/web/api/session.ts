import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { SessionUser } from '../../contracts/instance.ts';
import { api, isUnauthenticated } from './client.ts';
import { isUserData, queryKeys } from './query-keys.ts';

/** The signed-in user, or `null` when nobody is signed in. */
async function fetchMe(signal: AbortSignal): Promise<SessionUser | null> {
  try {
    return await api.get<SessionUser>('/api/me', signal);
  } catch (error) {
    if (isUnauthenticated(error)) return null;
    throw error;
  }
}

/** Who is signed in: `data` is the user, `null` when signed out, `undefined` while loading. */
export function useMe() {
  return useQuery({ queryKey: queryKeys.me, queryFn: ({ signal }) => fetchMe(signal) });
}

export interface SignInInput {
  email: string;
  password: string;
}

export interface SignUpInput extends SignInInput {
  name: string;
}

/**
 * Sign-in and sign-up both set the session cookie; afterwards the previous user's cached data is
 * dropped and `/api/me` is read again, which moves the guards to the signed-in pages.
 */
function useStartSession<TInput>(path: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: TInput) => api.post<unknown>(path, input),
    onSuccess: async () => {
      queryClient.removeQueries({ predicate: (query) => isUserData(query.queryKey) });
      await queryClient.invalidateQueries({ queryKey: queryKeys.me });
    },
  });
}

export const useSignIn = () => useStartSession<SignInInput>('/api/auth/sign-in/email');
export const useSignUp = () => useStartSession<SignUpInput>('/api/auth/sign-up/email');

export function useSignOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<unknown>('/api/auth/sign-out', {}),
    onSuccess: () => {
      queryClient.setQueryData<SessionUser | null>(queryKeys.me, null);
      queryClient.removeQueries({ predicate: (query) => isUserData(query.queryKey) });
    },
  });
}
