import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource, IsNull } from 'typeorm';
import { PasswordReset } from '../src/auth/password-reset.entity';
import { ACCOUNTS_CONFIG, ADMIN, addMember, bearer, invite, setUpAdmin, signIn } from './account-fixtures';
import { clearAll, createTestApp } from './create-test-app';
import { APP_URL, clearEmail, emailConfig, resetTokenIn, runJobs } from './email-fixtures';
import { SmtpTestServer } from './smtp-test-server';

const MEMBER = { email: 'Bob@Example.com', name: 'Bob Member', password: 'member password 1' };
const NEW_PASSWORD = 'a brand new password 7';

describe('Email: password reset, invitations, language (e2e)', () => {
  const smtp = new SmtpTestServer();
  let app: NestExpressApplication;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    await smtp.start();
    app = await createTestApp({ config: { ...ACCOUNTS_CONFIG, trustProxy: 1, ...emailConfig(smtp) } });
  });
  afterAll(async () => {
    await app?.close();
    await smtp.stop();
  });
  beforeEach(async () => {
    await clearEmail(app);
    await clearAll(app);
    smtp.received.length = 0;
  });

  const requestReset = (email: string) => http().post('/auth/password-reset').send({ email });
  const confirm = (token: string, password = NEW_PASSWORD, address = '198.51.100.9') =>
    http().post('/auth/password-reset/confirm').set('X-Forwarded-For', address).send({ token, password });
  /** Asks for a reset of `email` and returns the token the email brought. */
  const emailedToken = async (email: string) => {
    const before = smtp.received.length;
    await requestReset(email).expect(202);
    await runJobs(app);
    const [received] = await smtp.waitFor(before + 1).then((all) => all.slice(before));
    return resetTokenIn(received.text);
  };

  it('says email is on in /auth/status', async () => {
    await http().get('/auth/status').expect(200, { auth_mode: 'required', setup_required: true, registration: 'invite', email: true });
  });

  describe('password reset by email', () => {
    it('sends a known user a link to APP_URL/reset-password, with a plain-text and an HTML part', async () => {
      await setUpAdmin(app);
      await requestReset(ADMIN.email.toUpperCase()).expect(202, {});
      await runJobs(app);
      const [email] = await smtp.waitFor(1);
      expect(email).toMatchObject({ to: [ADMIN.email.toLowerCase()], from: 'tasks@taskflow.test', subject: 'Reset your TaskFlow password' });
      const token = resetTokenIn(email.text);
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(email.text).toContain(`Hello ${ADMIN.name},`);
      expect(email.html).toContain(`href="${APP_URL}/reset-password?token=${token}"`);
      // Only a hash of the token is stored, and the sent message's bodies are not kept.
      const stored = JSON.stringify(await app.get(DataSource).query('SELECT * FROM password_resets'));
      expect(stored).not.toContain(token);
      await expect(app.get(DataSource).query('SELECT text_body, html_body, status FROM emails')).resolves.toEqual([
        { text_body: '', html_body: '', status: 'sent' },
      ]);
    });

    it('answers 202 with the same body for an unknown email and a disabled user, and sends nothing', async () => {
      const admin = await setUpAdmin(app);
      const member = await addMember(app, admin, MEMBER);
      await http().patch(`/users/${member.user.id}`).set(...bearer(admin.accessToken)).send({ disabled: true }).expect(200);
      const known = await requestReset(ADMIN.email).expect(202);
      const unknown = await requestReset('nobody@example.com').expect(202);
      const disabled = await requestReset(MEMBER.email).expect(202);
      expect(unknown.body).toEqual(known.body);
      expect(disabled.body).toEqual(known.body);
      expect(unknown.headers['content-length']).toBe(known.headers['content-length']);
      await runJobs(app);
      await smtp.waitFor(1);
      expect(smtp.received.map((email) => email.to)).toEqual([[ADMIN.email.toLowerCase()]]);
    });

    it('sets the new password with the token, once, and ends every session of the user', async () => {
      const session = await setUpAdmin(app);
      const token = await emailedToken(ADMIN.email);
      await confirm(token).expect(204);
      await http().post('/auth/login').send({ email: ADMIN.email, password: ADMIN.password }).expect(401);
      await signIn(app, ADMIN.email, NEW_PASSWORD);
      await http().post('/auth/refresh').set('Cookie', session.cookie).expect(401);
      await http().get('/auth/me').set(...bearer(session.accessToken)).expect(401);
      await confirm(token, 'yet another password 8').expect(403);
    });

    it('refuses an unknown or expired token with 403, an empty one with 422', async () => {
      await setUpAdmin(app);
      const token = await emailedToken(ADMIN.email);
      await confirm('not-a-token').expect(403);
      await app.get(DataSource).getRepository(PasswordReset).update({ usedAt: IsNull() }, { expiresAt: new Date(Date.now() - 1000) });
      await confirm(token).expect(403);
      await confirm('').expect(422);
      await http().post('/auth/password-reset/confirm').send({ token: 'x', password: 'short' }).expect(422);
      await signIn(app, ADMIN.email, ADMIN.password);
    });

    it('ends the other tokens of the user when one is used', async () => {
      await setUpAdmin(app);
      const first = await emailedToken(ADMIN.email);
      const second = await emailedToken(ADMIN.email);
      await confirm(second).expect(204);
      await confirm(first).expect(403);
    });

    it('sends at most 3 reset emails per address per hour', async () => {
      await setUpAdmin(app);
      for (let attempt = 1; attempt <= 5; attempt++) await requestReset(ADMIN.email).expect(202);
      await runJobs(app);
      await smtp.waitFor(3);
      await runJobs(app);
      expect(smtp.to(ADMIN.email)).toHaveLength(3);
    });

    it('counts refused tokens against the client address: 429 after 20', async () => {
      await setUpAdmin(app);
      for (let attempt = 1; attempt <= 20; attempt++) await confirm(`wrong-${attempt}`, NEW_PASSWORD, '203.0.113.50').expect(403);
      const locked = await confirm('wrong-21', NEW_PASSWORD, '203.0.113.50').expect(429);
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
      await confirm('wrong-22', NEW_PASSWORD, '203.0.113.51').expect(403);
    });

    it('clears both sign-in lockouts of the email once the reset is done', async () => {
      await setUpAdmin(app);
      const fail = (address: string) => http().post('/auth/login').set('X-Forwarded-For', address).send({ email: ADMIN.email, password: 'wrong' });
      for (let address = 1; address <= 10; address++) {
        for (let attempt = 1; attempt <= 5; attempt++) await fail(`203.0.113.${address}`).expect(401);
      }
      const login = (address: string) =>
        http().post('/auth/login').set('X-Forwarded-For', address).send({ email: ADMIN.email, password: NEW_PASSWORD });
      await login('192.0.2.1').expect(429);
      await confirm(await emailedToken(ADMIN.email)).expect(204);
      await login('203.0.113.1').expect(200);
      await login('192.0.2.1').expect(200);
    });

    it('writes the email in the user\'s language', async () => {
      const admin = await setUpAdmin(app);
      await http().patch('/auth/me').set(...bearer(admin.accessToken)).send({ locale: 'fr' }).expect(200);
      await requestReset(ADMIN.email).expect(202);
      await runJobs(app);
      const [email] = await smtp.waitFor(1);
      expect(email.subject).toBe('Réinitialisez votre mot de passe TaskFlow');
      expect(email.text).toContain(`Bonjour ${ADMIN.name},`);
      expect(email.html).toContain('<html lang="fr">');
    });
  });

  describe('POST /users/{id}/password-reset (admin)', () => {
    it('gives the admin a single-use link, shown once, that ends the user\'s sessions', async () => {
      const admin = await setUpAdmin(app);
      const member = await addMember(app, admin, MEMBER);
      const response = await http().post(`/users/${member.user.id}/password-reset`).set(...bearer(admin.accessToken)).expect(201);
      expect(response.body).toEqual({ token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), url: expect.any(String), expires_at: expect.any(String) });
      expect(response.body.url).toBe(`${APP_URL}/reset-password?token=${response.body.token}`);
      const lifetime = Date.parse(response.body.expires_at) - Date.now();
      expect(lifetime).toBeGreaterThan(59 * 60_000);
      expect(lifetime).toBeLessThanOrEqual(60 * 60_000);
      await confirm(response.body.token).expect(204);
      await http().get('/auth/me').set(...bearer(member.accessToken)).expect(401);
      await signIn(app, MEMBER.email, NEW_PASSWORD);
      await confirm(response.body.token).expect(403);
      expect(smtp.received).toEqual([]);
    });

    it('is for signed-in admins only: 403 for a member and for an API token, 404 for an unknown user', async () => {
      const admin = await setUpAdmin(app);
      const member = await addMember(app, admin, MEMBER);
      await http().post(`/users/${admin.user.id}/password-reset`).set(...bearer(member.accessToken)).expect(403);
      const apiToken = (await http().post('/auth/tokens').set(...bearer(admin.accessToken)).send({ name: 'ci', scope: 'write' }).expect(201)).body.token;
      await http().post(`/users/${member.user.id}/password-reset`).set(...bearer(apiToken)).expect(403);
      await http().post('/users/00000000-0000-4000-8000-000000000000/password-reset').set(...bearer(admin.accessToken)).expect(404);
      await http().post(`/users/${member.user.id}/password-reset`).expect(401);
    });
  });

  describe('invitations by email', () => {
    it('sends an invitation with an email to it, in the inviting admin\'s language, with a link that registers', async () => {
      const admin = await setUpAdmin(app);
      await http().patch('/auth/me').set(...bearer(admin.accessToken)).send({ locale: 'fr' }).expect(200);
      const code = await invite(app, admin, { role: 'member', email: MEMBER.email });
      await runJobs(app);
      const [email] = await smtp.waitFor(1);
      expect(email.to).toEqual([MEMBER.email.toLowerCase()]);
      expect(email.subject).toBe(`${ADMIN.name} vous invite sur TaskFlow`);
      const link = `${APP_URL}/register?invitation=${code}`;
      expect(email.text).toContain(link);
      expect(email.html).toContain(`href="${link}"`);
      await http().post('/auth/register').send({ ...MEMBER, invitation: code }).expect(201);
    });

    it('sends nothing for an invitation without an email', async () => {
      const admin = await setUpAdmin(app);
      await invite(app, admin, { role: 'member' });
      await runJobs(app);
      expect(smtp.received).toEqual([]);
      expect(Number((await app.get(DataSource).query('SELECT COUNT(*) AS n FROM emails'))[0].n)).toBe(0);
    });
  });

  describe('language and email preference', () => {
    it('takes the locale of a new account from Accept-Language, and changes it and email_notifications with PATCH /auth/me', async () => {
      const setup = await http()
        .post('/auth/setup')
        .set('Accept-Language', 'de-DE, fr-CA;q=0.8, en;q=0.5')
        .send({ setup_token: ACCOUNTS_CONFIG.setupToken, ...ADMIN })
        .expect(201);
      expect(setup.body.user).toMatchObject({ locale: 'fr', email_notifications: 'instant' });
      const token = setup.body.access_token;
      const member = await http()
        .post('/auth/register')
        .send({ ...MEMBER, invitation: await invite(app, { accessToken: token, cookie: '', user: setup.body.user }) })
        .expect(201);
      expect(member.body.user.locale).toBe('en');
      const changed = await http().patch('/auth/me').set(...bearer(token)).send({ locale: 'en', email_notifications: 'daily' }).expect(200);
      expect(changed.body).toMatchObject({ locale: 'en', email_notifications: 'daily' });
      await expect(http().get('/auth/me').set(...bearer(token))).resolves.toMatchObject({ body: { locale: 'en', email_notifications: 'daily' } });
    });

    it.each([[{ locale: 'de' }], [{ email_notifications: 'weekly' }], [{ locale: null }]])('refuses %p with 422 and changes nothing', async (body) => {
      const admin = await setUpAdmin(app);
      await http().patch('/auth/me').set(...bearer(admin.accessToken)).send(body).expect(422);
      await expect(http().get('/auth/me').set(...bearer(admin.accessToken))).resolves.toMatchObject({ body: { locale: 'en', email_notifications: 'instant' } });
    });
  });
});

describe('Email off (no SMTP_URL) (e2e)', () => {
  let app: NestExpressApplication;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    app = await createTestApp({ config: ACCOUNTS_CONFIG });
  });
  afterAll(async () => {
    await app?.close();
  });
  beforeEach(async () => {
    await clearEmail(app);
    await clearAll(app);
  });

  it('answers 404 to POST /auth/password-reset and writes no email for an invitation', async () => {
    const admin = await setUpAdmin(app);
    await http().post('/auth/password-reset').send({ email: ADMIN.email }).expect(404);
    await invite(app, admin, { role: 'member', email: MEMBER.email });
    expect(Number((await app.get(DataSource).query('SELECT COUNT(*) AS n FROM emails'))[0].n)).toBe(0);
    expect(Number((await app.get(DataSource).query('SELECT COUNT(*) AS n FROM jobs'))[0].n)).toBe(0);
  });

  it('still gives an admin a reset link, relative without APP_URL, that works', async () => {
    const admin = await setUpAdmin(app);
    const member = await addMember(app, admin, MEMBER);
    const response = await http().post(`/users/${member.user.id}/password-reset`).set(...bearer(admin.accessToken)).expect(201);
    expect(response.body.url).toBe(`/reset-password?token=${response.body.token}`);
    await http().post('/auth/password-reset/confirm').send({ token: response.body.token, password: NEW_PASSWORD }).expect(204);
    await signIn(app, MEMBER.email, NEW_PASSWORD);
  });
});

describe('Email routes in AUTH_MODE=off (e2e)', () => {
  let app: NestExpressApplication;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('do not exist', async () => {
    await request(app.getHttpServer()).post('/auth/password-reset').send({ email: 'a@b.co' }).expect(404);
    await request(app.getHttpServer()).post('/auth/password-reset/confirm').send({ token: 'x', password: NEW_PASSWORD }).expect(404);
    await request(app.getHttpServer()).post('/users/00000000-0000-4000-8000-000000000000/password-reset').expect(404);
  });
});
