import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { NotificationList } from '../../contracts/notifications.ts';
import { api } from './client.ts';
import { queryKeys } from './query-keys.ts';

/** How often the bell looks for news while the app is open. */
const POLL_MS = 60_000;

export function useNotifications() {
  return useQuery({
    queryKey: queryKeys.notifications,
    queryFn: ({ signal }) => api.get<NotificationList>('/api/notifications', signal),
    refetchInterval: POLL_MS,
  });
}

/** Marks every notification read. */
export function useMarkAllRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<void>('/api/notifications/read', {}),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.notifications }),
  });
}
