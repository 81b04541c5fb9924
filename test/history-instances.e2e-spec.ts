import { NestExpressApplication } from '@nestjs/platform-express';
import { Server } from 'node:http';
import { Client } from 'pg';
import request from 'supertest';
import { ACCOUNTS_CONFIG, addMember, bearer, setUpAdmin, SignedIn } from './account-fixtures';
import { clearAll, createTestApp, e2eDatabase, freshDatabase } from './create-test-app';
import { EventStreamClient } from './event-stream-client';

// Across instances, changes travel through PostgreSQL's LISTEN/NOTIFY; SQLite serves one instance (in process).
const describeOnPostgres = e2eDatabase() === 'postgres' ? describe : describe.skip;

describeOnPostgres('Live events across two instances on one PostgreSQL database (e2e)', () => {
  let database: { url: string; drop: () => Promise<void> };
  let instanceA: NestExpressApplication;
  let instanceB: NestExpressApplication;
  const streams: EventStreamClient[] = [];
  const listen = (app: NestExpressApplication) =>
    new Promise<void>((resolve) => (app.getHttpServer() as Server).listen(0, '127.0.0.1', resolve));

  beforeAll(async () => {
    database = await freshDatabase();
    instanceA = await createTestApp({ databaseUrl: database.url, config: ACCOUNTS_CONFIG });
    instanceB = await createTestApp({ databaseUrl: database.url, config: ACCOUNTS_CONFIG });
    await listen(instanceB);
  });
  afterAll(async () => {
    await instanceA?.close();
    await instanceB?.close();
    await database?.drop();
  });
  beforeEach(async () => {
    await clearAll(instanceA);
  });
  afterEach(() => {
    for (const stream of streams.splice(0)) stream.close();
  });

  async function streamOnB(who: SignedIn, lastEventId?: string): Promise<EventStreamClient> {
    const headers: Record<string, string> = { Authorization: `Bearer ${who.accessToken}` };
    if (lastEventId) headers['Last-Event-ID'] = lastEventId;
    const stream = await EventStreamClient.open(instanceB.getHttpServer() as Server, '/tasks/events', headers);
    streams.push(stream);
    expect(stream.status).toBe(200);
    return stream;
  }

  const createOnA = (admin: SignedIn, title: string) =>
    request(instanceA.getHttpServer()).post('/tasks').set(...bearer(admin.accessToken)).send({ title }).expect(201);

  it('delivers a write made on A to a stream open on B', async () => {
    const admin = await setUpAdmin(instanceA);
    const stream = await streamOnB(admin);
    const created = await createOnA(admin, 'Written on A');
    await stream.until(() => stream.events.length >= 1, 'the event on B');
    expect(stream.dataOf(0)).toMatchObject({ kind: 'created', task_id: created.body.id, task: { title: 'Written on A' } });
  });

  it('delivers the notifications of a comment made on A to their recipient\'s stream on B, and only theirs', async () => {
    const admin = await setUpAdmin(instanceA);
    const bob = await addMember(instanceA, admin);
    const carol = await addMember(instanceA, admin, { email: 'carol@example.com', name: 'Carol Member', password: 'member password 2' });
    const bobs = await streamOnB(bob);
    const carols = await streamOnB(carol);
    // A write that notifies nobody first: its NOTIFY says so, and the comment's after it still brings the notification.
    const task = (await createOnA(admin, 'Commented on A')).body;
    const comment = await request(instanceA.getHttpServer())
      .post(`/tasks/${task.id}/comments`)
      .set(...bearer(admin.accessToken))
      .send({ body: `<@${bob.user.id}> please look` })
      .expect(201);
    await bobs.until(() => bobs.events.some((event) => event.event === 'notification'), 'the notification on bob\'s stream on B');
    const notification = JSON.parse(bobs.events.find((event) => event.event === 'notification')!.data!);
    expect(notification).toMatchObject({ kind: 'mentioned', comment_id: comment.body.id, actor: { id: admin.user.id }, task: { id: task.id } });
    await carols.until(() => carols.events.some((event) => event.event === 'comment.created'), 'the comment on carol\'s stream on B');
    expect(carols.events.map((event) => event.event)).toEqual(['task.created', 'comment.created']);
  });

  it('loses no event when the database drops every connection: B catches up, and a reconnecting client gets what it missed', async () => {
    const admin = await setUpAdmin(instanceA);
    const live = await streamOnB(admin);
    await createOnA(admin, 'before');
    await live.until(() => live.events.length >= 1, 'the first event');
    const lastSeen = live.events[0].id!;
    live.close();

    // What a restart does to every open connection: B's LISTEN connection and both pools lose theirs.
    const admin2 = new Client({ connectionString: database.url });
    await admin2.connect();
    await admin2.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
    await admin2.end();

    const titles = ['during 1', 'during 2', 'during 3'];
    for (const title of titles) {
      // The pools notice their dead connections and open new ones; a failed attempt is retried like a client would.
      const response = await request(instanceA.getHttpServer()).post('/tasks').set(...bearer(admin.accessToken)).send({ title });
      if (response.status !== 201) await createOnA(admin, title);
    }

    const resumed = await streamOnB(admin, lastSeen);
    await resumed.until(() => resumed.events.length >= 3, 'the three missed events');
    expect(resumed.events.map((event) => (JSON.parse(event.data!) as { task: { title: string } }).task.title)).toEqual(titles);

    // B's listener is back: a new write reaches the resumed stream live.
    await createOnA(admin, 'after');
    await resumed.until(() => resumed.events.length >= 4, 'the live event after the outage');
    const ids = resumed.events.map((event) => Number(event.id));
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
  });
});
