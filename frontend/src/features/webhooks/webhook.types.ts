import type { components } from '../../lib/api-schema';
import i18n, { currentLanguage } from '../../i18n/i18n';

type Schemas = components['schemas'];

export type Webhook = Schemas['WebhookResponse'];
export type CreatedWebhook = Schemas['CreatedWebhookResponse'];
export type CreateWebhookBody = Schemas['CreateWebhookDto'];
export type UpdateWebhookBody = Schemas['UpdateWebhookDto'];
export type Delivery = Schemas['DeliveryResponse'];
export type DeliveryStatus = Schemas['WebhookDeliveryStatus'];

/** Every event the API accepts (docs/API.md, Webhooks); `*` stands for all of them, later ones included. */
export const WEBHOOK_EVENTS = ['task.created', 'task.updated', 'task.deleted', 'comment.created', 'comment.updated', 'comment.deleted'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
export const ALL_EVENTS = '*';

const eventLabels: Record<string, () => string> = {
  'task.created': () => i18n.t('Task created'),
  'task.updated': () => i18n.t('Task updated'),
  'task.deleted': () => i18n.t('Task deleted'),
  'comment.created': () => i18n.t('Comment added'),
  'comment.updated': () => i18n.t('Comment edited'),
  'comment.deleted': () => i18n.t('Comment deleted'),
  ping: () => i18n.t('Ping'),
  [ALL_EVENTS]: () => i18n.t('All events'),
};

/** An event in words; an event this app does not know yet keeps its wire name. */
export const eventLabel = (event: string): string => eventLabels[event]?.() ?? event;

const statusLabels: Record<DeliveryStatus, () => string> = {
  pending: () => i18n.t('Pending'),
  succeeded: () => i18n.t('Succeeded'),
  failed: () => i18n.t('Failed'),
};
export const deliveryStatusLabel = (status: DeliveryStatus): string => statusLabels[status]();

/** The delivery log's page sizes: the API returns the newest `limit` (at most 100) and has no further paging. */
export const DELIVERIES_PAGE = 20;
export const DELIVERIES_MAX = 100;

/** A delivery's times to the second: retries may be seconds apart. */
export function formatDeliveryTime(iso: string): string {
  return new Intl.DateTimeFormat(currentLanguage(), { dateStyle: 'medium', timeStyle: 'medium' }).format(new Date(iso));
}
