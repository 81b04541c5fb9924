import { useState, type FormEvent } from 'react';
import { Field, FormErrors } from '../../../components/field';
import { toFeedback, useFormSubmit, type FieldErrors } from '../../../lib/use-form-submit';
import { checkEmail, checkName, checkPassword } from '../account-rules';
import { navigateTo } from '../../../lib/use-location-search';
import { setUp } from '../auth.api';
import { acceptSession, retryAuth } from '../auth-session';
import { AuthCard } from './auth-card';

type SetupField = 'setupToken' | 'email' | 'name' | 'password';
const serverFields: Record<string, SetupField> = {
  setup_token: 'setupToken',
  email: 'email',
  name: 'name',
  password: 'password',
};

/** The first visit to an empty workspace: whoever holds the server's set-up token becomes its first admin. */
export function SetupPage() {
  const [values, setValues] = useState({ setupToken: '', email: '', name: '', password: '' });
  const [alreadySetUp, setAlreadySetUp] = useState(false);
  const form = useFormSubmit<SetupField>();

  function set(field: SetupField, value: string) {
    setValues((current) => ({ ...current, [field]: value }));
    form.clearField(field);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    await form.run(
      () => {
        const errors: FieldErrors<SetupField> = {
          email: checkEmail(values.email),
          name: checkName(values.name),
          password: checkPassword(values.password),
        };
        if (values.setupToken.trim() === '') errors.setupToken = 'Enter the set-up token from the server.';
        return errors;
      },
      async () => {
        const session = await setUp({
          setup_token: values.setupToken.trim(),
          email: values.email.trim(),
          name: values.name.trim(),
          password: values.password,
        });
        acceptSession(session);
        navigateTo('/members', { replace: true });
      },
      (error) =>
        toFeedback(error, serverFields, (failure) => {
          if (failure.status === 403) {
            return { fields: { setupToken: 'This is not the server’s set-up token. Check it and try again.' }, general: [] };
          }
          if (failure.status === 409) {
            setAlreadySetUp(true);
            return { fields: {}, general: [] };
          }
          return undefined;
        }),
    );
  }

  if (alreadySetUp) {
    return (
      <AuthCard title="Already set up">
        <p>Someone has set this workspace up in the meantime. Sign in with your account, or ask its admin for an invitation.</p>
        <button type="button" className="button-primary" onClick={retryAuth}>
          Go to sign-in
        </button>
      </AuthCard>
    );
  }

  return (
    <AuthCard title="Set up TaskFlow">
      <p className="muted">
        This workspace has no accounts yet. Create the first one: it will be the admin, who invites the rest of the team.
      </p>
      <form className="auth-form" onSubmit={submit} noValidate aria-busy={form.busy}>
        <FormErrors messages={form.feedback.general} />
        <Field
          label="Set-up token"
          name="setup_token"
          value={values.setupToken}
          onChange={(event) => set('setupToken', event.target.value)}
          error={form.feedback.fields.setupToken}
          hint="The SETUP_TOKEN the server was started with, or the token it printed in its log."
          autoComplete="off"
          spellCheck={false}
          aria-required="true"
          autoFocus
        />
        <Field
          label="Your name"
          name="name"
          value={values.name}
          onChange={(event) => set('name', event.target.value)}
          error={form.feedback.fields.name}
          autoComplete="name"
          aria-required="true"
        />
        <Field
          label="Email"
          name="email"
          type="email"
          value={values.email}
          onChange={(event) => set('email', event.target.value)}
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
          {form.busy ? 'Setting up…' : 'Create the admin account'}
        </button>
      </form>
    </AuthCard>
  );
}
