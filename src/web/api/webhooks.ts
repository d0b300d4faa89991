import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  CreatedWebhook,
  CreateWebhookBody,
  WebhookDelivery,
  WebhookDeliveryList,
  WebhookList,
} from '../../contracts/webhooks.ts';
import { api } from './client.ts';
import { queryKeys } from './query-keys.ts';

/** How often an open delivery list refreshes while one of its deliveries is still pending. */
const PENDING_REFRESH_MS = 3_000;

const endpointPath = (id: string) => `/api/webhooks/${encodeURIComponent(id)}`;

/** The signed-in user's webhook endpoints (never their secrets). */
export function useWebhooks() {
  return useQuery({
    queryKey: queryKeys.webhooks,
    queryFn: ({ signal }) => api.get<WebhookList>('/api/webhooks', signal),
    select: (data) => data.endpoints,
  });
}

/** Adds an endpoint; the answer holds its signing secret, which the API never shows again. */
export function useCreateWebhook() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateWebhookBody) => api.post<CreatedWebhook>('/api/webhooks', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.webhooks }),
  });
}

export function useDeleteWebhook() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(endpointPath(id)),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.webhooks }),
  });
}

/** Queues a `webhook.test` delivery; the endpoint's delivery list picks it up. */
export function useSendTestEvent() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<WebhookDelivery>(`${endpointPath(id)}/test`),
    onSuccess: (_delivery, id) => queryClient.invalidateQueries({ queryKey: queryKeys.webhookDeliveries(id) }),
  });
}

/** The latest deliveries to one endpoint; refreshes by itself while any is still being tried. */
export function useWebhookDeliveries(id: string, enabled = true) {
  return useQuery({
    queryKey: queryKeys.webhookDeliveries(id),
    queryFn: ({ signal }) => api.get<WebhookDeliveryList>(`${endpointPath(id)}/deliveries`, signal),
    select: (data) => data.deliveries,
    enabled,
    refetchInterval: (query) =>
      query.state.data?.deliveries.some((delivery) => delivery.status === 'pending') ? PENDING_REFRESH_MS : false,
  });
}
