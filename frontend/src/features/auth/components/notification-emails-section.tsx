import { useId, useState, type FormEvent } from 'react';
import { FormErrors } from '../../../components/field';
import type { EmailNotifications, User } from '../auth.types';
import { useUpdateMe } from '../use-account';
import { SubmitButton } from './account-fields';
import i18n from '../../../i18n/i18n';
import { useTranslation } from 'react-i18next';

// A record keyed by the generated union: a mode the API adds fails to compile until it is explained here.
const modes: Record<EmailNotifications, { label: () => string; hint: () => string }> = {
  instant: {
    label: () => i18n.t('As they happen'),
    hint: () => i18n.t('An email shortly after a notification; several close together come in one email.'),
  },
  daily: {
    label: () => i18n.t('Once a day'),
    hint: () => i18n.t('One digest at 07:00 UTC of the day’s notifications, none when there were none.'),
  },
  off: { label: () => i18n.t('Never'), hint: () => i18n.t('Notifications stay in your inbox in the app only.') },
};
const order: EmailNotifications[] = ['instant', 'daily', 'off'];

/** How the person hears by email about their notifications (mentions, assignments, watched tasks). */
export function NotificationEmailsSection({ user, emailOn }: { user: User; emailOn: boolean }) {
  const { t } = useTranslation();
  const [choice, setChoice] = useState<EmailNotifications>(user.email_notifications);
  const [saved, setSaved] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const updateMe = useUpdateMe();
  const id = useId();

  function save(event: FormEvent) {
    event.preventDefault();
    setFailure(null);
    if (choice === user.email_notifications) {
      setSaved(t('Nothing to save: nothing has changed.'));
      return;
    }
    updateMe.mutate(
      { email_notifications: choice },
      {
        onSuccess: () => setSaved(t('Saved.')),
        // The choice stays selected, to save again.
        onError: (error) => setFailure(t('Could not save your email preference: {{reason}}', { reason: error.message })),
      },
    );
  }

  return (
    <section className="panel" aria-labelledby="notification-emails-heading">
      <h3 id="notification-emails-heading">{t('Notification emails')}</h3>
      {!emailOn && (
        <p className="muted">{t('This TaskFlow does not send email at the moment; your choice applies once it does.')}</p>
      )}
      <form className="panel-form" onSubmit={save} noValidate aria-busy={updateMe.isPending} aria-labelledby="notification-emails-heading">
        <FormErrors messages={failure ? [failure] : []} />
        <fieldset className="choice-list">
          <legend>{t('Email me about my notifications')}</legend>
          {order.map((mode) => (
            <div key={mode} className="choice">
              <input
                type="radio"
                id={`${id}-${mode}`}
                name="email_notifications"
                value={mode}
                checked={choice === mode}
                aria-describedby={`${id}-${mode}-hint`}
                onChange={() => {
                  setChoice(mode);
                  setSaved(null);
                }}
              />
              <div>
                <label htmlFor={`${id}-${mode}`}>{modes[mode].label()}</label>
                <span className="field-hint" id={`${id}-${mode}-hint`}>
                  {modes[mode].hint()}
                </span>
              </div>
            </div>
          ))}
        </fieldset>
        <div className="form-actions">
          <SubmitButton busy={updateMe.isPending} busyLabel={t('Saving…')}>
            {t('Save email preference')}
          </SubmitButton>
          <p className="form-status" role="status">
            {saved}
          </p>
        </div>
      </form>
    </section>
  );
}
