import { useState, type FormEvent } from 'react';
import { AppLink } from '../../../components/app-link';
import { Field, FormErrors } from '../../../components/field';
import { toFeedback, useFormSubmit, type FieldErrors } from '../../../lib/use-form-submit';
import { checkEmail, checkName, checkPassword } from '../account-rules';
import { navigateTo, useLocationSearch } from '../../../lib/use-location-search';
import { register } from '../auth.api';
import type { AuthStatus } from '../auth.types';
import { acceptSession } from '../auth-session';
import { AuthCard } from './auth-card';

type RegisterField = 'email' | 'name' | 'password';
const serverFields: Record<string, RegisterField> = { email: 'email', name: 'name', password: 'password' };

/** Creating an account from an invitation link (`/register?invitation=<code>`), or freely when registration is open. */
export function RegisterPage({ status }: { status: AuthStatus }) {
  const [search] = useLocationSearch();
  const invitation = new URLSearchParams(search).get('invitation')?.trim() || undefined;
  const [values, setValues] = useState({ email: '', name: '', password: '' });
  const [invitationRefused, setInvitationRefused] = useState(false);
  const form = useFormSubmit<RegisterField>();

  function set(field: RegisterField, value: string) {
    setValues((current) => ({ ...current, [field]: value }));
    form.clearField(field);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    await form.run(
      (): FieldErrors<RegisterField> => ({
        email: checkEmail(values.email),
        name: checkName(values.name),
        password: checkPassword(values.password),
      }),
      async () => {
        const session = await register({
          email: values.email.trim(),
          name: values.name.trim(),
          password: values.password,
          ...(invitation ? { invitation } : {}),
        });
        acceptSession(session);
        navigateTo('/', { replace: true });
      },
      (error) =>
        toFeedback(error, serverFields, (failure) => {
          if (failure.status === 403) {
            setInvitationRefused(true);
            return { fields: {}, general: [] };
          }
          if (failure.status === 409) {
            return { fields: { email: 'An account with this email already exists. Sign in with it instead.' }, general: [] };
          }
          return undefined;
        }),
    );
  }

  const signInLink = (
    <p className="auth-footer muted">
      Already have an account? <AppLink href="/signin">Sign in</AppLink>
    </p>
  );

  if (!invitation && status.registration !== 'open') {
    return (
      <AuthCard title="Join TaskFlow">
        <p>Accounts on this TaskFlow are by invitation. Ask an admin of your team for an invitation link.</p>
        {signInLink}
      </AuthCard>
    );
  }

  return (
    <AuthCard title="Create your account">
      {invitationRefused ? (
        <div className="notice notice-error" role="alert">
          <p>
            This invitation cannot be used: it may have been used already, have expired or been withdrawn, or be meant
            for another email address. Check the address, or ask the admin who invited you for a new link.
          </p>
        </div>
      ) : (
        <p className="muted">{invitation ? 'You were invited to join your team on TaskFlow.' : 'Anyone can join this TaskFlow.'}</p>
      )}
      <form className="auth-form" onSubmit={submit} noValidate aria-busy={form.busy}>
        <FormErrors messages={form.feedback.general} />
        <Field
          label="Your name"
          name="name"
          value={values.name}
          onChange={(event) => set('name', event.target.value)}
          error={form.feedback.fields.name}
          hint="Shown to your team next to the tasks you create and change."
          autoComplete="name"
          aria-required="true"
          autoFocus
        />
        <Field
          label="Email"
          name="email"
          type="email"
          value={values.email}
          onChange={(event) => {
            set('email', event.target.value);
            setInvitationRefused(false);
          }}
          error={form.feedback.fields.email}
          autoComplete="username"
          aria-required="true"
        />
        <Field
          label="Password"
          name="password"
          type="password"
          value={values.password}
          onChange={(event) => set('password', event.target.value)}
          error={form.feedback.fields.password}
          hint="8 to 128 characters."
          autoComplete="new-password"
          aria-required="true"
        />
        <button type="submit" className="button-primary" disabled={form.busy}>
          {form.busy ? 'Creating your account…' : 'Create account'}
        </button>
      </form>
      {signInLink}
    </AuthCard>
  );
}
