import { useState, type FormEvent } from 'react';
import { Field, FormErrors } from '../../../components/field';
import type { ApiError } from '../../../lib/api-client';
import type { FieldErrors, FormFeedback } from '../../../lib/use-form-submit';
import { checkEmail, checkName, checkPassword } from '../account-rules';
import type { UpdateMeBody, User } from '../auth.types';
import { useAccountForm } from '../use-account-form';
import { useUpdateMe } from '../use-account';
import { EmailField, NewPasswordField, SubmitButton } from './account-fields';
import { useTranslation } from 'react-i18next';

type ProfileField = 'name' | 'email' | 'password' | 'currentPassword';
const serverFields: Record<string, ProfileField> = {
  name: 'name',
  email: 'email',
  password: 'password',
  current_password: 'currentPassword',
};

/** Name, email and password; the current password is asked for only when the email or the password changes. */
export function ProfileForm({ user }: { user: User }) {
  const { t } = useTranslation();
  const [saved, setSaved] = useState<string | null>(null);
  const form = useAccountForm<ProfileField>(
    { name: user.name, email: user.email, password: '', currentPassword: '' },
    { serverFields, onEdit: () => setSaved(null) },
  );
  const updateMe = useUpdateMe();
  const { values } = form;

  const emailChanged = values.email.trim().toLowerCase() !== user.email.toLowerCase();
  const needsCurrent = emailChanged || values.password !== '';

  function changes(): UpdateMeBody {
    const body: UpdateMeBody = {};
    if (values.name.trim() !== user.name) body.name = values.name.trim();
    if (emailChanged) body.email = values.email.trim();
    if (values.password) body.password = values.password;
    if (needsCurrent) body.current_password = values.currentPassword;
    return body;
  }

  const check = (): FieldErrors<ProfileField> => ({
    name: checkName(values.name),
    email: checkEmail(values.email),
    password: values.password ? checkPassword(values.password, { newPassword: true }) : undefined,
    currentPassword:
      needsCurrent && values.currentPassword === ''
        ? t('Enter your current password to change your email or password.')
        : undefined,
  });

  async function send() {
    const body = changes();
    const updated = await updateMe.mutateAsync(body);
    form.setValues({ name: updated.name, email: updated.email, password: '', currentPassword: '' });
    setSaved(body.password ? t('Saved. Your other sessions were signed out.') : t('Saved.'));
  }

  function explain(failure: ApiError): FormFeedback<ProfileField> | undefined {
    if (failure.status === 403) return { fields: { currentPassword: t('This is not your current password.') }, general: [] };
    if (failure.status === 409) return { fields: { email: t('Another account already uses this email.') }, general: [] };
    return undefined;
  }

  const save = form.submitWith(check, send, explain);

  function submit(event: FormEvent) {
    // Nothing changed is no mistake: say so, and leave the form's messages as they are.
    if (Object.keys(changes()).length === 0) {
      event.preventDefault();
      setSaved(t('Nothing to save: nothing has changed.'));
      return;
    }
    void save(event);
  }

  return (
    <form className="panel-form" onSubmit={submit} noValidate aria-busy={form.busy} aria-labelledby="profile-heading">
      <FormErrors messages={form.feedback.general} />
      <div className="field-row">
        <Field label={t('Name')} name="name" {...form.bind('name')} autoComplete="name" />
        <EmailField {...form.bind('email')} />
      </div>
      <div className="field-row">
        <NewPasswordField
          label={t('New password')}
          {...form.bind('password')}
          hint={t('Leave empty to keep your password. Changing it signs out your other sessions.')}
        />
        <Field
          label={t('Current password')}
          name="current_password"
          type="password"
          {...form.bind('currentPassword')}
          hint={
            needsCurrent
              ? t('Required to change your email or password.')
              : t('Only needed to change your email or password.')
          }
          autoComplete="current-password"
          aria-required={needsCurrent}
        />
      </div>
      <div className="form-actions">
        <SubmitButton busy={form.busy} busyLabel={t('Saving…')}>
          {t('Save profile')}
        </SubmitButton>
        <p className="form-status" role="status">
          {saved}
        </p>
      </div>
    </form>
  );
}
