import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { ACCOUNTS_CONFIG, ADMIN, bearer, invite, setUpAdmin } from './account-fixtures';
import { freshDatabase } from './create-test-app';
import { emailConfig, makeRetriesDue, resetTokenIn, runJobs } from './email-fixtures';
import { createObservedApp } from './observability-test-app';
import { SMTP_PASSWORD, SmtpTestServer } from './smtp-test-server';

// A file of its own: Nest's static logger must be the observed app's, not a previous app's.
describe('Email and the logs (e2e)', () => {
  const smtp = new SmtpTestServer();
  let database: { url: string; drop: () => Promise<void> };
  let app: NestExpressApplication;
  const logLines: string[] = [];
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    await smtp.start();
    database = await freshDatabase();
    app = await createObservedApp({ logLines, config: { ...ACCOUNTS_CONFIG, ...emailConfig(smtp), databaseUrl: database.url } });
  });
  afterAll(async () => {
    await app?.close();
    await smtp.stop();
    await database?.drop();
  });

  it('never writes a reset token, a new password, an invitation code or the SMTP password to the log', async () => {
    const admin = await setUpAdmin(app);
    await http().post('/auth/password-reset').send({ email: ADMIN.email }).expect(202);
    await runJobs(app);
    const emailed = resetTokenIn((await smtp.waitFor(1))[0].text);
    await http().post('/auth/password-reset/confirm').send({ token: emailed, password: 'reset secret 42' }).expect(204);
    await http().post('/auth/password-reset/confirm').send({ token: emailed, password: 'reset secret 43' }).expect(403);
    const signedIn = await http().post('/auth/login').send({ email: ADMIN.email, password: 'reset secret 42' }).expect(200);
    const byAdmin = await http().post(`/users/${admin.user.id}/password-reset`).set(...bearer(signedIn.body.access_token)).expect(201);
    // An outage, so that failed deliveries are logged too.
    await smtp.stop();
    const code = await invite(app, { ...admin, accessToken: signedIn.body.access_token }, { role: 'member', email: 'invitee@example.com' });
    await runJobs(app);
    await smtp.start();
    await makeRetriesDue(app);
    await runJobs(app);
    await smtp.waitFor(2);

    expect(logLines.some((line) => line.includes('failed (attempt 1)'))).toBe(true);
    expect(logLines.some((line) => line.includes('(invitation) sent'))).toBe(true);
    const secrets = [emailed, 'reset secret 42', 'reset secret 43', byAdmin.body.token, code, SMTP_PASSWORD];
    for (const line of logLines) {
      for (const secret of secrets) expect(line).not.toContain(secret);
    }
  });
});
