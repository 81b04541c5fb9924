import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { CopyField } from '../../../components/copy-field';

interface WebhookSecretProps {
  title: string;
  secret: string;
  onDone: () => void;
}

/** A signing secret the server shows only once, with a copy button; takes the keyboard focus when it appears. */
export function WebhookSecret({ title, secret, onDone }: WebhookSecretProps) {
  const { t } = useTranslation();
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => box.current?.focus(), []);
  return (
    <div className="notice notice-success webhook-secret" role="status" tabIndex={-1} ref={box}>
      <p className="state-title">{title}</p>
      <p>
        <strong>{t('This secret is shown only once.')}</strong>{' '}
        {t('Copy it now into your receiver, which uses it to check the TaskFlow-Signature header of each delivery.')}
      </p>
      <CopyField label={t('Signing secret')} value={secret} />
      <button type="button" onClick={onDone}>
        {t('I have copied it')}
      </button>
    </div>
  );
}
