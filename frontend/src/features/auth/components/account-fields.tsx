import type { ComponentProps } from 'react';
import { Field } from '../../../components/field';
import { useTranslation } from 'react-i18next';
import { passwordLimits } from '../account-rules';

type FieldProps = ComponentProps<typeof Field>;

/** An account's email, which browsers and password managers save as the user name. */
export function EmailField(props: Omit<FieldProps, 'label' | 'name' | 'type' | 'autoComplete'>) {
  const { t } = useTranslation();
  return <Field label={t('Email')} name="email" type="email" autoComplete="username" {...props} />;
}

type NewPasswordFieldProps = Omit<FieldProps, 'label' | 'name' | 'type' | 'autoComplete'> & { label?: string };

/** A password being chosen, which password managers offer to generate and then save. */
export function NewPasswordField({ label, hint, ...props }: NewPasswordFieldProps) {
  const { t } = useTranslation();
  return (
    <Field
      label={label ?? t('Password')}
      name="password"
      type="password"
      hint={hint ?? t('{{min}} to {{max}} characters.', passwordLimits)}
      autoComplete="new-password"
      {...props}
    />
  );
}

interface SubmitButtonProps {
  busy: boolean;
  /** What the button says while the form waits for the server. */
  busyLabel: string;
  children: string;
}

export function SubmitButton({ busy, busyLabel, children }: SubmitButtonProps) {
  return (
    <button type="submit" className="button-primary" aria-disabled={busy}>
      {busy ? busyLabel : children}
    </button>
  );
}
