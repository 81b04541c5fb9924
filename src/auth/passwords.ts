import { argon2id, hash, verify } from 'argon2';

/** OWASP's recommended argon2id cost (Password Storage Cheat Sheet): 19 MiB, 2 iterations, 1 lane. */
export const PASSWORD_HASH_OPTIONS = { type: argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

export function hashPassword(password: string): Promise<string> {
  return hash(password, PASSWORD_HASH_OPTIONS);
}

/** False for a wrong password and for a hash that is not argon2's (never throws on bad input). */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let decoyHash: Promise<string> | undefined;

/**
 * Spends the time of one real verification. Sign-in runs it for an unknown email, so that its answer
 * takes as long as a wrong password's and does not reveal which emails have accounts.
 */
export async function verifyAgainstDecoy(password: string): Promise<false> {
  decoyHash ??= hashPassword('decoy password, never valid');
  await verifyPassword(await decoyHash, password);
  return false;
}
