import { useState, type FormEvent } from 'react';
import { AppLink } from '../../../components/app-link';
import { Field, FormErrors } from '../../../components/field';
import { toFeedback, useFormSubmit, type FieldErrors } from '../../../lib/use-form-submit';
import { checkEmail } from '../account-rules';
import { navigateTo } from '../../../lib/use-location-search';
import { signIn } from '../auth.api';
import type { AuthStatus } from '../auth.types';
import { acceptSession } from '../auth-session';
import { returnTo } from '../return-to';
import { AuthCard } from './auth-card';

type SignInField = 'email' | 'password';
const serverFields: Record<string, SignInField> = { email: 'email', password: 'password' };

interface SignInPageProps {
  status: AuthStatus;
  /** The server ended the session the person had: say so, rather than greet them as if they had just arrived. */
  expired: boolean;
}

export function SignInPage({ status, expired }: SignInPageProps) {
  const [values, setValues] = useState({ email: '', password: '' });
  const form = useFormSubmit<SignInField>();

  function set(field: SignInField, value: string) {
    setValues((current) => ({ ...current, [field]: value }));
    form.clearField(field);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    await form.run(
      (): FieldErrors<SignInField> => ({
        email: checkEmail(values.email),
        password: values.password === '' ? 'Enter your password.' : undefined,
      }),
      async () => {
        const destination = returnTo(window.location.search);
        acceptSession(await signIn({ email: values.email.trim(), password: values.password }));
        navigateTo(destination, { replace: true });
      },
      (error) => toFeedback(error, serverFields),
    );
  }

  return (
    <AuthCard title="Sign in">
      {expired && (
        <div className="notice notice-warning" role="status">
          <p>Your session has ended. Sign in again to continue where you were.</p>
        </div>
      )}
      <form className="auth-form" onSubmit={submit} noValidate aria-busy={form.busy}>
        <FormErrors messages={form.feedback.general} />
        <Field
          label="Email"
          name="email"
          type="email"
          value={values.email}
          onChange={(event) => set('email', event.target.value)}
          error={form.feedback.fields.email}
          autoComplete="username"
          aria-required="true"
          autoFocus
        />
        <Field
          label="Password"
          name="password"
          type="password"
          value={values.password}
          onChange={(event) => set('password', event.target.value)}
          error={form.feedback.fields.password}
          autoComplete="current-password"
          aria-required="true"
        />
        <button type="submit" className="button-primary" disabled={form.busy}>
          {form.busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p className="auth-footer muted">
        {status.registration === 'open' ? (
          <>
            New here?{' '}
            <AppLink href="/register">Create an account</AppLink>
          </>
        ) : (
          'New here? Ask an admin of your team for an invitation link.'
        )}
      </p>
    </AuthCard>
  );
}
