import { useState } from 'react';
import { Field, FormErrors } from '../../../components/field';
import type { ApiError } from '../../../lib/api-client';
import type { FieldErrors, FormFeedback } from '../../../lib/use-form-submit';
import { checkEmail, checkName, checkPassword } from '../account-rules';
import { navigateTo } from '../../../lib/navigation';
import { setUp } from '../auth.api';
import { acceptSession, retryAuth } from '../auth-session';
import { useAccountForm } from '../use-account-form';
import { EmailField, NewPasswordField, SubmitButton } from './account-fields';
import { AuthCard } from './auth-card';
import { useTranslation } from 'react-i18next';

type SetupField = 'setupToken' | 'email' | 'name' | 'password';
const serverFields: Record<string, SetupField> = {
  setup_token: 'setupToken',
  email: 'email',
  name: 'name',
  password: 'password',
};

/** The first visit to an empty workspace: whoever holds the server's set-up token becomes its first admin. */
export function SetupPage() {
  const { t } = useTranslation();
  const [alreadySetUp, setAlreadySetUp] = useState(false);
  const form = useAccountForm<SetupField>({ setupToken: '', email: '', name: '', password: '' }, { serverFields });
  const { values } = form;

  function check(): FieldErrors<SetupField> {
    const errors: FieldErrors<SetupField> = {
      email: checkEmail(values.email),
      name: checkName(values.name),
      password: checkPassword(values.password),
    };
    if (values.setupToken.trim() === '') errors.setupToken = t('Enter the set-up token from the server.');
    return errors;
  }

  async function send() {
    const session = await setUp({
      setup_token: values.setupToken.trim(),
      email: values.email.trim(),
      name: values.name.trim(),
      password: values.password,
    });
    acceptSession(session, { language: 'keep' });
    navigateTo('/members', { replace: true });
  }

  function explain(failure: ApiError): FormFeedback<SetupField> | undefined {
    if (failure.status === 403) {
      return { fields: { setupToken: t('This is not the server’s set-up token. Check it and try again.') }, general: [] };
    }
    if (failure.status === 409) {
      setAlreadySetUp(true);
      return { fields: {}, general: [] };
    }
    return undefined;
  }

  if (alreadySetUp) {
    return (
      <AuthCard title={t('Already set up')}>
        <p>
          {t(
            'Someone has set this workspace up in the meantime. Sign in with your account, or ask its admin for an invitation.',
          )}
        </p>
        <button type="button" className="button-primary" onClick={retryAuth}>
          {t('Go to sign-in')}
        </button>
      </AuthCard>
    );
  }

  return (
    <AuthCard title={t('Set up TaskFlow')}>
      <p className="muted">
        {t(
          'This workspace has no accounts yet. Create the first one: it will be the admin, who invites the rest of the team.',
        )}
      </p>
      <form className="auth-form" onSubmit={form.submitWith(check, send, explain)} noValidate aria-busy={form.busy}>
        <FormErrors messages={form.feedback.general} />
        <Field
          label={t('Set-up token')}
          name="setup_token"
          {...form.bind('setupToken')}
          hint={t('The SETUP_TOKEN the server was started with, or the token it printed in its log.')}
          autoComplete="off"
          spellCheck={false}
          aria-required="true"
          autoFocus
        />
        <Field label={t('Your name')} name="name" {...form.bind('name')} autoComplete="name" aria-required="true" />
        <EmailField {...form.bind('email')} aria-required="true" />
        <NewPasswordField {...form.bind('password')} aria-required="true" />
        <SubmitButton busy={form.busy} busyLabel={t('Setting up…')}>
          {t('Create the admin account')}
        </SubmitButton>
      </form>
    </AuthCard>
  );
}
