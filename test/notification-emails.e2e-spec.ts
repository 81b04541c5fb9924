import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { inTransaction } from '../src/database/transaction';
import { NotificationEmailItem } from '../src/email/notification-email.entity';
import { DIGEST_JOB, DIGEST_OFFSET_MS, NotificationEmails } from '../src/email/notification-emails.service';
import { JobsService } from '../src/jobs/jobs.service';
import { ACCOUNTS_CONFIG, SignedIn, addMember, bearer, setUpAdmin } from './account-fixtures';
import { clearAll, createTestApp } from './create-test-app';
import { APP_URL, clearEmail, emailConfig, makeRetriesDue, runJobs } from './email-fixtures';
import { SmtpTestServer } from './smtp-test-server';

// The notifications feature is not built yet: these tests queue notifications the way it will, through
// NotificationEmails.queue() in a transaction, and check what reaches the SMTP server.

const MEMBER = { email: 'bob@example.com', name: 'Bob Member', password: 'member password 1' };
const ASSIGNED: NotificationEmailItem = { kind: 'assigned', taskKey: 'TF-12', taskTitle: 'Fix login', actorName: 'Ada Admin' };
const MENTIONED: NotificationEmailItem = { kind: 'mentioned', taskKey: 'TF-9', taskTitle: 'Write <docs>', actorName: 'Ada Admin' };
const DUE_SOON: NotificationEmailItem = { kind: 'due_soon', taskKey: 'TF-3', taskTitle: 'Ship it', actorName: null };
const DAY_MS = 24 * 60 * 60_000;

describe('Notification emails (e2e)', () => {
  const smtp = new SmtpTestServer();
  let app: NestExpressApplication;
  let admin: SignedIn;
  let member: SignedIn;
  const http = () => request(app.getHttpServer());
  const queue = (userId: string, item: NotificationEmailItem) =>
    inTransaction(app.get(DataSource), (manager) => app.get(NotificationEmails).queue(manager, userId, item));
  const setPreference = (who: SignedIn, body: Record<string, string>) => http().patch('/auth/me').set(...bearer(who.accessToken)).send(body).expect(200);

  beforeAll(async () => {
    await smtp.start();
    // NOTIFICATION_EMAIL_DELAY_SECONDS stays at its default, 60: the tests make the wait pass instead.
    app = await createTestApp({ config: { ...ACCOUNTS_CONFIG, ...emailConfig(smtp) } });
  });
  afterAll(async () => {
    await app?.close();
    await smtp.stop();
  });
  beforeEach(async () => {
    await clearEmail(app);
    await app.get(DataSource).query('DELETE FROM notification_emails');
    await clearAll(app);
    smtp.received.length = 0;
    admin = await setUpAdmin(app);
    member = await addMember(app, admin, MEMBER);
  });

  it('sends instant notifications once their delay has passed, several combined into one email with both parts', async () => {
    await queue(member.user.id, ASSIGNED);
    await queue(member.user.id, MENTIONED);
    await runJobs(app);
    expect(smtp.received).toEqual([]);
    await makeRetriesDue(app);
    await runJobs(app);
    const [email] = await smtp.waitFor(1);
    await runJobs(app);
    expect(smtp.received).toHaveLength(1);
    expect(email).toMatchObject({ to: [MEMBER.email], subject: '2 new notifications in TaskFlow' });
    expect(email.text).toContain(`- Ada Admin assigned you TF-12 Fix login\n  ${APP_URL}/tasks/TF-12`);
    expect(email.text).toContain(`- Ada Admin mentioned you in TF-9 Write <docs>\n  ${APP_URL}/tasks/TF-9`);
    expect(email.html).toContain(`<a href="${APP_URL}/tasks/TF-12">Ada Admin assigned you TF-12 Fix login</a>`);
    expect(email.html).toContain('Write &#60;docs&#62;');
  });

  it('keeps one waiting job per user, and a notification queued after that job started gets its own email', async () => {
    const waitingJobs = async () =>
      ((await app.get(DataSource).query("SELECT COUNT(*) AS n FROM jobs WHERE kind = 'email.notifications' AND status = 'pending'")) as Array<{ n: string | number }>)[0].n;
    await queue(member.user.id, ASSIGNED);
    await queue(member.user.id, MENTIONED);
    await queue(admin.user.id, DUE_SOON);
    // One for the member (both notifications), one for the admin.
    expect(Number(await waitingJobs())).toBe(2);
    await makeRetriesDue(app);
    await runJobs(app);
    await smtp.waitFor(2);
    expect(Number(await waitingJobs())).toBe(0);

    await queue(member.user.id, DUE_SOON);
    expect(Number(await waitingJobs())).toBe(1);
    await makeRetriesDue(app);
    await runJobs(app);
    const emails = await smtp.waitFor(3);
    const toMember = emails.filter((email) => email.to[0] === MEMBER.email);
    expect(toMember.map((email) => email.subject)).toEqual(['2 new notifications in TaskFlow', expect.stringContaining('TF-3 Ship it')]);
  });

  it('names a single notification in the subject, in the recipient\'s language', async () => {
    await setPreference(member, { locale: 'fr' });
    await queue(member.user.id, ASSIGNED);
    await makeRetriesDue(app);
    await runJobs(app);
    const [email] = await smtp.waitFor(1);
    expect(email.subject).toBe('Ada Admin vous a assigné TF-12 Fix login');
    expect(email.text).toContain(`${APP_URL}/tasks/TF-12`);
  });

  it('sends nothing with email_notifications off, nor to a disabled user', async () => {
    await setPreference(member, { email_notifications: 'off' });
    await queue(member.user.id, ASSIGNED);
    const carol = await addMember(app, admin, { email: 'carol@example.com', name: 'Carol', password: 'carol password 1' });
    await queue(carol.user.id, ASSIGNED);
    await http().patch(`/users/${carol.user.id}`).set(...bearer(admin.accessToken)).send({ disabled: true }).expect(200);
    await makeRetriesDue(app);
    await runJobs(app);
    expect(smtp.received).toEqual([]);
  });

  it('gathers daily notifications into one digest of the previous 24 hours at 07:00 UTC, and none when there were none', async () => {
    await setPreference(member, { email_notifications: 'daily' });
    await queue(member.user.id, ASSIGNED);
    await queue(member.user.id, DUE_SOON);
    await queue(admin.user.id, MENTIONED);
    await makeRetriesDue(app);
    await runJobs(app);
    // The instant one (the admin's) only: the member's wait for the digest.
    await smtp.waitFor(1);
    expect(smtp.received.map((email) => email.to)).toEqual([[admin.user.email.toLowerCase()]]);
    // The next 07:00 UTC comes: its digest covers the 24 hours before it.
    const nextDigest = Math.ceil((Date.now() - DIGEST_OFFSET_MS) / DAY_MS) * DAY_MS + DIGEST_OFFSET_MS;
    await app.get(JobsService).enqueue(DIGEST_JOB, { slot: nextDigest });
    await runJobs(app);
    await smtp.waitFor(2);
    const digest = smtp.received[1];
    expect(digest).toMatchObject({ to: [MEMBER.email], subject: 'Your TaskFlow day: 2 notifications' });
    expect(digest.text).toContain(`- Ada Admin assigned you TF-12 Fix login\n  ${APP_URL}/tasks/TF-12`);
    expect(digest.text).toContain(`- TF-3 Ship it is due within 24 hours\n  ${APP_URL}/tasks/TF-3`);
    expect(digest.html).toContain(`<a href="${APP_URL}/tasks/TF-3">`);
    // The following day has nothing new: no digest.
    await app.get(JobsService).enqueue(DIGEST_JOB, { slot: nextDigest + DAY_MS });
    await runJobs(app);
    expect(smtp.received).toHaveLength(2);
  });

  it('emails the notifications that task writes, comments and due dates cause, with the tasks\' current keys', async () => {
    const created = await http()
      .post('/tasks')
      .set(...bearer(admin.accessToken))
      .send({ title: 'Fix login', assignee_id: member.user.id })
      .expect(201);
    await http()
      .post(`/tasks/${created.body.key}/comments`)
      .set(...bearer(admin.accessToken))
      .send({ body: `Can you look, <@${member.user.id}>?` })
      .expect(201);
    // The author of both hears of neither.
    await makeRetriesDue(app);
    await runJobs(app);
    const [email] = await smtp.waitFor(1);
    await runJobs(app);
    expect(smtp.received).toHaveLength(1);
    expect(email.to).toEqual([MEMBER.email]);
    expect(email.text).toContain(created.body.key);
    expect(email.text).toContain(`${APP_URL}/tasks/${created.body.key}`);
    expect(email.text).toContain('Ada Admin');
    expect(email.html).toContain(created.body.key);
  });
});
