import { useEffect, useRef, useState } from 'react';
import { AppLink } from '../../../components/app-link';
import { Field, FormErrors } from '../../../components/field';
import type { ApiError } from '../../../lib/api-client';
import { useLocationSearch } from '../../../lib/navigation';
import type { FieldErrors, FormFeedback } from '../../../lib/use-form-submit';
import { checkPassword } from '../account-rules';
import { confirmPasswordReset } from '../auth.api';
import type { AuthStatus } from '../auth.types';
import { useAccountForm } from '../use-account-form';
import { NewPasswordField, SubmitButton } from './account-fields';
import { AuthCard } from './auth-card';
import { useTranslation } from 'react-i18next';

type ResetField = 'password' | 'confirmation';
const serverFields: Record<string, ResetField> = { password: 'password' };

/**
 * The page a reset link opens (`/reset-password?token=<token>`, emailed or passed on by an admin): a new password,
 * typed twice. The server opens no session, so a reset ends with a link to sign in with the new password.
 */
export function ResetPasswordPage({ status }: { status: AuthStatus }) {
  const { t } = useTranslation();
  const [search] = useLocationSearch();
  const token = new URLSearchParams(search).get('token')?.trim() ?? '';
  const [outcome, setOutcome] = useState<'editing' | 'done' | 'refused'>('editing');
  const form = useAccountForm<ResetField>({ password: '', confirmation: '' }, { serverFields });
  const result = useRef<HTMLDivElement>(null);
  const { values } = form;

  useEffect(() => {
    if (outcome !== 'editing') result.current?.focus();
  }, [outcome]);

  const check = (): FieldErrors<ResetField> => ({
    password: checkPassword(values.password, { newPassword: true }),
    confirmation: values.confirmation !== values.password ? t('The two passwords differ. Type the same new password twice.') : undefined,
  });

  async function send() {
    await confirmPasswordReset({ token, password: values.password });
    setOutcome('done');
  }

  function explain(failure: ApiError): FormFeedback<ResetField> | undefined {
    if (failure.status !== 403) return undefined;
    setOutcome('refused');
    return { fields: {}, general: [] };
  }

  const askAgain = status.email ? (
    <AppLink href="/forgot-password">{t('Ask for a new link')}</AppLink>
  ) : (
    t('Ask an admin of your team for a new link.')
  );

  if (token === '' || outcome === 'refused') {
    return (
      <AuthCard title={t('Choose a new password')}>
        <div className="notice notice-error" role="alert" tabIndex={-1} ref={result}>
          <p>
            {token === ''
              ? t('This address holds no reset link. Open the link from the email (or from your admin) in full.')
              : t('This reset link cannot be used: it has expired (links work for 60 minutes), been used already, or been replaced by a newer one.')}
          </p>
          <p>{askAgain}</p>
        </div>
        <p className="auth-footer muted">
          <AppLink href="/signin">{t('Back to sign-in')}</AppLink>
        </p>
      </AuthCard>
    );
  }

  if (outcome === 'done') {
    return (
      <AuthCard title={t('Choose a new password')}>
        <div className="notice notice-success" role="status" tabIndex={-1} ref={result}>
          <p className="state-title">{t('Your password has been changed.')}</p>
          <p>{t('Every session of your account was signed out. Sign in with your new password.')}</p>
        </div>
        <p className="auth-footer">
          <AppLink href="/signin">{t('Sign in')}</AppLink>
        </p>
      </AuthCard>
    );
  }

  return (
    <AuthCard title={t('Choose a new password')}>
      <p className="muted">{t('Changing it signs you out everywhere; then sign in with the new password.')}</p>
      <form className="auth-form" onSubmit={form.submitWith(check, send, explain)} noValidate aria-busy={form.busy}>
        <FormErrors messages={form.feedback.general} />
        <NewPasswordField label={t('New password')} {...form.bind('password')} aria-required="true" autoFocus />
        <Field
          label={t('Confirm the new password')}
          name="password-confirmation"
          type="password"
          autoComplete="new-password"
          {...form.bind('confirmation')}
          aria-required="true"
        />
        <SubmitButton busy={form.busy} busyLabel={t('Saving…')}>
          {t('Set the new password')}
        </SubmitButton>
      </form>
      <p className="auth-footer muted">
        <AppLink href="/signin">{t('Back to sign-in')}</AppLink>
      </p>
    </AuthCard>
  );
}
