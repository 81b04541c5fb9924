import { hashPassword, PASSWORD_HASH_OPTIONS, verifyAgainstDecoy, verifyPassword } from './passwords';

describe('passwords', () => {
  it("hashes with argon2id at OWASP's cost (19 MiB, 2 iterations, 1 lane) and a random salt", async () => {
    const first = await hashPassword('correct horse battery staple');
    const second = await hashPassword('correct horse battery staple');
    expect(first).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(first).not.toBe(second);
    expect(PASSWORD_HASH_OPTIONS).toMatchObject({ memoryCost: 19_456, timeCost: 2, parallelism: 1 });
  });

  it('verifies the right password only, any characters included', async () => {
    const password = 'pässwörd 🔑 \u0000 "quoted"';
    const hash = await hashPassword(password);
    await expect(verifyPassword(hash, password)).resolves.toBe(true);
    await expect(verifyPassword(hash, password.slice(0, -1))).resolves.toBe(false);
    await expect(verifyPassword(hash, '')).resolves.toBe(false);
  });

  it('answers false, without throwing, for a stored value that is not an argon2 hash', async () => {
    await expect(verifyPassword('not a hash', 'whatever')).resolves.toBe(false);
    await expect(verifyPassword('', 'whatever')).resolves.toBe(false);
  });

  it('spends a verification on the decoy and always refuses', async () => {
    await expect(verifyAgainstDecoy('decoy password, never valid')).resolves.toBe(false);
    await expect(verifyAgainstDecoy('anything')).resolves.toBe(false);
  });
});
