import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const API_TOKEN_PREFIX = 'tf_';

/** 32 random bytes in base64url: session cookies, invitation codes, generated set-up tokens. */
export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** `tf_` and 32 random bytes: recognisable in logs and secret scanners, unguessable. */
export function newApiToken(): string {
  return `${API_TOKEN_PREFIX}${randomSecret(32)}`;
}

export function looksLikeApiToken(credential: string): boolean {
  return /^tf_[A-Za-z0-9_-]{43,200}$/.test(credential);
}

/**
 * What the database keeps of a high-entropy secret. A fast hash is enough for 256 random bits (nothing to
 * brute-force), and it lets the secret be looked up by its hash.
 */
export function secretHash(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Compares two secrets in time that depends only on their length, which is not secret. */
export function secretsEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
