import { useState, type FormEvent } from 'react';
import { Field, FormErrors } from '../../../components/field';
import { toFeedback, useFormSubmit, type FieldErrors } from '../../../lib/use-form-submit';
import { checkEmail, checkName, checkPassword } from '../account-rules';
import type { UpdateMeBody, User } from '../auth.types';
import { useUpdateMe } from '../use-account';

type ProfileField = 'name' | 'email' | 'password' | 'currentPassword';
const serverFields: Record<string, ProfileField> = {
  name: 'name',
  email: 'email',
  password: 'password',
  current_password: 'currentPassword',
};

/** Name, email and password; the current password is asked for only when the email or the password changes. */
export function ProfileForm({ user }: { user: User }) {
  const [values, setValues] = useState({ name: user.name, email: user.email, password: '', currentPassword: '' });
  const [saved, setSaved] = useState<string | null>(null);
  const form = useFormSubmit<ProfileField>();
  const updateMe = useUpdateMe();

  const emailChanged = values.email.trim().toLowerCase() !== user.email.toLowerCase();
  const needsCurrent = emailChanged || values.password !== '';

  function set(field: ProfileField, value: string) {
    setValues((current) => ({ ...current, [field]: value }));
    form.clearField(field);
    setSaved(null);
  }

  function changes(): UpdateMeBody {
    const body: UpdateMeBody = {};
    if (values.name.trim() !== user.name) body.name = values.name.trim();
    if (emailChanged) body.email = values.email.trim();
    if (values.password) body.password = values.password;
    if (needsCurrent) body.current_password = values.currentPassword;
    return body;
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const body = changes();
    if (Object.keys(body).length === 0) {
      setSaved('Nothing to save: nothing has changed.');
      return;
    }
    await form.run(
      (): FieldErrors<ProfileField> => ({
        name: checkName(values.name),
        email: checkEmail(values.email),
        password: values.password ? checkPassword(values.password, 'The new password') : undefined,
        currentPassword:
          needsCurrent && values.currentPassword === '' ? 'Enter your current password to change your email or password.' : undefined,
      }),
      async () => {
        const updated = await updateMe.mutateAsync(body);
        setValues({ name: updated.name, email: updated.email, password: '', currentPassword: '' });
        setSaved(body.password ? 'Saved. Your other sessions were signed out.' : 'Saved.');
      },
      (error) =>
        toFeedback(error, serverFields, (failure) => {
          if (failure.status === 403) return { fields: { currentPassword: 'This is not your current password.' }, general: [] };
          if (failure.status === 409) return { fields: { email: 'Another account already uses this email.' }, general: [] };
          return undefined;
        }),
    );
  }

  return (
    <form className="panel-form" onSubmit={submit} noValidate aria-busy={form.busy} aria-labelledby="profile-heading">
      <FormErrors messages={form.feedback.general} />
      <div className="field-row">
        <Field
          label="Name"
          name="name"
          value={values.name}
          onChange={(event) => set('name', event.target.value)}
          error={form.feedback.fields.name}
          autoComplete="name"
        />
        <Field
          label="Email"
          name="email"
          type="email"
          value={values.email}
          onChange={(event) => set('email', event.target.value)}
          error={form.feedback.fields.email}
          autoComplete="username"
        />
      </div>
      <div className="field-row">
        <Field
          label="New password"
          name="password"
          type="password"
          value={values.password}
          onChange={(event) => set('password', event.target.value)}
          error={form.feedback.fields.password}
          hint="Leave empty to keep your password. Changing it signs out your other sessions."
          autoComplete="new-password"
        />
        <Field
          label="Current password"
          name="current_password"
          type="password"
          value={values.currentPassword}
          onChange={(event) => set('currentPassword', event.target.value)}
          error={form.feedback.fields.currentPassword}
          hint={needsCurrent ? 'Required to change your email or password.' : 'Only needed to change your email or password.'}
          autoComplete="current-password"
          aria-required={needsCurrent}
        />
      </div>
      <div className="form-actions">
        <button type="submit" className="button-primary" disabled={form.busy}>
          {form.busy ? 'Saving…' : 'Save profile'}
        </button>
        <p className="form-status" role="status">
          {saved}
        </p>
      </div>
    </form>
  );
}
