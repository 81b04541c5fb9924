import { useState } from 'react';
import { AppLink } from '../../../components/app-link';
import { Field, FormErrors } from '../../../components/field';
import type { ApiError } from '../../../lib/api-client';
import type { FieldErrors, FormFeedback } from '../../../lib/use-form-submit';
import { checkEmail, checkName, checkPassword } from '../account-rules';
import { navigateTo, useLocationSearch } from '../../../lib/navigation';
import { register } from '../auth.api';
import type { AuthStatus } from '../auth.types';
import { acceptSession } from '../auth-session';
import { useAccountForm } from '../use-account-form';
import { EmailField, NewPasswordField, SubmitButton } from './account-fields';
import { AuthCard } from './auth-card';
import { useTranslation } from 'react-i18next';

type RegisterField = 'email' | 'name' | 'password';
const serverFields: Record<string, RegisterField> = { email: 'email', name: 'name', password: 'password' };

/** Creating an account from an invitation link (`/register?invitation=<code>`), or freely when registration is open. */
export function RegisterPage({ status }: { status: AuthStatus }) {
  const { t } = useTranslation();
  const [search] = useLocationSearch();
  const invitation = new URLSearchParams(search).get('invitation')?.trim() || undefined;
  const [invitationRefused, setInvitationRefused] = useState(false);
  const form = useAccountForm<RegisterField>(
    { email: '', name: '', password: '' },
    {
      serverFields,
      // Another address may be the one the invitation was meant for.
      onEdit: (field) => {
        if (field === 'email') setInvitationRefused(false);
      },
    },
  );
  const { values } = form;

  const check = (): FieldErrors<RegisterField> => ({
    email: checkEmail(values.email),
    name: checkName(values.name),
    password: checkPassword(values.password),
  });

  async function send() {
    const session = await register({
      email: values.email.trim(),
      name: values.name.trim(),
      password: values.password,
      ...(invitation ? { invitation } : {}),
    });
    acceptSession(session, { language: 'keep' });
    navigateTo('/', { replace: true });
  }

  function explain(failure: ApiError): FormFeedback<RegisterField> | undefined {
    if (failure.status === 403) {
      setInvitationRefused(true);
      return { fields: {}, general: [] };
    }
    if (failure.status === 409) {
      return { fields: { email: t('An account with this email already exists. Sign in with it instead.') }, general: [] };
    }
    return undefined;
  }

  const signInLink = (
    <p className="auth-footer muted">
      {t('Already have an account?')} <AppLink href="/signin">{t('Sign in')}</AppLink>
    </p>
  );

  if (!invitation && status.registration !== 'open') {
    return (
      <AuthCard title={t('Join TaskFlow')}>
        <p>{t('Accounts on this TaskFlow are by invitation. Ask an admin of your team for an invitation link.')}</p>
        {signInLink}
      </AuthCard>
    );
  }

  return (
    <AuthCard title={t('Create your account')}>
      {invitationRefused ? (
        <div className="notice notice-error" role="alert">
          <p>
            {t(
              'This invitation cannot be used: it may have been used already, have expired or been withdrawn, or be meant for another email address. Check the address, or ask the admin who invited you for a new link.',
            )}
          </p>
        </div>
      ) : (
        <p className="muted">
          {invitation ? t('You were invited to join your team on TaskFlow.') : t('Anyone can join this TaskFlow.')}
        </p>
      )}
      <form className="auth-form" onSubmit={form.submitWith(check, send, explain)} noValidate aria-busy={form.busy}>
        <FormErrors messages={form.feedback.general} />
        <Field
          label={t('Your name')}
          name="name"
          {...form.bind('name')}
          hint={t('Shown to your team next to the tasks you create and change.')}
          autoComplete="name"
          aria-required="true"
          autoFocus
        />
        <EmailField {...form.bind('email')} aria-required="true" />
        <NewPasswordField {...form.bind('password')} aria-required="true" />
        <SubmitButton busy={form.busy} busyLabel={t('Creating your account…')}>
          {t('Create account')}
        </SubmitButton>
      </form>
      {signInLink}
    </AuthCard>
  );
}
