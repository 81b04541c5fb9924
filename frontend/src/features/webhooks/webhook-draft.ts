import { ALL_EVENTS, WEBHOOK_EVENTS, type CreateWebhookBody, type Webhook } from './webhook.types';

/** What the webhook form holds while a person types. */
export interface WebhookDraft {
  url: string;
  description: string;
  allEvents: boolean;
  events: string[];
}

export const emptyDraft: WebhookDraft = { url: '', description: '', allEvents: true, events: [] };

export function draftOf(webhook: Webhook): WebhookDraft {
  const all = webhook.events.includes(ALL_EVENTS);
  return { url: webhook.url, description: webhook.description ?? '', allEvents: all, events: all ? [] : webhook.events };
}

/** The body a draft stands for: the API's own form (`["*"]` or names in the order the picker lists them). */
export function bodyOf(draft: WebhookDraft): Required<Pick<CreateWebhookBody, 'url' | 'events' | 'description'>> {
  return {
    url: draft.url.trim(),
    events: draft.allEvents ? [ALL_EVENTS] : WEBHOOK_EVENTS.filter((event) => draft.events.includes(event)),
    description: draft.description.trim() || null,
  };
}
