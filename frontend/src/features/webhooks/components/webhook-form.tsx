import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Field, FormErrors } from '../../../components/field';
import i18n from '../../../i18n/i18n';
import { toFeedback, useFormSubmit, type FieldErrors } from '../../../lib/use-form-submit';
import { emptyDraft, type WebhookDraft } from '../webhook-draft';
import { eventLabel, WEBHOOK_EVENTS } from '../webhook.types';

type WebhookField = 'url' | 'description' | 'events';
const serverFields: Record<string, WebhookField> = { url: 'url', description: 'description', events: 'events' };

const MAX_URL_LENGTH = 2000;
const MAX_DESCRIPTION_LENGTH = 500;

function check(draft: WebhookDraft): FieldErrors<WebhookField> {
  const url = draft.url.trim();
  return {
    url: !url
      ? i18n.t('Enter the address that will receive the events.')
      : !/^https?:\/\/\S+$/i.test(url)
        ? i18n.t('Enter an absolute http:// or https:// address.')
        : url.length > MAX_URL_LENGTH
          ? i18n.t('The address must be at most {{max}} characters.', { max: MAX_URL_LENGTH })
          : undefined,
    description:
      draft.description.trim().length > MAX_DESCRIPTION_LENGTH
        ? i18n.t('The description must be at most {{max}} characters.', { max: MAX_DESCRIPTION_LENGTH })
        : undefined,
    events: !draft.allEvents && draft.events.length === 0 ? i18n.t('Choose at least one event, or all events.') : undefined,
  };
}

interface WebhookFormProps {
  label: string;
  initial: WebhookDraft;
  submitLabel: string;
  busyLabel: string;
  /** Sends the draft; a rejection is shown beside the fields and the draft stays as typed. */
  onSubmit: (draft: WebhookDraft) => Promise<unknown>;
  /** Resets the form after a success (a creation form); an edit form is closed by its owner instead. */
  resetOnSuccess?: boolean;
  onCancel?: () => void;
  /** Puts the keyboard in the address field at once (an edit form opened by a button). */
  autoFocus?: boolean;
}

/** The address, description and events of a webhook, for creating one or changing it. */
export function WebhookForm({ label, initial, submitLabel, busyLabel, onSubmit, resetOnSuccess, onCancel, autoFocus }: WebhookFormProps) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState(initial);
  const form = useFormSubmit<WebhookField>();
  const id = useId();
  const eventsError = form.feedback.fields.events;

  function set<K extends keyof WebhookDraft>(key: K, value: WebhookDraft[K], field: WebhookField) {
    setDraft((current) => ({ ...current, [key]: value }));
    form.clearField(field);
  }

  function toggle(event: string, on: boolean) {
    set('events', on ? [...draft.events, event] : draft.events.filter((candidate) => candidate !== event), 'events');
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const ok = await form.run(
      () => check(draft),
      () => onSubmit(draft),
      (error) => toFeedback(error, serverFields),
    );
    if (ok && resetOnSuccess) setDraft(emptyDraft);
  }

  return (
    <form className="panel-form webhook-form" onSubmit={submit} noValidate aria-busy={form.busy} aria-label={label}>
      <FormErrors messages={form.feedback.general} />
      <Field
        label={t('Payload URL')}
        name="url"
        type="url"
        inputMode="url"
        value={draft.url}
        onChange={(event) => set('url', event.target.value, 'url')}
        error={form.feedback.fields.url}
        hint={t('TaskFlow sends a signed POST request here for each event.')}
        autoComplete="off"
        spellCheck={false}
        autoFocus={autoFocus}
      />
      <Field
        label={t('Description (optional)')}
        name="description"
        value={draft.description}
        onChange={(event) => set('description', event.target.value, 'description')}
        error={form.feedback.fields.description}
        autoComplete="off"
      />
      <fieldset
        className="events-picker"
        aria-describedby={eventsError ? `${id}-events-error` : undefined}
      >
        <legend>{t('Events')}</legend>
        <label className="choice">
          <input type="radio" name={`${id}-scope`} checked={draft.allEvents} onChange={() => set('allEvents', true, 'events')} />
          <span>{t('All events, including those added later')}</span>
        </label>
        <label className="choice">
          <input type="radio" name={`${id}-scope`} checked={!draft.allEvents} onChange={() => set('allEvents', false, 'events')} />
          <span>{t('Only the events chosen below')}</span>
        </label>
        <ul className="events-list" aria-label={t('Events to send')}>
          {WEBHOOK_EVENTS.map((event) => (
            <li key={event}>
              <label className="choice">
                <input
                  type="checkbox"
                  checked={draft.allEvents || draft.events.includes(event)}
                  disabled={draft.allEvents}
                  onChange={(change) => toggle(event, change.target.checked)}
                />
                <span>
                  {eventLabel(event)} <code>{event}</code>
                </span>
              </label>
            </li>
          ))}
        </ul>
        {eventsError && (
          <p className="field-error" id={`${id}-events-error`}>
            {eventsError}
          </p>
        )}
      </fieldset>
      <div className="form-actions">
        <button type="submit" className="button-primary" disabled={form.busy}>
          {form.busy ? busyLabel : submitLabel}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel}>
            {t('Cancel')}
          </button>
        )}
      </div>
    </form>
  );
}
