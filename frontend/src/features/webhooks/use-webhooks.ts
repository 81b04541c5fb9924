import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import {
  createWebhook,
  deleteWebhook,
  listDeliveries,
  listWebhooks,
  pingWebhook,
  redeliver,
  rotateWebhookSecret,
  updateWebhook,
} from './webhooks.api';
import type { CreateWebhookBody, Delivery, UpdateWebhookBody } from './webhook.types';

export const webhookKeys = {
  all: ['webhooks'] as const,
  list: ['webhooks', 'list'] as const,
  deliveries: (id: string, limit: number) => ['webhooks', 'deliveries', id, limit] as const,
  deliveriesOf: (id: string) => ['webhooks', 'deliveries', id] as const,
};

/** While an attempt is in flight, the API gives the end of its claim (a minute at most) as the next attempt. */
const IN_FLIGHT_MS = 60_000;

/**
 * While a delivery is on its way the log refreshes itself, so that a ping's outcome shows without a reload: every
 * 2 to 5 s while an attempt is due or may be in flight (within a minute), every 30 s while the next one is further
 * off. Deliveries waiting for a paused webhook have no due time: no refresh.
 */
export function refreshInterval(deliveries: Delivery[] | undefined, now = Date.now()): number | false {
  const due = (deliveries ?? [])
    .filter((delivery) => delivery.status === 'pending' && delivery.next_attempt_at !== null)
    .map((delivery) => Date.parse(delivery.next_attempt_at!));
  if (due.length === 0) return false;
  const wait = Math.min(...due) - now;
  return wait <= IN_FLIGHT_MS ? Math.min(5_000, Math.max(2_000, wait + 500)) : 30_000;
}

/** The server makes a change's deliveries from the change log shortly after the write (a tenth of a second). */
const DELIVERIES_MADE_WITHIN_MS = 1_000;

/**
 * A change arrived on the live stream: any open delivery log reads again once its deliveries exist, so that a new
 * delivery shows without a reload. A log that is not on screen is only marked stale.
 */
export function refreshDeliveryLogs(queryClient: QueryClient): void {
  setTimeout(() => void queryClient.invalidateQueries({ queryKey: ['webhooks', 'deliveries'] }), DELIVERIES_MADE_WITHIN_MS);
}

export function useWebhooks() {
  return useQuery({ queryKey: webhookKeys.list, queryFn: ({ signal }) => listWebhooks(signal) });
}

export function useDeliveries(id: string, limit: number, enabled = true) {
  return useQuery({
    queryKey: webhookKeys.deliveries(id, limit),
    enabled,
    queryFn: ({ signal }) => listDeliveries(id, limit, signal),
    refetchInterval: (query) => refreshInterval(query.state.data as Delivery[] | undefined),
    placeholderData: (previous) => previous,
  });
}

export function useCreateWebhook() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateWebhookBody) => createWebhook(body),
    onSettled: () => queryClient.invalidateQueries({ queryKey: webhookKeys.list }),
  });
}

export function useUpdateWebhook() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, changes }: { id: string; changes: UpdateWebhookBody }) => updateWebhook(id, changes),
    // Resuming attempts the waiting deliveries: their log changes too.
    onSettled: (_data, _error, { id }) =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: webhookKeys.list }),
        queryClient.invalidateQueries({ queryKey: webhookKeys.deliveriesOf(id) }),
      ]),
  });
}

export function useDeleteWebhook() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => deleteWebhook(id),
    onSettled: () => queryClient.invalidateQueries({ queryKey: webhookKeys.list }),
  });
}

export function useRotateSecret() {
  return useMutation({ mutationFn: (id: string) => rotateWebhookSecret(id) });
}

export function usePingWebhook() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => pingWebhook(id),
    onSettled: (_data, _error, id) => queryClient.invalidateQueries({ queryKey: webhookKeys.deliveriesOf(id) }),
  });
}

export function useRedeliver() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, deliveryId }: { id: string; deliveryId: string }) => redeliver(id, deliveryId),
    onSettled: (_data, _error, { id }) => queryClient.invalidateQueries({ queryKey: webhookKeys.deliveriesOf(id) }),
  });
}
