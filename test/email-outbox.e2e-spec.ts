import { NestExpressApplication } from '@nestjs/platform-express';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { OutboxEmail } from '../src/email/outbox-email.entity';
import { ACCOUNTS_CONFIG, SignedIn, invite, setUpAdmin } from './account-fixtures';
import { createTestApp, freshDatabase } from './create-test-app';
import { emailConfig, makeRetriesDue, runJobs } from './email-fixtures';
import { SmtpTestServer } from './smtp-test-server';

const countOf = async (app: NestExpressApplication, sql: string) => Number((await app.get(DataSource).query(sql))[0].n);

/** Invitations for invitee1@example.com... each of which writes one email. */
async function inviteByEmail(app: NestExpressApplication, admin: SignedIn, from: number, to: number): Promise<void> {
  for (let n = from; n <= to; n++) await invite(app, admin, { role: 'member', email: `invitee${n}@example.com` });
}

/** Every email arrived exactly once, each with its own Message-ID. */
function expectEachOnce(smtp: SmtpTestServer, count: number): void {
  const recipients = smtp.received.map((email) => email.to.join()).sort();
  expect(recipients).toEqual([...Array(count).keys()].map((n) => `invitee${n + 1}@example.com`).sort());
  expect(new Set(smtp.received.map((email) => email.messageId)).size).toBe(count);
}

describe('The email outbox (e2e)', () => {
  const smtp = new SmtpTestServer();
  let database: { url: string; drop: () => Promise<void> };
  const apps: NestExpressApplication[] = [];
  const start = async () => {
    const app = await createTestApp({ databaseUrl: database.url, config: { ...ACCOUNTS_CONFIG, ...emailConfig(smtp) } });
    apps.push(app);
    return app;
  };

  beforeEach(async () => {
    await smtp.start();
    smtp.received.length = 0;
    database = await freshDatabase();
  });
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
    await smtp.stop();
    await database.drop();
  });

  it('keeps emails while the SMTP server is down, then delivers each once when it is back', async () => {
    const app = await start();
    const admin = await setUpAdmin(app);
    await smtp.stop();
    await inviteByEmail(app, admin, 1, 3);
    await runJobs(app);
    expect(smtp.received).toEqual([]);
    await expect(countOf(app, `SELECT COUNT(*) AS n FROM jobs WHERE status = 'pending' AND attempts >= 1 AND last_error IS NOT NULL`)).resolves.toBe(3);
    await smtp.start();
    await makeRetriesDue(app);
    await runJobs(app);
    await smtp.waitFor(3);
    await makeRetriesDue(app);
    await runJobs(app);
    expectEachOnce(smtp, 3);
    await expect(countOf(app, `SELECT COUNT(*) AS n FROM emails WHERE status = 'sent'`)).resolves.toBe(3);
  });

  it('loses none of them through a restart while the SMTP server is down', async () => {
    const first = await start();
    const admin = await setUpAdmin(first);
    await smtp.stop();
    await inviteByEmail(first, admin, 1, 2);
    await runJobs(first);
    await first.close();
    apps.splice(0);
    await smtp.start();
    const second = await start();
    await makeRetriesDue(second);
    await runJobs(second);
    await smtp.waitFor(2);
    expectEachOnce(smtp, 2);
  });

  it('sends each email once with two instances on one database', async () => {
    const [a, b] = [await start(), await start()];
    const admin = await setUpAdmin(a);
    await inviteByEmail(a, admin, 1, 12);
    await Promise.all([runJobs(a), runJobs(b), runJobs(a), runJobs(b)]);
    await smtp.waitFor(12);
    await Promise.all([runJobs(a), runJobs(b)]);
    expectEachOnce(smtp, 12);
  });

  it('deletes sent and failed emails after 7 days, in an hourly job, and keeps pending ones', async () => {
    const first = await start();
    const emails = first.get(DataSource).getRepository(OutboxEmail);
    const old = new Date(Date.now() - 8 * 24 * 60 * 60_000);
    const row = { kind: 'invitation', recipient: 'a@example.com', recipientKey: 'a@example.com', subject: 's', textBody: '', htmlBody: '', createdAt: old, sentAt: null };
    await emails.insert([
      { ...row, id: randomUUID(), status: 'sent' },
      { ...row, id: randomUUID(), status: 'failed' },
      { ...row, id: randomUUID(), status: 'pending' },
      { ...row, id: randomUUID(), status: 'sent', createdAt: new Date() },
    ]);
    await first.close();
    apps.splice(0);
    // This hour's pruning already ran when the first instance started: forget it, as if the next hour had come.
    const second = await start();
    await second.get(DataSource).query('DELETE FROM jobs');
    await second.close();
    apps.splice(0);
    const third = await start();
    await runJobs(third);
    const kept = await third.get(DataSource).getRepository(OutboxEmail).find({ order: { status: 'ASC' } });
    expect(kept.map((email) => [email.status, email.createdAt.getTime() > old.getTime()])).toEqual([
      ['pending', false],
      ['sent', true],
    ]);
  });

  it('marks an email failed once its 24 hours of retries are over, and stops trying', async () => {
    const app = await start();
    const admin = await setUpAdmin(app);
    await smtp.stop();
    await inviteByEmail(app, admin, 1, 1);
    // As if it had been written 24 hours ago: the next failure is its last.
    await app.get(DataSource).query(`UPDATE jobs SET created_at = ${Date.now() - 24 * 60 * 60_000}`);
    await makeRetriesDue(app);
    await runJobs(app);
    await expect(app.get(DataSource).query(`SELECT status, last_error FROM jobs WHERE kind = 'email.send'`)).resolves.toEqual([
      { status: 'failed', last_error: expect.stringContaining('ECONNREFUSED') },
    ]);
    await expect(app.get(DataSource).query(`SELECT status, text_body FROM emails`)).resolves.toEqual([{ status: 'failed', text_body: '' }]);
  });
});
