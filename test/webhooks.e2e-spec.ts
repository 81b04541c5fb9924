import { NestExpressApplication } from '@nestjs/platform-express';
import { createHmac, randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource, IsNull, Not } from 'typeorm';
import { AppConfig } from '../src/config/app-config';
import { JobsService } from '../src/jobs/jobs.service';
import { CLAIM_MS, WebhookDeliveriesService } from '../src/webhooks/webhook-deliveries.service';
import { DeliveryStatus, WebhookDelivery } from '../src/webhooks/webhook-delivery.entity';
import { WebhookFanoutService } from '../src/webhooks/webhook-fanout.service';
import { Webhook } from '../src/webhooks/webhook.entity';
import { ACCOUNTS_CONFIG, addMember, bearer, setUpAdmin, SignedIn } from './account-fixtures';
import { createTestApp, freshDatabase, useTestApp } from './create-test-app';
import { ReceivedDelivery, WebhookReceiver } from './webhook-receiver';

// A base of an hour: no retry comes due by itself while a test runs, so each test makes retries due
// (makeRetriesDue) when it means to. The last describe lets the poller retry on its own, with a base of 1 s.
const RETRY_BASE_SECONDS = 3600;
const WEBHOOK_CONFIG: Partial<AppConfig> = { ...ACCOUNTS_CONFIG, webhookAllowedHosts: ['127.0.0.1'], webhookRetryBaseSeconds: RETRY_BASE_SECONDS };
const SECRET = /^whsec_[A-Za-z0-9_-]{43,}$/;

/** The signature a receiver computes: HMAC-SHA256 of "<t>.<raw body>", keyed by the secret string. */
function verifySignature(delivery: ReceivedDelivery, secret: string): boolean {
  const header = String(delivery.headers['taskflow-signature']);
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  if (!match) return false;
  return createHmac('sha256', secret).update(`${match[1]}.${delivery.body}`).digest('hex') === match[2];
}

/** Makes every deliveries and pending attempts now: fan-out, then the jobs and deliveries due. */
async function deliverNow(app: NestExpressApplication): Promise<void> {
  await app.get(WebhookFanoutService).run();
  await app.get(JobsService).runDue();
}

/** Makes waiting retries due now, as the passing of their back-off would. */
async function makeRetriesDue(app: NestExpressApplication): Promise<void> {
  await app.get(DataSource).getRepository(WebhookDelivery).update({ status: DeliveryStatus.Pending, nextAttemptAt: Not(IsNull()) }, { nextAttemptAt: new Date(Date.now() - 1000) });
}

async function emptyWebhookTables(app: NestExpressApplication): Promise<void> {
  const dataSource = app.get(DataSource);
  await dataSource.query('DELETE FROM webhook_deliveries');
  await dataSource.query('DELETE FROM webhook_payloads');
  await dataSource.query('DELETE FROM webhooks');
  await dataSource.query('DELETE FROM jobs');
  await dataSource.query('UPDATE webhook_fanout SET last_seq = (SELECT COALESCE(MAX(seq), 0) FROM task_changes)');
}

describe('Webhooks (e2e)', () => {
  const testApp = useTestApp({ config: WEBHOOK_CONFIG });
  const http = () => request(testApp().getHttpServer());
  const receiver = new WebhookReceiver();
  let admin: SignedIn;

  beforeAll(() => receiver.start());
  afterAll(() => receiver.close());
  beforeEach(async () => {
    await emptyWebhookTables(testApp());
    receiver.reset();
    admin = await setUpAdmin(testApp());
  });

  const asAdmin = <T extends request.Test>(test: T): T => test.set(...bearer(admin.accessToken));
  const createWebhook = async (body: Record<string, unknown>) => (await asAdmin(http().post('/webhooks')).send({ url: receiver.url(), events: ['*'], ...body }).expect(201)).body;
  const createTask = async (title: string) => (await asAdmin(http().post('/tasks')).send({ title }).expect(201)).body;
  const deliveriesOf = async (webhookId: string) => (await asAdmin(http().get(`/webhooks/${webhookId}/deliveries`)).expect(200)).body;

  describe('managing webhooks', () => {
    it('creates a webhook whose secret is shown once, lists and reads it without the secret, updates and deletes it', async () => {
      const created = await createWebhook({ url: receiver.url(), events: ['task.created', 'comment.created', 'task.created'], description: 'chat' });
      expect(created).toEqual({
        id: expect.any(String),
        url: receiver.url(),
        events: ['task.created', 'comment.created'],
        description: 'chat',
        active: true,
        created_at: expect.stringMatching(/Z$/),
        secret: expect.stringMatching(SECRET),
      });
      const { secret: _secret, ...shown } = created;
      await expect(asAdmin(http().get('/webhooks')).expect(200).then((r) => r.body)).resolves.toEqual([shown]);
      await expect(asAdmin(http().get(`/webhooks/${created.id}`)).expect(200).then((r) => r.body)).resolves.toEqual(shown);
      const updated = await asAdmin(http().patch(`/webhooks/${created.id}`)).send({ events: ['*'], description: null, active: false }).expect(200);
      expect(updated.body).toEqual({ ...shown, events: ['*'], description: null, active: false });
      await asAdmin(http().delete(`/webhooks/${created.id}`)).expect(204);
      await asAdmin(http().get(`/webhooks/${created.id}`)).expect(404);
      await asAdmin(http().delete(`/webhooks/${created.id}`)).expect(404);
    });

    it.each([
      ['empty events', { events: [] }, 'events'],
      ['"*" among event names', { events: ['*', 'task.created'] }, 'events'],
      ['an unknown event', { events: ['task.done'] }, 'events'],
      ['events as a string', { events: 'task.created' }, 'events'],
      ['no url', { url: undefined }, 'url'],
      ['an ftp url', { url: 'ftp://127.0.0.1/hook' }, 'url'],
      ['a relative url', { url: '/hook' }, 'url'],
      ['a url with a user and password', { url: 'http://user:secret@127.0.0.1/hook' }, 'url'],
      ['a url over 2,000 characters', { url: `http://127.0.0.1/${'a'.repeat(2000)}` }, 'url'],
      ['active as a string', { active: 'yes' }, 'active'],
      ['active null', { active: null }, 'active'],
      ['a description over 500 characters', { description: 'x'.repeat(501) }, 'description'],
    ])('answers 422 to %s and creates nothing', async (_label, body, field) => {
      const response = await asAdmin(http().post('/webhooks')).send({ url: receiver.url(), events: ['*'], ...body }).expect(422);
      expect(JSON.stringify(response.body.message)).toContain(field);
      await expect(asAdmin(http().get('/webhooks')).expect(200).then((r) => r.body)).resolves.toEqual([]);
    });

    it.each([
      'http://127.0.0.2/hook',
      'http://0x7f.0.0.2/hook',
      'http://2130706434/hook',
      'http://0177.0.0.2/hook',
      'http://[::1]/hook',
      'http://[::ffff:127.0.0.1]/hook',
      'http://10.0.0.1/hook',
      'http://172.16.5.4/hook',
      'http://192.168.1.1/hook',
      'http://169.254.169.254/latest',
      'http://[fe80::1]/hook',
      'http://[fd00::1]/hook',
      'http://224.0.0.1/hook',
      'http://[ff02::1]/hook',
      'http://0.0.0.0/hook',
      'http://[::]/hook',
    ])('refuses %s with 422 (not in WEBHOOK_ALLOWED_HOSTS), at creation and in an update', async (url) => {
      const refused = await asAdmin(http().post('/webhooks')).send({ url, events: ['*'] }).expect(422);
      expect(JSON.stringify(refused.body.message)).toMatch(/url is not allowed: .* a (loopback|private|link-local|unique-local|multicast|unspecified) address/);
      const webhook = await createWebhook({});
      await asAdmin(http().patch(`/webhooks/${webhook.id}`)).send({ url }).expect(422);
      await expect(asAdmin(http().get(`/webhooks/${webhook.id}`)).then((r) => r.body.url)).resolves.toBe(receiver.url());
    });

    it('is for signed-in admins only: 401 without a credential, 403 for members and for API tokens, even an admin\'s', async () => {
      const webhook = await createWebhook({});
      const member = await addMember(testApp(), admin);
      const token = (await asAdmin(http().post('/auth/tokens')).send({ name: 'ci', scope: 'write' }).expect(201)).body.token;
      await http().get('/webhooks').expect(401);
      for (const credential of [member.accessToken, token]) {
        await http().get('/webhooks').set(...bearer(credential)).expect(403);
        await http().post('/webhooks').set(...bearer(credential)).send({ url: receiver.url(), events: ['*'] }).expect(403);
        await http().get(`/webhooks/${webhook.id}`).set(...bearer(credential)).expect(403);
        await http().post(`/webhooks/${webhook.id}/ping`).set(...bearer(credential)).expect(403);
        await http().post(`/webhooks/${webhook.id}/rotate-secret`).set(...bearer(credential)).expect(403);
        await http().delete(`/webhooks/${webhook.id}`).set(...bearer(credential)).expect(403);
      }
      await expect(asAdmin(http().get('/webhooks')).then((r) => r.body)).resolves.toHaveLength(1);
    });

    it('answers 404 for an unknown webhook on every route, and 422 for a bad deliveries limit', async () => {
      const unknown = '00000000-0000-4000-8000-000000000000';
      await asAdmin(http().get(`/webhooks/${unknown}`)).expect(404);
      await asAdmin(http().patch(`/webhooks/${unknown}`)).send({ active: true }).expect(404);
      await asAdmin(http().post(`/webhooks/${unknown}/rotate-secret`)).expect(404);
      await asAdmin(http().post(`/webhooks/${unknown}/ping`)).expect(404);
      await asAdmin(http().get(`/webhooks/${unknown}/deliveries`)).expect(404);
      await asAdmin(http().post(`/webhooks/${unknown}/deliveries/${unknown}/redeliver`)).expect(404);
      const webhook = await createWebhook({});
      await asAdmin(http().post(`/webhooks/${webhook.id}/deliveries/${unknown}/redeliver`)).expect(404);
      for (const limit of ['0', '101', 'x']) await asAdmin(http().get(`/webhooks/${webhook.id}/deliveries?limit=${limit}`)).expect(422);
    });
  });

  describe('deliveries', () => {
    it('sends each event kind once, signed, with the contract headers and the change-log entry as data', async () => {
      const webhook = await createWebhook({});
      const task = await createTask('Ship it');
      await asAdmin(http().patch(`/tasks/${task.id}`)).send({ status: 'done' }).expect(200);
      const comment = (await asAdmin(http().post(`/tasks/${task.id}/comments`)).send({ body: 'Done!' }).expect(201)).body;
      await asAdmin(http().patch(`/tasks/${task.id}/comments/${comment.id}`)).send({ body: 'Done.' }).expect(200);
      await asAdmin(http().delete(`/tasks/${task.id}/comments/${comment.id}`)).expect(204);
      await asAdmin(http().delete(`/tasks/${task.id}`)).expect(204);
      await deliverNow(testApp());
      const received = await receiver.receivedCount(6);
      const { version } = (await http().get('/').expect(200)).body;
      const changes = (await asAdmin(http().get('/tasks/changes?since=0')).expect(200)).body.changes;
      const bodies = received.map((delivery) => JSON.parse(delivery.body)).sort((a, b) => Number(a.data.cursor) - Number(b.data.cursor));
      expect(bodies.map((body) => body.event)).toEqual(['task.created', 'task.updated', 'comment.created', 'comment.updated', 'comment.deleted', 'task.deleted']);
      expect(bodies.map((body) => body.data)).toEqual(changes);
      for (const delivery of received) {
        const body = JSON.parse(delivery.body);
        expect(delivery.path).toBe('/hook');
        expect(delivery.headers).toMatchObject({
          'content-type': 'application/json',
          'user-agent': `TaskFlow-Webhooks/${version}`,
          'taskflow-event': body.event,
          'taskflow-delivery': body.id,
        });
        expect(Object.keys(body)).toEqual(['id', 'event', 'created_at', 'data']);
        expect(body.created_at).toBe(body.data.changed_at);
        expect(verifySignature(delivery, webhook.secret)).toBe(true);
        expect(verifySignature(delivery, `${webhook.secret}x`)).toBe(false);
      }
      const log = await deliveriesOf(webhook.id);
      expect(log.map((delivery: { event: string }) => delivery.event)).toEqual(['task.deleted', 'comment.deleted', 'comment.updated', 'comment.created', 'task.updated', 'task.created']);
      expect(log[0]).toEqual({
        id: expect.any(String), event: expect.any(String), status: 'succeeded', attempts: 1, response_status: 200, error: null,
        created_at: expect.any(String), last_attempt_at: expect.any(String), next_attempt_at: null,
      });
      expect(new Set(log.map((delivery: { id: string }) => delivery.id))).toEqual(new Set(received.map((delivery) => delivery.headers['taskflow-delivery'])));
    });

    it('sends a webhook only the events it listens to, nothing to an inactive one, and nothing for a refused write', async () => {
      const tasksOnly = await createWebhook({ url: receiver.url('/tasks'), events: ['task.created'] });
      const commentsOnly = await createWebhook({ url: receiver.url('/comments'), events: ['comment.created'] });
      const inactive = await createWebhook({ url: receiver.url('/inactive'), events: ['*'], active: false });
      const task = await createTask('Filtered');
      await asAdmin(http().patch(`/tasks/${task.id}`)).send({ status: 'nonsense' }).expect(422);
      await asAdmin(http().post(`/tasks/${task.id}/comments`)).send({ body: 'hi' }).expect(201);
      await deliverNow(testApp());
      await receiver.receivedCount(2);
      expect(receiver.received.map((delivery) => [delivery.path, delivery.headers['taskflow-event']]).sort()).toEqual([
        ['/comments', 'comment.created'],
        ['/tasks', 'task.created'],
      ]);
      await expect(deliveriesOf(tasksOnly.id)).resolves.toHaveLength(1);
      await expect(deliveriesOf(commentsOnly.id)).resolves.toHaveLength(1);
      await expect(deliveriesOf(inactive.id)).resolves.toEqual([]);
    });

    it('retries a failed delivery after 1, 5, 30, 120, 360 and 720 × the base, with the same delivery id, then marks it failed', async () => {
      const webhook = await createWebhook({});
      receiver.answers.push(500, 500, 500, 500, 500, 500, 503);
      await createTask('Unlucky');
      await deliverNow(testApp());
      const waits: number[] = [];
      for (let attempt = 1; attempt <= 7; attempt += 1) {
        await receiver.receivedCount(attempt);
        const [delivery] = await deliveriesOf(webhook.id);
        expect(delivery).toMatchObject({ attempts: attempt, response_status: attempt === 7 ? 503 : 500 });
        if (attempt < 7) {
          expect(delivery).toMatchObject({ status: 'pending', error: 'Answered 500' });
          waits.push((Date.parse(delivery.next_attempt_at) - Date.parse(delivery.last_attempt_at)) / 1000 / RETRY_BASE_SECONDS);
          await makeRetriesDue(testApp());
          await testApp().get(JobsService).runDue();
        } else {
          expect(delivery).toMatchObject({ status: 'failed', error: 'Answered 503', next_attempt_at: null });
        }
      }
      expect(waits).toEqual([1, 5, 30, 120, 360, 720]);
      expect(new Set(receiver.received.map((delivery) => delivery.headers['taskflow-delivery'])).size).toBe(1);
      expect(new Set(receiver.received.map((delivery) => delivery.body)).size).toBe(1);
    });

    it('does not follow a redirect: a 3xx is a failure, retried like any other', async () => {
      const webhook = await createWebhook({});
      receiver.answers.push({ redirect: receiver.url('/elsewhere') });
      await createTask('Moved');
      await deliverNow(testApp());
      const [delivery] = await deliveriesOf(webhook.id);
      expect(delivery).toMatchObject({ status: 'pending', attempts: 1, response_status: 302, error: 'Redirect (302) not followed' });
      expect(receiver.received.map((received) => received.path)).toEqual(['/hook']);
      await makeRetriesDue(testApp());
      await testApp().get(JobsService).runDue();
      await receiver.receivedCount(2);
      expect(receiver.received.map((received) => received.path)).toEqual(['/hook', '/hook']);
      await expect(deliveriesOf(webhook.id)).resolves.toMatchObject([{ status: 'succeeded', attempts: 2, response_status: 200 }]);
    });

    it('gives up an attempt that gets no answer within 10 seconds and retries it with the same delivery id', async () => {
      const webhook = await createWebhook({});
      receiver.answers.push('hang');
      await createTask('Slow receiver');
      await deliverNow(testApp());
      await expect(deliveriesOf(webhook.id)).resolves.toMatchObject([{ status: 'pending', attempts: 1, response_status: null, error: 'No answer within 10 s' }]);
      await makeRetriesDue(testApp());
      await testApp().get(JobsService).runDue();
      const [first, second] = await receiver.receivedCount(2);
      expect(second.headers['taskflow-delivery']).toBe(first.headers['taskflow-delivery']);
      await expect(deliveriesOf(webhook.id)).resolves.toMatchObject([{ status: 'succeeded', attempts: 2 }]);
    }, 60_000);

    it('does not read the body of an answer: a 2xx that floods its body succeeds at once', async () => {
      const webhook = await createWebhook({});
      receiver.answers.push('flood');
      await createTask('Chatty receiver');
      await deliverNow(testApp());
      await expect(deliveriesOf(webhook.id)).resolves.toMatchObject([{ status: 'succeeded', attempts: 1, response_status: 200 }]);
    });

    it('sends again an attempt whose instance died while sending it, once its claim ran out, and drops deliveries older than 30 days', async () => {
      const webhook = await createWebhook({});
      receiver.answers.push(500);
      await createTask('Lost retry');
      await deliverNow(testApp());
      const [delivery] = await deliveriesOf(webhook.id);
      // As if an instance had claimed its retry, due now, and died: the claim holds it until its end.
      const dataSource = testApp().get(DataSource);
      const claimEnd = Date.now() + CLAIM_MS;
      await dataSource.getRepository(WebhookDelivery).update({ id: delivery.id }, { nextAttemptAt: new Date(Date.now() - 1000), claimedUntil: new Date(claimEnd) });
      await testApp().get(JobsService).runDue();
      expect(receiver.received).toHaveLength(1);
      // The claim runs out.
      await dataSource.getRepository(WebhookDelivery).update({ id: delivery.id }, { claimedUntil: new Date(Date.now() - 1000) });
      const old = { ...(await dataSource.getRepository(WebhookDelivery).findOneByOrFail({ id: delivery.id })), id: randomUUID(), changeSeq: null, createdAt: new Date(Date.now() - 31 * 24 * 60 * 60_000) };
      await dataSource.getRepository(WebhookDelivery).insert(old);
      await testApp().get(WebhookDeliveriesService).sweep();
      await testApp().get(JobsService).runDue();
      const [first, second] = await receiver.receivedCount(2);
      expect(second.headers['taskflow-delivery']).toBe(first.headers['taskflow-delivery']);
      await expect(deliveriesOf(webhook.id)).resolves.toMatchObject([{ id: delivery.id, status: 'succeeded', attempts: 2 }]);
    });

    it('pings: 202 and a ping delivery whatever the events; 409 for an inactive webhook', async () => {
      const webhook = await createWebhook({ events: ['comment.deleted'] });
      await asAdmin(http().post(`/webhooks/${webhook.id}/ping`)).expect(202);
      await testApp().get(JobsService).runDue();
      const [ping] = await receiver.receivedCount(1);
      const body = JSON.parse(ping.body);
      expect(body).toEqual({ id: ping.headers['taskflow-delivery'], event: 'ping', created_at: expect.any(String), data: { webhook_id: webhook.id } });
      expect(ping.headers['taskflow-event']).toBe('ping');
      expect(verifySignature(ping, webhook.secret)).toBe(true);
      await expect(deliveriesOf(webhook.id)).resolves.toMatchObject([{ id: body.id, event: 'ping', status: 'succeeded', attempts: 1 }]);
      await asAdmin(http().patch(`/webhooks/${webhook.id}`)).send({ active: false }).expect(200);
      await asAdmin(http().post(`/webhooks/${webhook.id}/ping`)).expect(409);
    });

    it('redelivers the same delivery once more: same id and body, attempts grow, the status follows that attempt', async () => {
      const webhook = await createWebhook({});
      await createTask('Again');
      await deliverNow(testApp());
      const [first] = await receiver.receivedCount(1);
      const [delivery] = await deliveriesOf(webhook.id);
      receiver.answers.push(500);
      await asAdmin(http().post(`/webhooks/${webhook.id}/deliveries/${delivery.id}/redeliver`)).expect(202);
      await testApp().get(JobsService).runDue();
      const [, second] = await receiver.receivedCount(2);
      expect(second.headers['taskflow-delivery']).toBe(delivery.id);
      expect(second.body).toBe(first.body);
      await expect(deliveriesOf(webhook.id)).resolves.toMatchObject([{ id: delivery.id, status: 'failed', attempts: 2, response_status: 500, next_attempt_at: null }]);
      await asAdmin(http().post(`/webhooks/${webhook.id}/deliveries/${delivery.id}/redeliver`)).expect(202);
      await testApp().get(JobsService).runDue();
      await receiver.receivedCount(3);
      await expect(deliveriesOf(webhook.id)).resolves.toMatchObject([{ id: delivery.id, status: 'succeeded', attempts: 3, response_status: 200, error: null }]);
    });

    it("stores an entry's body once for all its webhooks, sends a delivery made before that as it was stored, and drops the bodies no delivery needs", async () => {
      const [first, second] = [await createWebhook({}), await createWebhook({})];
      await createTask('Shared');
      await deliverNow(testApp());
      const received = await receiver.receivedCount(2);
      const bodies = received.map((delivery) => JSON.parse(delivery.body));
      // One body each, its own id in it, the rest the same.
      expect(bodies.map((body) => body.id).sort()).toEqual(received.map((delivery) => delivery.headers['taskflow-delivery']).sort());
      expect(bodies[0].id).not.toBe(bodies[1].id);
      expect({ ...bodies[0], id: null }).toEqual({ ...bodies[1], id: null });
      expect(bodies[0]).toMatchObject({ event: 'task.created', data: { task: { title: 'Shared' } } });
      const dataSource = testApp().get(DataSource);
      const payloads = () => dataSource.query('SELECT change_seq FROM webhook_payloads');
      await expect(payloads()).resolves.toHaveLength(1);
      await expect(dataSource.getRepository(WebhookDelivery).findBy({ body: '' })).resolves.toHaveLength(2);

      // A delivery made before the payloads existed keeps its whole body in its row, sent byte for byte.
      const legacyId = randomUUID();
      const legacyBody = JSON.stringify({ id: legacyId, event: 'task.updated', created_at: new Date().toISOString(), data: { legacy: true } });
      await dataSource.getRepository(WebhookDelivery).insert({
        id: legacyId, webhookId: first.id, changeSeq: '999999999', event: 'task.updated', body: legacyBody, status: DeliveryStatus.Pending, attempts: 0,
        lastChance: false, responseStatus: null, error: null, createdAt: new Date(), lastAttemptAt: null, nextAttemptAt: new Date(),
      });
      await testApp().get(JobsService).runDue();
      const [, , legacy] = await receiver.receivedCount(3);
      expect(legacy.body).toBe(legacyBody);
      expect(verifySignature(legacy, first.secret)).toBe(true);

      // The sweep keeps a body while a delivery of its entry exists (a redelivery may need it), then drops it.
      const deliveries = testApp().get(WebhookDeliveriesService);
      await deliveries.sweep();
      await expect(payloads()).resolves.toHaveLength(1);
      await asAdmin(http().delete(`/webhooks/${second.id}`)).expect(204);
      await dataSource.getRepository(WebhookDelivery).delete({ webhookId: first.id, body: '' });
      await deliveries.sweep();
      await expect(payloads()).resolves.toHaveLength(0);
    });

    it('signs with the new secret at once after a rotation, never with the old one', async () => {
      const webhook = await createWebhook({});
      const rotated = (await asAdmin(http().post(`/webhooks/${webhook.id}/rotate-secret`)).expect(200)).body;
      expect(rotated).toEqual({ secret: expect.stringMatching(SECRET) });
      expect(rotated.secret).not.toBe(webhook.secret);
      await createTask('Rotated');
      await deliverNow(testApp());
      const [delivery] = await receiver.receivedCount(1);
      expect(verifySignature(delivery, rotated.secret)).toBe(true);
      expect(verifySignature(delivery, webhook.secret)).toBe(false);
    });

    it('disables a webhook whose last 20 deliveries all failed, tells every admin, and resumes the waiting ones when reactivated', async () => {
      const otherAdmin = await addMember(testApp(), admin, { email: 'eve@example.com', name: 'Eve Admin', password: 'admin password 2' }, 'admin');
      const member = await addMember(testApp(), admin);
      const webhook = await createWebhook({});
      receiver.answers.push(...Array.from({ length: 60 }, () => 500));
      for (let n = 1; n <= 19; n += 1) await createTask(`Failing ${n}`);
      await deliverNow(testApp());
      await expect(asAdmin(http().get(`/webhooks/${webhook.id}`)).then((r) => r.body.active)).resolves.toBe(true);
      await createTask('Failing 20');
      await deliverNow(testApp());
      await expect(asAdmin(http().get(`/webhooks/${webhook.id}`)).then((r) => r.body.active)).resolves.toBe(false);
      for (const user of [admin, otherAdmin]) {
        const notifications = (await http().get('/notifications').set(...bearer(user.accessToken)).expect(200)).body;
        expect(notifications).toEqual([expect.objectContaining({ kind: 'webhook_disabled', task: null, actor: null, webhook: { id: webhook.id, url: webhook.url } })]);
      }
      await expect(http().get('/notifications').set(...bearer(member.accessToken)).then((r) => r.body)).resolves.toEqual([]);
      // Inactive: its deliveries wait and new events make none.
      const waiting = await deliveriesOf(webhook.id);
      expect(waiting).toHaveLength(20);
      expect(waiting.every((delivery: { status: string; next_attempt_at: string | null }) => delivery.status === 'pending' && delivery.next_attempt_at === null)).toBe(true);
      await createTask('While inactive');
      await deliverNow(testApp());
      await expect(deliveriesOf(webhook.id)).resolves.toHaveLength(20);
      // Reactivated: the waiting deliveries are attempted at once.
      receiver.answers.length = 0;
      const before = receiver.received.length;
      await asAdmin(http().patch(`/webhooks/${webhook.id}`)).send({ active: true }).expect(200);
      await testApp().get(JobsService).runDue();
      await receiver.receivedCount(before + 20);
      const resumed = await deliveriesOf(webhook.id);
      expect(resumed.every((delivery: { status: string }) => delivery.status === 'succeeded')).toBe(true);
    });
  });
});

describe('Webhooks across instances (e2e)', () => {
  const receiver = new WebhookReceiver();
  let database: { url: string; drop: () => Promise<void> };
  const apps: NestExpressApplication[] = [];

  beforeAll(async () => {
    await receiver.start();
    database = await freshDatabase();
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await receiver.close();
    await database.drop();
  });

  const start = async () => {
    const app = await createTestApp({ databaseUrl: database.url, config: WEBHOOK_CONFIG });
    apps.push(app);
    return app;
  };
  const pendingAttempts = async (app: NestExpressApplication) =>
    app.get(DataSource).getRepository(WebhookDelivery).countBy({ status: DeliveryStatus.Pending, nextAttemptAt: Not(IsNull()) });

  it('delivers each event once with two instances, and loses no pending delivery over a restart', async () => {
    const first = await start();
    const second = await start();
    const admin = await setUpAdmin(first);
    const webhook = (await request(first.getHttpServer()).post('/webhooks').set(...bearer(admin.accessToken)).send({ url: receiver.url(), events: ['task.created'] }).expect(201)).body;
    for (let n = 0; n < 10; n += 1) {
      const app = n % 2 === 0 ? first : second;
      await request(app.getHttpServer()).post('/tasks').set(...bearer(admin.accessToken)).send({ title: `Task ${n}` }).expect(201);
    }
    await Promise.all([deliverNow(first), deliverNow(second)]);
    await receiver.receivedCount(10);
    while ((await pendingAttempts(first)) > 0) await first.get(JobsService).runDue();
    expect(receiver.received).toHaveLength(10);
    expect(new Set(receiver.received.map((delivery) => delivery.headers['taskflow-delivery'])).size).toBe(10);

    // A delivery whose first attempt failed waits for its retry when both instances stop...
    receiver.answers.push(500);
    await request(first.getHttpServer()).post('/tasks').set(...bearer(admin.accessToken)).send({ title: 'Across a restart' }).expect(201);
    await deliverNow(first);
    await receiver.receivedCount(11);
    for (const app of apps.splice(0)) await app.close();
    // ...and the next instance sends it, under the same id.
    const restarted = await start();
    await makeRetriesDue(restarted);
    await restarted.get(JobsService).runDue();
    const received = await receiver.receivedCount(12);
    expect(received[11].headers['taskflow-delivery']).toBe(received[10].headers['taskflow-delivery']);
    const log = (await request(restarted.getHttpServer()).get(`/webhooks/${webhook.id}/deliveries`).set(...bearer(admin.accessToken)).expect(200)).body;
    expect(log).toHaveLength(11);
    expect(log[0]).toMatchObject({ status: 'succeeded', attempts: 2 });
  }, 60_000);
});

describe('Webhooks checked again at delivery (e2e)', () => {
  // No allowed host here: a URL that passed at creation (when 127.0.0.1 was allowed, or a name that then
  // resolved elsewhere) is refused when the attempt connects to a loopback address.
  const testApp = useTestApp({ config: { ...ACCOUNTS_CONFIG, webhookAllowedHosts: [], webhookRetryBaseSeconds: RETRY_BASE_SECONDS } });
  const receiver = new WebhookReceiver();
  beforeAll(() => receiver.start());
  afterAll(() => receiver.close());
  beforeEach(() => emptyWebhookTables(testApp()));

  it.each([
    ['an address literal', (port: number) => `http://127.0.0.1:${port}/hook`, /^Refused: 127\.0\.0\.1 is 127\.0\.0\.1, a loopback address$/],
    ['a name resolved at delivery', (port: number) => `http://localhost:${port}/hook`, /^Refused: localhost resolves to (127\.0\.0\.1|::1), a loopback address$/],
  ])('refuses to deliver to %s that is loopback now, and sends nothing', async (_label, urlFor, error) => {
    const admin = await setUpAdmin(testApp());
    const port = Number(new URL(receiver.url()).port);
    const dataSource = testApp().get(DataSource);
    const now = new Date();
    await dataSource.getRepository(Webhook).insert({ id: randomUUID(), url: urlFor(port), events: '["*"]', description: null, active: true, secret: 'whsec_test', countingSince: now, createdAt: now });
    await request(testApp().getHttpServer()).post('/tasks').set(...bearer(admin.accessToken)).send({ title: 'Nowhere' }).expect(201);
    await deliverNow(testApp());
    const [delivery] = await dataSource.getRepository(WebhookDelivery).find();
    expect(delivery).toMatchObject({ status: 'pending', attempts: 1, responseStatus: null, error: expect.stringMatching(error) });
    expect(receiver.received).toEqual([]);
  });
});

describe('Webhooks retried by the running instance (e2e)', () => {
  // WEBHOOK_RETRY_BASE_SECONDS=1 and nothing driven by the test: the poller makes the delivery and its retry.
  const testApp = useTestApp({ config: { ...WEBHOOK_CONFIG, webhookRetryBaseSeconds: 1 } });
  const receiver = new WebhookReceiver();
  beforeAll(() => receiver.start());
  afterAll(() => receiver.close());
  beforeEach(() => emptyWebhookTables(testApp()));

  it('retries a delivery answered 500 by itself, under the same delivery id', async () => {
    const admin = await setUpAdmin(testApp());
    const http = () => request(testApp().getHttpServer());
    const webhook = (await http().post('/webhooks').set(...bearer(admin.accessToken)).send({ url: receiver.url(), events: ['*'] }).expect(201)).body;
    receiver.answers.push(500);
    await http().post('/tasks').set(...bearer(admin.accessToken)).send({ title: 'Retried alone' }).expect(201);
    const [first, second] = await receiver.receivedCount(2);
    expect(second.headers['taskflow-delivery']).toBe(first.headers['taskflow-delivery']);
    expect(second.body).toBe(first.body);
    const log = async () => (await http().get(`/webhooks/${webhook.id}/deliveries`).set(...bearer(admin.accessToken)).expect(200)).body;
    // The attempt is recorded just after the receiver answered it.
    while ((await log())[0].status === 'pending') await testApp().get(JobsService).runDue();
    await expect(log()).resolves.toMatchObject([{ status: 'succeeded', attempts: 2, response_status: 200 }]);
  });
});

describe('Webhooks in AUTH_MODE=off (e2e)', () => {
  const testApp = useTestApp();

  it('do not exist: 404 on their routes, absent from the API document', async () => {
    await request(testApp().getHttpServer()).get('/webhooks').expect(404);
    await request(testApp().getHttpServer()).post('/webhooks').send({ url: 'http://127.0.0.1/hook', events: ['*'] }).expect(404);
    const document = (await request(testApp().getHttpServer()).get('/openapi.json').expect(200)).body;
    expect(Object.keys(document.paths).filter((path) => path.startsWith('/webhooks'))).toEqual([]);
  });
});
