import { AppLink } from '../../../components/app-link';
import { Field, FormErrors } from '../../../components/field';
import type { FieldErrors } from '../../../lib/use-form-submit';
import { checkEmail } from '../account-rules';
import { currentSearch, navigateTo } from '../../../lib/navigation';
import { signIn } from '../auth.api';
import type { AuthStatus } from '../auth.types';
import { acceptSession } from '../auth-session';
import { returnTo } from '../return-to';
import { useAccountForm } from '../use-account-form';
import { EmailField, SubmitButton } from './account-fields';
import { AuthCard } from './auth-card';
import { useTranslation } from 'react-i18next';

type SignInField = 'email' | 'password';
const serverFields: Record<string, SignInField> = { email: 'email', password: 'password' };

interface SignInPageProps {
  status: AuthStatus;
  /** The server ended the session the person had: say so, rather than greet them as if they had just arrived. */
  expired: boolean;
}

export function SignInPage({ status, expired }: SignInPageProps) {
  const { t } = useTranslation();
  const form = useAccountForm<SignInField>({ email: '', password: '' }, { serverFields });
  const { values } = form;

  const check = (): FieldErrors<SignInField> => ({
    email: checkEmail(values.email),
    password: values.password === '' ? t('Enter your password.') : undefined,
  });

  async function send() {
    const destination = returnTo(currentSearch());
    acceptSession(await signIn({ email: values.email.trim(), password: values.password }));
    navigateTo(destination, { replace: true });
  }

  return (
    <AuthCard title={t('Sign in')}>
      {expired && (
        <div className="notice notice-warning" role="status">
          <p>{t('Your session has ended. Sign in again to continue where you were.')}</p>
        </div>
      )}
      <form className="auth-form" onSubmit={form.submitWith(check, send)} noValidate aria-busy={form.busy}>
        <FormErrors messages={form.feedback.general} />
        <EmailField {...form.bind('email')} aria-required="true" autoFocus />
        <Field
          label={t('Password')}
          name="password"
          type="password"
          {...form.bind('password')}
          autoComplete="current-password"
          aria-required="true"
        />
        {status.email && (
          <p className="auth-forgot">
            <AppLink href="/forgot-password">{t('Forgot password?')}</AppLink>
          </p>
        )}
        <SubmitButton busy={form.busy} busyLabel={t('Signing in…')}>
          {t('Sign in')}
        </SubmitButton>
      </form>
      <p className="auth-footer muted">
        {status.registration === 'open' ? (
          <>
            {t('New here?')} <AppLink href="/register">{t('Create an account')}</AppLink>
          </>
        ) : (
          t('New here? Ask an admin of your team for an invitation link.')
        )}
      </p>
    </AuthCard>
  );
}
