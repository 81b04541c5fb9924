import { apiClient, request } from '../../lib/api-client';
import type { CreatedWebhook, CreateWebhookBody, Delivery, UpdateWebhookBody, Webhook } from './webhook.types';

export async function listWebhooks(signal?: AbortSignal): Promise<Webhook[]> {
  return (await request(apiClient.GET('/webhooks', { signal }))).data;
}

/** The webhook with its signing secret, which the server shows this once. */
export async function createWebhook(body: CreateWebhookBody): Promise<CreatedWebhook> {
  return (await request(apiClient.POST('/webhooks', { body }))).data;
}

export async function updateWebhook(id: string, body: UpdateWebhookBody): Promise<Webhook> {
  return (await request(apiClient.PATCH('/webhooks/{id}', { params: { path: { id } }, body }))).data;
}

export async function deleteWebhook(id: string): Promise<void> {
  await request(apiClient.DELETE('/webhooks/{id}', { params: { path: { id } } }));
}

/** The new signing secret, shown this once; the old one stops signing at once. */
export async function rotateWebhookSecret(id: string): Promise<string> {
  return (await request(apiClient.POST('/webhooks/{id}/rotate-secret', { params: { path: { id } } }))).data.secret;
}

export async function pingWebhook(id: string): Promise<void> {
  await request(apiClient.POST('/webhooks/{id}/ping', { params: { path: { id } } }));
}

export async function listDeliveries(id: string, limit: number, signal?: AbortSignal): Promise<Delivery[]> {
  return (await request(apiClient.GET('/webhooks/{id}/deliveries', { params: { path: { id }, query: { limit } }, signal }))).data;
}

export async function redeliver(id: string, deliveryId: string): Promise<void> {
  await request(apiClient.POST('/webhooks/{id}/deliveries/{delivery_id}/redeliver', { params: { path: { id, delivery_id: deliveryId } } }));
}
