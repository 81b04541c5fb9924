// The server's rules (CONTRACT-ACCOUNTS.md), checked before sending so that most mistakes need no round trip.
export const passwordLimits = { min: 8, max: 128 } as const;

export function checkPassword(password: string, label = 'Password'): string | undefined {
  const length = [...password].length;
  if (length < passwordLimits.min) return `${label} must be at least ${passwordLimits.min} characters.`;
  if (length > passwordLimits.max) return `${label} must be at most ${passwordLimits.max} characters.`;
  return undefined;
}

export function checkEmail(email: string): string | undefined {
  const trimmed = email.trim();
  if (trimmed === '') return 'Email is required.';
  if (trimmed.length > 254 || trimmed.split('@').length !== 2 || /^@|@$/.test(trimmed)) return 'Enter an email address like ana@example.com.';
  return undefined;
}

export function checkName(name: string): string | undefined {
  const length = [...name.trim()].length;
  if (length === 0) return 'Name is required.';
  if (length > 100) return `Name must be at most 100 characters (now ${length}).`;
  return undefined;
}
