import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import type { SessionUser } from '../../contracts/instance.ts';
import { ApiError, isUnauthenticated } from './client.ts';
import { queryKeys } from './query-keys.ts';

const MAX_RETRIES = 2;

/** Retries network and server failures, never client errors (4xx): they would fail again. */
function shouldRetry(failureCount: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
  return failureCount < MAX_RETRIES;
}

/**
 * The app's query client. When any request answers UNAUTHENTICATED (the session expired or was
 * revoked), the cached user is cleared so protected pages send the user to sign in again.
 */
export function createQueryClient(): QueryClient {
  const signedOut = (error: unknown) => {
    if (isUnauthenticated(error)) client.setQueryData<SessionUser | null>(queryKeys.me, null);
  };
  const client = new QueryClient({
    queryCache: new QueryCache({ onError: signedOut }),
    mutationCache: new MutationCache({ onError: signedOut }),
    defaultOptions: {
      queries: { retry: shouldRetry, staleTime: 30_000, refetchOnWindowFocus: true },
      mutations: { retry: false },
    },
  });
  return client;
}
