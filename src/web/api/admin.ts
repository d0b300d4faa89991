import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AdminOverview, AdminWindow, FailedJob } from '../../contracts/admin.ts';
import { api } from './client.ts';
import { queryKeys } from './query-keys.ts';

/** How often the admin view reads the numbers again while it is open. */
const POLL_MS = 30_000;

export function useAdminOverview(window: AdminWindow) {
  return useQuery({
    queryKey: queryKeys.adminOverview(window),
    queryFn: ({ signal }) => api.get<AdminOverview>(`/api/admin/overview?window=${window}`, signal),
    refetchInterval: POLL_MS,
  });
}

const retryPath = (job: FailedJob) =>
  job.type === 'publish'
    ? `/api/admin/failed-targets/${job.id}/retry`
    : `/api/admin/failed-jobs/${encodeURIComponent(job.queue)}/${job.id}/retry`;

/** Retries a failed publish target (as its owner's Retry) or a failed background job. */
export function useRetryFailedJob() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (job: FailedJob) => api.post<{ retried: true }>(retryPath(job), {}),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.admin }),
  });
}
