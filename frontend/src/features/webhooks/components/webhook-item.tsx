import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog } from '../../../components/confirm-dialog';
import { formatDateTime } from '../../../i18n/i18n';
import { ApiError } from '../../../lib/api-client';
import { useDeleteWebhook, useDeliveries, usePingWebhook, useRotateSecret, useUpdateWebhook } from '../use-webhooks';
import { ALL_EVENTS, DELIVERIES_PAGE, eventLabel, type Webhook } from '../webhook.types';
import { DeliveryLog } from './delivery-log';
import { bodyOf, draftOf } from '../webhook-draft';
import { WebhookForm } from './webhook-form';
import { WebhookSecret } from './webhook-secret';

/** How many failed deliveries in a row turn a webhook off (docs/API.md, Webhooks). */
const FAILURES_TO_DISABLE = 20;

/** "All events" or the chosen events in words. */
function EventsSummary({ events }: { events: string[] }) {
  const { t } = useTranslation();
  if (events.includes(ALL_EVENTS)) return <>{t('All events')}</>;
  return <>{events.map(eventLabel).join(', ')}</>;
}

/**
 * Whether an inactive webhook was turned off by TaskFlow rather than paused by an admin: the API says only
 * `active: false`, so this reads its latest deliveries (20 in a row attempted, none succeeded).
 */
function useTurnedOffAfterFailures(webhook: Webhook): boolean {
  const recent = useDeliveries(webhook.id, DELIVERIES_PAGE, !webhook.active);
  if (webhook.active || !recent.data || recent.data.length < FAILURES_TO_DISABLE) return false;
  return recent.data.slice(0, FAILURES_TO_DISABLE).every((delivery) => delivery.attempts > 0 && delivery.status !== 'succeeded');
}

interface WebhookItemProps {
  webhook: Webhook;
  /** Told once the webhook is deleted; the item, its dialog and its buttons go with the list's next answer. */
  onDeleted: (id: string) => void;
}

type Dialog = 'rotate' | 'delete' | null;

/** One webhook: its address and state, its actions, and its delivery log on demand. */
export function WebhookItem({ webhook, onDeleted }: WebhookItemProps) {
  const { t } = useTranslation();
  const update = useUpdateWebhook();
  const ping = usePingWebhook();
  const [editing, setEditing] = useState(false);
  const [showLog, setShowLog] = useState(false);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [message, setMessage] = useState<{ text: string; failed: boolean } | null>(null);
  const editButton = useRef<HTMLButtonElement>(null);
  const rotateButton = useRef<HTMLButtonElement>(null);
  const turnedOff = useTurnedOffAfterFailures(webhook);
  const logId = `delivery-log-${webhook.id}`;
  const titleId = `webhook-title-${webhook.id}`;

  const say = (text: string) => setMessage({ text, failed: false });
  const fail = (text: string) => setMessage({ text, failed: true });

  function setActive(active: boolean) {
    setMessage(null);
    update.mutate(
      { id: webhook.id, changes: { active } },
      {
        onSuccess: () => say(active ? t('Webhook resumed: its waiting deliveries are being sent.') : t('Webhook paused: new deliveries wait until it is resumed.')),
        onError: (error) =>
          fail(active ? t('Could not resume the webhook: {{reason}}', { reason: error.message }) : t('Could not pause the webhook: {{reason}}', { reason: error.message })),
      },
    );
  }

  function sendPing() {
    setMessage(null);
    ping.mutate(webhook.id, {
      onSuccess: () => {
        setShowLog(true);
        say(t('Ping sent: its delivery shows in the log below.'));
      },
      onError: (error) =>
        fail(error instanceof ApiError && error.status === 409 ? t('This webhook is paused: resume it to send a ping.') : t('Could not send a ping: {{reason}}', { reason: error.message })),
    });
  }

  return (
    <li className={`item webhook-item${webhook.active ? '' : ' item-disabled'}`} data-webhook-id={webhook.id} aria-labelledby={titleId}>
      <div className="webhook-summary">
        <h4 className="item-title webhook-url" id={titleId}>
          {webhook.url}
        </h4>
        <p className="item-meta">
          {webhook.active ? (
            <span className="badge badge-current">{t('Active')}</span>
          ) : turnedOff ? (
            <span className="badge badge-disabled">{t('Turned off after failures')}</span>
          ) : (
            <span className="badge badge-paused">{t('Paused')}</span>
          )}{' '}
          {webhook.description && <span>{webhook.description} · </span>}
          <span className="muted">
            {t('Events:')} <EventsSummary events={webhook.events} /> · {t('Created {{when}}', { when: formatDateTime(webhook.created_at) })}
          </span>
        </p>
        {turnedOff && (
          <p className="notice notice-warning">
            {t('TaskFlow turned this webhook off because its last 20 deliveries failed. Fix the receiver, then resume it: its waiting deliveries will be sent.')}
          </p>
        )}
      </div>
      {editing ? (
        <WebhookForm
          label={t('Edit webhook {{url}}', { url: webhook.url })}
          initial={draftOf(webhook)}
          submitLabel={t('Save changes')}
          busyLabel={t('Saving…')}
          autoFocus
          onSubmit={async (draft) => {
            await update.mutateAsync({ id: webhook.id, changes: bodyOf(draft) });
            setEditing(false);
            say(t('Changes saved.'));
            requestAnimationFrame(() => editButton.current?.focus());
          }}
          onCancel={() => {
            setEditing(false);
            requestAnimationFrame(() => editButton.current?.focus());
          }}
        />
      ) : (
        <div className="webhook-actions" role="group" aria-label={t('Actions for {{url}}', { url: webhook.url })}>
          <button type="button" ref={editButton} onClick={() => setEditing(true)}>
            {t('Edit')}
          </button>
          <button type="button" onClick={() => setActive(!webhook.active)} disabled={update.isPending}>
            {webhook.active ? t('Pause') : t('Resume')}
          </button>
          <button type="button" onClick={sendPing} disabled={ping.isPending}>
            {t('Send ping')}
          </button>
          <button type="button" ref={rotateButton} onClick={() => setDialog('rotate')}>
            {t('Rotate secret')}
          </button>
          <button type="button" className="button-danger" onClick={() => setDialog('delete')}>
            {t('Delete')}
          </button>
          <button type="button" aria-expanded={showLog} aria-controls={logId} onClick={() => setShowLog((shown) => !shown)}>
            {showLog ? t('Hide delivery log') : t('Show delivery log')}
          </button>
        </div>
      )}
      <p className="form-status" role="status">
        {message && !message.failed ? message.text : ''}
      </p>
      {message?.failed && (
        <p className="field-error" role="alert">
          {message.text}
        </p>
      )}
      {secret && (
        <WebhookSecret
          title={t('New secret for {{url}}.', { url: webhook.url })}
          secret={secret}
          onDone={() => {
            setSecret(null);
            requestAnimationFrame(() => rotateButton.current?.focus());
          }}
        />
      )}
      {showLog && <DeliveryLog webhook={webhook} id={logId} />}
      {dialog === 'rotate' && (
        <RotateSecretDialog
          webhook={webhook}
          onClose={() => setDialog(null)}
          onRotated={(value) => {
            setDialog(null);
            setSecret(value);
          }}
        />
      )}
      {dialog === 'delete' && (
        <DeleteWebhookDialog
          webhook={webhook}
          onClose={() => setDialog(null)}
          onDeleted={() => onDeleted(webhook.id)}
        />
      )}
    </li>
  );
}

interface DialogProps {
  webhook: Webhook;
  onClose: () => void;
}

function RotateSecretDialog({ webhook, onClose, onRotated }: DialogProps & { onRotated: (secret: string) => void }) {
  const { t } = useTranslation();
  const rotate = useRotateSecret();
  const [failure, setFailure] = useState<string | null>(null);
  return (
    <ConfirmDialog
      title={t('Rotate the signing secret?')}
      message={t(
        'The current secret of {{url}} stops signing at once, retries included. Your receiver must switch to the new secret, which is shown only once.',
        { url: webhook.url },
      )}
      confirmLabel={t('Rotate secret')}
      pending={rotate.isPending}
      failure={failure}
      onConfirm={() =>
        rotate.mutate(webhook.id, {
          onSuccess: onRotated,
          onError: (error) => setFailure(t('Could not rotate the secret: {{reason}}', { reason: error.message })),
        })
      }
      onClose={onClose}
    />
  );
}

function DeleteWebhookDialog({ webhook, onClose, onDeleted }: DialogProps & { onDeleted: () => void }) {
  const { t } = useTranslation();
  const remove = useDeleteWebhook();
  const [failure, setFailure] = useState<string | null>(null);
  return (
    <ConfirmDialog
      title={t('Delete webhook?')}
      message={t('{{url}} will receive no more events, and its delivery log is deleted. This cannot be undone.', { url: webhook.url })}
      confirmLabel={t('Delete')}
      pending={remove.isPending}
      failure={failure}
      // The item (and this dialog) may be gone once the list is fresh again: a promise still resolves then.
      onConfirm={() =>
        remove.mutateAsync(webhook.id).then(onDeleted, (error: Error) =>
          setFailure(t('Could not delete the webhook: {{reason}}', { reason: error.message })),
        )
      }
      onClose={onClose}
    />
  );
}
