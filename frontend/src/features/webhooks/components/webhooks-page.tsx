import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../../components/query-error';
import { useCreateWebhook, useWebhooks } from '../use-webhooks';
import type { CreatedWebhook } from '../webhook.types';
import { bodyOf, emptyDraft } from '../webhook-draft';
import { WebhookForm } from './webhook-form';
import { WebhookItem } from './webhook-item';
import { WebhookSecret } from './webhook-secret';

/** For admins: the addresses TaskFlow sends signed task and comment events to, and how each delivery went. */
export function WebhooksPage() {
  const { t } = useTranslation();
  const webhooks = useWebhooks();
  const listHeading = useRef<HTMLHeadingElement>(null);
  const deletedId = useRef<string | null>(null);

  // Once a deleted webhook has left the list (its item held the focus), the keyboard goes to the list's heading.
  useEffect(() => {
    const id = deletedId.current;
    if (!id || webhooks.data?.some((webhook) => webhook.id === id)) return;
    deletedId.current = null;
    listHeading.current?.focus();
  }, [webhooks.data]);

  let body;
  if (webhooks.isPending) {
    body = (
      <p className="state" role="status">
        {t('Loading webhooks…')}
      </p>
    );
  } else if (webhooks.isError) {
    body = <QueryError error={webhooks.error} what={t('the webhooks')} onRetry={() => void webhooks.refetch()} />;
  } else if (webhooks.data.length === 0) {
    body = <p className="muted">{t('No webhooks yet.')}</p>;
  } else {
    body = (
      <ul className="item-list" aria-labelledby="webhooks-heading">
        {webhooks.data.map((webhook) => (
          <WebhookItem key={webhook.id} webhook={webhook} onDeleted={(id) => (deletedId.current = id)} />
        ))}
      </ul>
    );
  }

  return (
    <div className="page">
      <div className="page-header">
        <h2>{t('Webhooks')}</h2>
        <p className="muted">
          {t(
            'TaskFlow sends a signed POST request to each address below when a task or a comment is created, changed or deleted. Failed deliveries are retried; a webhook whose last 20 deliveries all failed is turned off and every admin is notified.',
          )}
        </p>
      </div>
      <CreateWebhookSection />
      <section className="panel" aria-labelledby="webhooks-heading">
        <h3 id="webhooks-heading" ref={listHeading} tabIndex={-1}>
          {t('All webhooks')}
        </h3>
        {body}
      </section>
    </div>
  );
}

function CreateWebhookSection() {
  const { t } = useTranslation();
  const create = useCreateWebhook();
  const [created, setCreated] = useState<CreatedWebhook | null>(null);
  const [again, setAgain] = useState(false);
  return (
    <section className="panel" aria-labelledby="new-webhook-heading">
      <h3 id="new-webhook-heading">{t('New webhook')}</h3>
      {created ? (
        <WebhookSecret
          title={t('Webhook created for {{url}}.', { url: created.url })}
          secret={created.secret}
          onDone={() => {
            setCreated(null);
            setAgain(true);
          }}
        />
      ) : (
        <WebhookForm
          label={t('New webhook')}
          initial={emptyDraft}
          submitLabel={t('Create webhook')}
          busyLabel={t('Creating…')}
          onSubmit={async (draft) => setCreated(await create.mutateAsync(bodyOf(draft)))}
          resetOnSuccess
          autoFocus={again}
        />
      )}
    </section>
  );
}
