import request from 'supertest';
import { DataSource } from 'typeorm';
import { ACCOUNTS_CONFIG, ADMIN, setUpAdmin } from './account-fixtures';
import { useTestApp } from './create-test-app';

// The v3 sign-in limits: 5 failures lock one (email, client address) pair; 50 from any addresses lock the email.
describe('Sign-in limits per email and client address (e2e)', () => {
  // TRUST_PROXY=1, so that each test can speak from several client addresses through X-Forwarded-For.
  const testApp = useTestApp({ config: { ...ACCOUNTS_CONFIG, trustProxy: 1 } });
  const http = () => request(testApp().getHttpServer());
  const login = (address: string, email: string, password: string) =>
    http().post('/auth/login').set('X-Forwarded-For', address).send({ email, password });
  const fail = (address: string, email = ADMIN.email) => login(address, email, 'wrong password');
  const succeed = (address: string) => login(address, ADMIN.email, ADMIN.password);
  const failTimes = async (address: string, times: number) => {
    for (let attempt = 1; attempt <= times; attempt++) await fail(address).expect(401);
  };
  const lockedUntilOf = async () =>
    (await testApp().get(DataSource).query('SELECT "key", locked_until FROM sign_in_counters WHERE locked_until IS NOT NULL ORDER BY "key"')).map(
      (row: { key: string; locked_until: string | number }) => [row.key, Number(row.locked_until)],
    );

  beforeEach(async () => {
    await setUpAdmin(testApp());
  });

  it('locks the email from the address that failed 5 times only; other addresses sign in', async () => {
    await failTimes('198.51.100.1', 5);
    const locked = await succeed('198.51.100.1').expect(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(14 * 60);
    expect(Number(locked.headers['retry-after'])).toBeLessThanOrEqual(15 * 60);
    await succeed('198.51.100.2').expect(200);
    // The other address's success does not clear the first address's lock.
    await succeed('198.51.100.1').expect(429);
  });

  it('locks the email from every address after 50 failures from any addresses', async () => {
    for (let address = 1; address <= 10; address++) await failTimes(`203.0.113.${address}`, 5);
    const locked = await succeed('192.0.2.77').expect(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(14 * 60);
    // Only that email: another one from the same fresh address is still judged on its password.
    await fail('192.0.2.77', 'someone@example.com').expect(401);
  });

  it('keeps the 50-failure count through a successful sign-in', async () => {
    for (let address = 1; address <= 9; address++) await failTimes(`203.0.113.${address}`, 5);
    await failTimes('203.0.113.10', 4);
    await succeed('192.0.2.1').expect(200);
    await fail('192.0.2.2').expect(401);
    await succeed('192.0.2.3').expect(429);
  });

  it('clears only the count of its own pair on a successful sign-in', async () => {
    await failTimes('198.51.100.1', 4);
    await failTimes('198.51.100.2', 4);
    await succeed('198.51.100.1').expect(200);
    await failTimes('198.51.100.1', 4);
    await fail('198.51.100.2').expect(401);
    await succeed('198.51.100.2').expect(429);
    await succeed('198.51.100.1').expect(200);
  });

  it('does not extend a lock with the attempts made while it holds', async () => {
    await failTimes('198.51.100.1', 5);
    const before = await lockedUntilOf();
    expect(before).toHaveLength(1);
    for (let attempt = 1; attempt <= 3; attempt++) await fail('198.51.100.1').expect(429);
    await succeed('198.51.100.1').expect(429);
    await expect(lockedUntilOf()).resolves.toEqual(before);
  });

  it('lets the pair sign in again 15 minutes after the 5th failure', async () => {
    await failTimes('198.51.100.1', 5);
    await succeed('198.51.100.1').expect(429);
    // Moving the clock: the lock and the window both end in the past.
    const past = Date.now() - 16 * 60 * 1000;
    await testApp().get(DataSource).query(`UPDATE sign_in_counters SET locked_until = ${past}, window_started_at = ${past - 60_000}`);
    await succeed('198.51.100.1').expect(200);
  });
});
