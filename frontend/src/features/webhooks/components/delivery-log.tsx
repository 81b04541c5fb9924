import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../../components/query-error';
import { useDeliveries, useRedeliver } from '../use-webhooks';
import { DELIVERIES_MAX, DELIVERIES_PAGE, deliveryStatusLabel, eventLabel, formatDeliveryTime, type Delivery, type Webhook } from '../webhook.types';

interface DeliveryLogProps {
  webhook: Webhook;
  id: string;
}

/** A webhook's deliveries, newest first: what was sent, how it went, what comes next, and a way to send one again. */
export function DeliveryLog({ webhook, id }: DeliveryLogProps) {
  const { t } = useTranslation();
  const [limit, setLimit] = useState(DELIVERIES_PAGE);
  const deliveries = useDeliveries(webhook.id, limit);
  const redeliver = useRedeliver();
  const [message, setMessage] = useState<{ text: string; failed: boolean } | null>(null);
  const headingId = `${id}-heading`;

  function again(delivery: Delivery) {
    setMessage(null);
    redeliver.mutate(
      { id: webhook.id, deliveryId: delivery.id },
      {
        onSuccess: () =>
          setMessage({
            text: webhook.active
              ? t('Delivery of {{event}} sent again.', { event: eventLabel(delivery.event) })
              : t('Delivery of {{event}} will be sent again when the webhook is resumed.', { event: eventLabel(delivery.event) }),
            failed: false,
          }),
        onError: (error) => setMessage({ text: t('Could not redeliver: {{reason}}', { reason: error.message }), failed: true }),
      },
    );
  }

  let body;
  if (deliveries.isPending) {
    body = (
      <p className="muted" role="status">
        {t('Loading deliveries…')}
      </p>
    );
  } else if (deliveries.isError) {
    body = <QueryError error={deliveries.error} what={t('the deliveries')} onRetry={() => void deliveries.refetch()} />;
  } else if (deliveries.data.length === 0) {
    body = <p className="muted">{t('No deliveries yet. Send a ping to try the address.')}</p>;
  } else {
    const waiting = !webhook.active && deliveries.data.some((delivery) => delivery.status === 'pending');
    body = (
      <>
        {waiting && <p className="notice notice-warning">{t('Some deliveries are waiting: resume the webhook to send them.')}</p>}
        <div className="table-scroll" role="region" aria-labelledby={headingId} tabIndex={0}>
          <table className="delivery-table">
            <thead>
              <tr>
                <th scope="col">{t('Event')}</th>
                <th scope="col">{t('Status')}</th>
                <th scope="col">{t('Response')}</th>
                <th scope="col">{t('Attempts')}</th>
                <th scope="col">{t('Next attempt')}</th>
                <th scope="col">{t('Time')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('Actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {deliveries.data.map((delivery) => (
                <DeliveryRow key={delivery.id} delivery={delivery} active={webhook.active} onRedeliver={again} busy={redeliver.isPending} />
              ))}
            </tbody>
          </table>
        </div>
      </>
    );
  }

  const more = deliveries.data !== undefined && deliveries.data.length >= limit && limit < DELIVERIES_MAX;
  return (
    <section className="delivery-log" id={id} aria-labelledby={headingId}>
      <div className="delivery-log-header">
        <h5 id={headingId} className="subheading">
          {t('Delivery log')}
        </h5>
        <button type="button" onClick={() => void deliveries.refetch()} disabled={deliveries.isFetching}>
          {deliveries.isFetching ? t('Refreshing…') : t('Refresh')}
        </button>
      </div>
      <p className="form-status" role="status">
        {message && !message.failed ? message.text : ''}
      </p>
      {message?.failed && (
        <p className="field-error" role="alert">
          {message.text}
        </p>
      )}
      {body}
      {more && (
        <button type="button" onClick={() => setLimit((current) => Math.min(current + DELIVERIES_PAGE, DELIVERIES_MAX))}>
          {t('Show older deliveries')}
        </button>
      )}
      {deliveries.data !== undefined && limit >= DELIVERIES_MAX && deliveries.data.length >= DELIVERIES_MAX && (
        <p className="muted">{t('The log shows the {{max}} most recent deliveries.', { max: DELIVERIES_MAX })}</p>
      )}
    </section>
  );
}

interface DeliveryRowProps {
  delivery: Delivery;
  active: boolean;
  busy: boolean;
  onRedeliver: (delivery: Delivery) => void;
}

function DeliveryRow({ delivery, active, busy, onRedeliver }: DeliveryRowProps) {
  const { t } = useTranslation();
  const next = delivery.next_attempt_at
    ? formatDeliveryTime(delivery.next_attempt_at)
    : delivery.status === 'pending' && !active
      ? t('When resumed')
      : '—';
  return (
    <tr data-delivery-id={delivery.id} data-status={delivery.status}>
      <th scope="row">
        {eventLabel(delivery.event)}
        <br />
        <code className="muted">{delivery.event}</code>
      </th>
      <td>
        <span className={`badge badge-delivery-${delivery.status}`}>{deliveryStatusLabel(delivery.status)}</span>
        {delivery.error && <span className="delivery-error">{delivery.error}</span>}
      </td>
      <td>{delivery.response_status ?? '—'}</td>
      <td>{delivery.attempts}</td>
      <td>{next}</td>
      <td>
        <time dateTime={delivery.created_at}>{formatDeliveryTime(delivery.created_at)}</time>
      </td>
      <td>
        <button
          type="button"
          disabled={busy}
          onClick={() => onRedeliver(delivery)}
          aria-label={t('Redeliver {{event}} of {{when}}', { event: eventLabel(delivery.event), when: formatDeliveryTime(delivery.created_at) })}
        >
          {t('Redeliver')}
        </button>
      </td>
    </tr>
  );
}
