import i18n from '../../i18n/i18n';

// The server's rules (CONTRACT-ACCOUNTS.md), checked before sending so that most mistakes need no round trip.
export const passwordLimits = { min: 8, max: 128 } as const;

/** `newPassword`: the message speaks of "the new password" (the profile form) rather than "password". */
export function checkPassword(password: string, { newPassword = false } = {}): string | undefined {
  const length = [...password].length;
  if (length < passwordLimits.min) {
    return newPassword
      ? i18n.t('The new password must be at least {{min}} characters.', { min: passwordLimits.min })
      : i18n.t('Password must be at least {{min}} characters.', { min: passwordLimits.min });
  }
  if (length > passwordLimits.max) {
    return newPassword
      ? i18n.t('The new password must be at most {{max}} characters.', { max: passwordLimits.max })
      : i18n.t('Password must be at most {{max}} characters.', { max: passwordLimits.max });
  }
  return undefined;
}

export function checkEmail(email: string): string | undefined {
  const trimmed = email.trim();
  if (trimmed === '') return i18n.t('Email is required.');
  if (trimmed.length > 254 || trimmed.split('@').length !== 2 || /^@|@$/.test(trimmed)) return i18n.t('Enter an email address like ana@example.com.');
  return undefined;
}

export function checkName(name: string): string | undefined {
  const length = [...name.trim()].length;
  if (length === 0) return i18n.t('Name is required.');
  if (length > 100) return i18n.t('Name must be at most {{max}} characters (now {{length}}).', { max: 100, length });
  return undefined;
}
