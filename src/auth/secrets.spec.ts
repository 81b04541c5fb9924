import { looksLikeApiToken, newApiToken, randomSecret, secretHash, secretsEqual } from './secrets';

describe('secrets', () => {
  it('makes API tokens of tf_ and 32 random bytes in base64url, all different', () => {
    const tokens = new Set(Array.from({ length: 200 }, () => newApiToken()));
    expect(tokens.size).toBe(200);
    for (const token of tokens) {
      expect(token).toMatch(/^tf_[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(token.slice(3), 'base64url')).toHaveLength(32);
      expect(looksLikeApiToken(token)).toBe(true);
    }
  });

  it.each(['', 'tf_', 'tf_short', `tf_${'a'.repeat(42)}`, `TF_${'a'.repeat(43)}`, `tf_${'a'.repeat(43)}!`, 'eyJhbGciOiJIUzI1NiJ9.e30.sig'])(
    'does not take %p for an API token',
    (value) => {
      expect(looksLikeApiToken(value)).toBe(false);
    },
  );

  it('makes random secrets of the requested size', () => {
    expect(Buffer.from(randomSecret(), 'base64url')).toHaveLength(32);
    expect(Buffer.from(randomSecret(24), 'base64url')).toHaveLength(24);
    expect(randomSecret()).not.toBe(randomSecret());
  });

  it('hashes a secret to 64 hex characters, the same each time, never containing the secret', () => {
    const secret = newApiToken();
    expect(secretHash(secret)).toMatch(/^[0-9a-f]{64}$/);
    expect(secretHash(secret)).toBe(secretHash(secret));
    expect(secretHash(secret)).not.toBe(secretHash(`${secret}x`));
  });

  it('compares secrets of any lengths without throwing', () => {
    expect(secretsEqual('same value', 'same value')).toBe(true);
    expect(secretsEqual('same value', 'same valuE')).toBe(false);
    expect(secretsEqual('', 'something longer')).toBe(false);
    expect(secretsEqual('é', 'e')).toBe(false);
  });
});
