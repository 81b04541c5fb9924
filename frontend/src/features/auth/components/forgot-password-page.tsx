import { useEffect, useRef, useState } from 'react';
import { AppLink } from '../../../components/app-link';
import { FormErrors } from '../../../components/field';
import type { ApiError } from '../../../lib/api-client';
import type { FieldErrors, FormFeedback } from '../../../lib/use-form-submit';
import { checkEmail } from '../account-rules';
import { requestPasswordReset } from '../auth.api';
import type { AuthStatus } from '../auth.types';
import { useAccountForm } from '../use-account-form';
import { EmailField, SubmitButton } from './account-fields';
import { AuthCard } from './auth-card';
import { useTranslation } from 'react-i18next';

type ForgotField = 'email';
const serverFields: Record<string, ForgotField> = { email: 'email' };

/**
 * Asks for a reset link by email. The confirmation is the same whether or not the address has an account, as the
 * server's answer is, so that this page tells nobody who has one.
 */
export function ForgotPasswordPage({ status }: { status: AuthStatus }) {
  const { t } = useTranslation();
  const [sentTo, setSentTo] = useState<string | null>(null);
  const form = useAccountForm<ForgotField>({ email: '' }, { serverFields });
  const confirmation = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (sentTo !== null) confirmation.current?.focus();
  }, [sentTo]);

  const check = (): FieldErrors<ForgotField> => ({ email: checkEmail(form.values.email) });

  async function send() {
    const email = form.values.email.trim();
    await requestPasswordReset(email);
    setSentTo(email);
  }

  function explain(failure: ApiError): FormFeedback<ForgotField> | undefined {
    // 404: the server does not send email (any more); only an admin can help.
    if (failure.status === 404) return { fields: {}, general: [t('This TaskFlow does not send email. Ask an admin of your team for a reset link.')] };
    return undefined;
  }

  const signInLink = (
    <p className="auth-footer muted">
      <AppLink href="/signin">{t('Back to sign-in')}</AppLink>
    </p>
  );

  if (!status.email) {
    return (
      <AuthCard title={t('Forgot your password?')}>
        <p>{t('This TaskFlow does not send email. Ask an admin of your team for a reset link.')}</p>
        {signInLink}
      </AuthCard>
    );
  }

  return (
    <AuthCard title={t('Forgot your password?')}>
      {sentTo !== null ? (
        <div className="notice notice-success" role="status" tabIndex={-1} ref={confirmation}>
          <p className="state-title">{t('Check your email')}</p>
          <p>
            {t(
              'If {{email}} belongs to an account, a link to choose a new password is on its way. It works once, for 60 minutes. Nothing arrived? Look in your spam folder, or ask again in a few minutes.',
              { email: sentTo },
            )}
          </p>
          <button type="button" onClick={() => setSentTo(null)}>
            {t('Send another link')}
          </button>
        </div>
      ) : (
        <>
          <p className="muted">{t('Enter the email you sign in with, and we will send you a link to choose a new password.')}</p>
          <form className="auth-form" onSubmit={form.submitWith(check, send, explain)} noValidate aria-busy={form.busy}>
            <FormErrors messages={form.feedback.general} />
            <EmailField {...form.bind('email')} aria-required="true" autoFocus />
            <SubmitButton busy={form.busy} busyLabel={t('Sending…')}>
              {t('Send the reset link')}
            </SubmitButton>
          </form>
        </>
      )}
      {signInLink}
    </AuthCard>
  );
}
