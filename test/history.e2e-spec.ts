import { NestExpressApplication } from '@nestjs/platform-express';
import { Server } from 'node:http';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ChangeLogService } from '../src/history/change-log.service';
import { ACCOUNTS_CONFIG, addMember, bearer, claimsOf, setUpAdmin, SignedIn } from './account-fixtures';
import { useTestApp } from './create-test-app';
import { EventStreamClient } from './event-stream-client';

const HISTORY_CONFIG = { ...ACCOUNTS_CONFIG, eventsHeartbeatSeconds: 1 };

describe('Task history, changes feed and live events (e2e)', () => {
  const testApp = useTestApp({ config: HISTORY_CONFIG });
  const http = () => request(testApp().getHttpServer());
  const streams: EventStreamClient[] = [];

  beforeAll(async () => {
    await new Promise<void>((resolve) => (testApp().getHttpServer() as Server).listen(0, '127.0.0.1', resolve));
  });
  afterEach(() => {
    for (const stream of streams.splice(0)) stream.close();
  });

  async function openStream(headers: Record<string, string>, path = '/tasks/events'): Promise<EventStreamClient> {
    const stream = await EventStreamClient.open(testApp().getHttpServer() as Server, path, headers);
    streams.push(stream);
    return stream;
  }

  async function write(admin: SignedIn) {
    const created = await http().post('/tasks').set(...bearer(admin.accessToken)).send({ title: 'Plan', priority: 'high' }).expect(201);
    const id = created.body.id as string;
    return id;
  }

  describe('GET /tasks/{id}/history', () => {
    it('records each create, update and delete with its user and the fields it changed, newest first', async () => {
      const admin = await setUpAdmin(testApp());
      const member = await addMember(testApp(), admin);
      const id = await write(admin);
      await http().patch(`/tasks/${id}`).set(...bearer(member.accessToken)).send({ status: 'in_progress', title: 'Plan' }).expect(200);
      await http().put(`/tasks/${id}`).set(...bearer(admin.accessToken)).send({ assignee: 'bob', due_date: '2026-12-01' }).expect(200);
      await http().delete(`/tasks/${id}`).set(...bearer(member.accessToken)).expect(204);

      const response = await http().get(`/tasks/${id}/history`).set(...bearer(admin.accessToken)).expect(200);
      expect(response.headers['x-total-count']).toBe('4');
      const adminRef = { id: admin.user.id, name: 'Ada Admin' };
      const memberRef = { id: member.user.id, name: 'Bob Member' };
      expect(response.body.map((entry: { kind: string }) => entry.kind)).toEqual(['deleted', 'updated', 'updated', 'created']);
      const [deleted, assigned, moved, created] = response.body;
      expect(created).toMatchObject({
        task_id: id,
        user: adminRef,
        changes: { title: { old: null, new: 'Plan' }, status: { old: null, new: 'todo' }, priority: { old: null, new: 'high' } },
      });
      expect(created.task).toMatchObject({ id, title: 'Plan', status: 'todo' });
      // The title was sent unchanged: only the status changed.
      expect(moved).toMatchObject({ user: memberRef, changes: { status: { old: 'todo', new: 'in_progress' } } });
      expect(Object.keys(moved.changes)).toEqual(['status']);
      expect(assigned.changes).toEqual({
        assignee: { old: null, new: 'bob' },
        due_date: { old: null, new: '2026-12-01T00:00:00.000Z' },
      });
      expect(deleted).toMatchObject({ kind: 'deleted', user: memberRef, task: null, changes: { title: { old: 'Plan', new: null } } });
      for (const entry of response.body) {
        expect(Object.keys(entry).sort()).toEqual(['changed_at', 'changes', 'cursor', 'kind', 'task', 'task_id', 'user']);
      }
      const cursors = response.body.map((entry: { cursor: string }) => Number(entry.cursor));
      expect([...cursors].sort((a, b) => b - a)).toEqual(cursors);
    });

    it('pages like GET /tasks', async () => {
      const admin = await setUpAdmin(testApp());
      const id = await write(admin);
      for (const status of ['in_progress', 'done', 'todo', 'done']) {
        await http().patch(`/tasks/${id}`).set(...bearer(admin.accessToken)).send({ status }).expect(200);
      }
      const page = await http().get(`/tasks/${id}/history?skip=1&limit=2`).set(...bearer(admin.accessToken)).expect(200);
      expect(page.headers['x-total-count']).toBe('5');
      expect(page.body.map((entry: { changes: { status: { new: string } } }) => entry.changes.status.new)).toEqual(['todo', 'done']);
      for (const query of ['skip=-1', 'limit=0', 'limit=1001', 'limit=x', 'skip=1&skip=2']) {
        await http().get(`/tasks/${id}/history?${query}`).set(...bearer(admin.accessToken)).expect(422);
      }
    });

    it('answers 404 for an id no task ever had, 401 without a credential', async () => {
      const admin = await setUpAdmin(testApp());
      await http().get('/tasks/0b6f2a9e-3c1d-4e8f-9a7b-5c2d1e0f3a4b/history').set(...bearer(admin.accessToken)).expect(404);
      await http().get('/tasks/nope/history').set(...bearer(admin.accessToken)).expect(404);
      await http().get('/tasks/0b6f2a9e-3c1d-4e8f-9a7b-5c2d1e0f3a4b/history').expect(401);
    });

    it('answers an empty history for a task written before the change log existed', async () => {
      const admin = await setUpAdmin(testApp());
      const id = await write(admin);
      await testApp().get(DataSource).query('DELETE FROM task_changes');
      const response = await http().get(`/tasks/${id}/history`).set(...bearer(admin.accessToken)).expect(200);
      expect(response.body).toEqual([]);
    });

    it('logs nothing for a refused write', async () => {
      const admin = await setUpAdmin(testApp());
      const id = await write(admin);
      await http().patch(`/tasks/${id}`).set(...bearer(admin.accessToken)).send({ title: '' }).expect(422);
      await http().patch(`/tasks/${id}`).set(...bearer(admin.accessToken)).set('If-Match', '"old"').send({ title: 'x' }).expect(412);
      await http().delete(`/tasks/${id}`).set(...bearer(admin.accessToken)).set('If-Match', '"old"').expect(412);
      const response = await http().get(`/tasks/${id}/history`).set(...bearer(admin.accessToken)).expect(200);
      expect(response.body).toHaveLength(1);
    });
  });

  describe('GET /tasks/changes', () => {
    it('gives the changes after a cursor, oldest first, with tombstones and the next cursor', async () => {
      const admin = await setUpAdmin(testApp());
      const first = await write(admin);
      const second = await write(admin);
      await http().delete(`/tasks/${first}`).set(...bearer(admin.accessToken)).expect(204);

      const all = await http().get('/tasks/changes?since=0').set(...bearer(admin.accessToken)).expect(200);
      expect(all.body.changes.map((change: { task_id: string; kind: string }) => [change.task_id, change.kind])).toEqual([
        [first, 'created'],
        [second, 'created'],
        [first, 'deleted'],
      ]);
      expect(all.body.changes[2].task).toBeNull();
      expect(all.body.next_cursor).toBe(all.body.changes[2].cursor);
      expect(all.body.has_more).toBe(false);

      const paged = await http().get('/tasks/changes?since=0&limit=2').set(...bearer(admin.accessToken)).expect(200);
      expect(paged.body.changes).toHaveLength(2);
      expect(paged.body.has_more).toBe(true);
      const rest = await http().get(`/tasks/changes?since=${paged.body.next_cursor}`).set(...bearer(admin.accessToken)).expect(200);
      expect(rest.body.changes.map((change: { kind: string }) => change.kind)).toEqual(['deleted']);

      const nothing = await http().get(`/tasks/changes?since=${all.body.next_cursor}`).set(...bearer(admin.accessToken)).expect(200);
      expect(nothing.body).toEqual({ changes: [], next_cursor: all.body.next_cursor, has_more: false });
    });

    it('answers 410 for a cursor older than the retention kept, and keeps serving newer cursors', async () => {
      const admin = await setUpAdmin(testApp());
      await write(admin);
      await write(admin);
      const dataSource = testApp().get(DataSource);
      const [oldest] = (await http().get('/tasks/changes?since=0').set(...bearer(admin.accessToken))).body.changes;
      // Age the first change past the 90-day retention, then prune as the hourly job does.
      await dataSource.getRepository('TaskChange').update({ seq: oldest.cursor }, { changedAt: new Date(Date.now() - 91 * 86_400_000) });
      expect(await testApp().get(ChangeLogService).prune()).toBe(1);
      const gone = await http().get('/tasks/changes?since=0').set(...bearer(admin.accessToken)).expect(410);
      expect(gone.body).toMatchObject({ statusCode: 410, error: 'Gone' });
      const kept = await http().get(`/tasks/changes?since=${oldest.cursor}`).set(...bearer(admin.accessToken)).expect(200);
      expect(kept.body.changes).toHaveLength(1);
    });

    it('answers 410 for a cursor ahead of the log (a database restored from an older backup)', async () => {
      const admin = await setUpAdmin(testApp());
      await write(admin);
      const latest = (await http().get('/tasks/changes?since=0').set(...bearer(admin.accessToken)).expect(200)).body.next_cursor;
      await http().get(`/tasks/changes?since=${latest}`).set(...bearer(admin.accessToken)).expect(200);
      await http().get(`/tasks/changes?since=${Number(latest) + 1000}`).set(...bearer(admin.accessToken)).expect(410);
      const stream = await openStream({ Authorization: `Bearer ${admin.accessToken}`, 'Last-Event-ID': String(Number(latest) + 1000) });
      expect(stream.status).toBe(410);
    });

    it.each(['since=-1', 'since=abc', 'since=', 'since=1&since=2', 'limit=0', 'limit=1001'])('answers 422 for %s', async (query) => {
      const admin = await setUpAdmin(testApp());
      await http().get(`/tasks/changes?${query}`).set(...bearer(admin.accessToken)).expect(422);
    });

    it('is readable with a read-scope API token', async () => {
      const admin = await setUpAdmin(testApp());
      const token = (await http().post('/auth/tokens').set(...bearer(admin.accessToken)).send({ name: 'sync', scope: 'read' }).expect(201)).body.token;
      await http().get('/tasks/changes').set(...bearer(token)).expect(200);
    });
  });

  describe('GET /tasks/events', () => {
    it('refuses a stream without a credential, or with a bad one, with 401', async () => {
      await setUpAdmin(testApp());
      expect((await openStream({})).status).toBe(401);
      expect((await openStream({ Authorization: 'Bearer nope' })).status).toBe(401);
      expect((await openStream({}, '/tasks/events?ticket=unknown')).status).toBe(401);
    });

    it('delivers each change as it happens, with the cursor as event id, and sends heartbeats', async () => {
      const admin = await setUpAdmin(testApp());
      const stream = await openStream({ Authorization: `Bearer ${admin.accessToken}` });
      expect(stream.status).toBe(200);
      expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
      const id = await write(admin);
      await http().patch(`/tasks/${id}`).set(...bearer(admin.accessToken)).send({ status: 'done' }).expect(200);
      await stream.until(() => stream.events.length >= 2, 'two events');
      expect(stream.events.map((event) => event.event)).toEqual(['task.created', 'task.updated']);
      expect(stream.dataOf(1)).toMatchObject({ task_id: id, kind: 'updated', changes: { status: { old: 'todo', new: 'done' } } });
      expect(stream.events[1].id).toBe(stream.dataOf(1).cursor);
      await stream.until(() => stream.comments.includes('heartbeat'), 'a heartbeat');
    });

    it('resumes after Last-Event-ID with what the client missed', async () => {
      const admin = await setUpAdmin(testApp());
      const first = await write(admin);
      const history = await http().get(`/tasks/${first}/history`).set(...bearer(admin.accessToken)).expect(200);
      const seen = history.body[0].cursor;
      await write(admin);
      await http().delete(`/tasks/${first}`).set(...bearer(admin.accessToken)).expect(204);
      const stream = await openStream({ Authorization: `Bearer ${admin.accessToken}`, 'Last-Event-ID': seen });
      await stream.until(() => stream.events.length >= 2, 'the two missed events');
      expect(stream.events.map((event) => event.event)).toEqual(['task.created', 'task.deleted']);
      await write(admin);
      await stream.until(() => stream.events.length >= 3, 'the next live event');
      const ids = stream.events.map((event) => Number(event.id));
      expect(new Set(ids).size).toBe(3);
      expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    });

    it('answers 422 for a malformed Last-Event-ID and 410 for one older than the retention', async () => {
      const admin = await setUpAdmin(testApp());
      expect((await openStream({ Authorization: `Bearer ${admin.accessToken}`, 'Last-Event-ID': 'x1' })).status).toBe(422);
      await testApp().get(DataSource).getRepository('ChangeLogState').update({ id: 1 }, { prunedThrough: '5' });
      try {
        expect((await openStream({ Authorization: `Bearer ${admin.accessToken}`, 'Last-Event-ID': '3' })).status).toBe(410);
      } finally {
        await testApp().get(DataSource).getRepository('ChangeLogState').update({ id: 1 }, { prunedThrough: '0' });
      }
    });

    it('opens with a single-use ticket, for EventSource which cannot send headers', async () => {
      const admin = await setUpAdmin(testApp());
      const ticket = await http().post('/tasks/events/ticket').set(...bearer(admin.accessToken)).expect(201);
      expect(ticket.body).toEqual({ ticket: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), expires_in: 60 });
      const stream = await openStream({}, `/tasks/events?ticket=${ticket.body.ticket}`);
      expect(stream.status).toBe(200);
      await write(admin);
      await stream.until(() => stream.events.length >= 1, 'an event');
      expect((await openStream({}, `/tasks/events?ticket=${ticket.body.ticket}`)).status).toBe(401);
      await http().post('/tasks/events/ticket').expect(401);
    });

    it('closes the stream when the credential that opened it is revoked', async () => {
      const admin = await setUpAdmin(testApp());
      const member = await addMember(testApp(), admin);
      const byHeader = await openStream({ Authorization: `Bearer ${member.accessToken}` });
      const ticket = (await http().post('/tasks/events/ticket').set(...bearer(member.accessToken)).expect(201)).body.ticket;
      const byTicket = await openStream({}, `/tasks/events?ticket=${ticket}`);
      const adminStream = await openStream({ Authorization: `Bearer ${admin.accessToken}` });
      await http().delete(`/auth/sessions/${claimsOf(member.accessToken).sid}`).set(...bearer(member.accessToken)).expect(204);
      await byHeader.until(() => byHeader.ended, 'the header stream to close', 6_000);
      await byTicket.until(() => byTicket.ended, 'the ticket stream to close', 6_000);
      expect(adminStream.ended).toBe(false);
    });
  });
});

describe('Live events in AUTH_MODE=off (e2e)', () => {
  const testApp = useTestApp({ config: { ...HISTORY_CONFIG, authMode: 'off' } });

  it('streams without a credential, and logs changes with no user', async () => {
    const app: NestExpressApplication = testApp();
    await new Promise<void>((resolve) => (app.getHttpServer() as Server).listen(0, '127.0.0.1', resolve));
    const stream = await EventStreamClient.open(app.getHttpServer() as Server, '/tasks/events');
    try {
      expect(stream.status).toBe(200);
      await request(app.getHttpServer()).post('/tasks').send({ title: 'Open' }).expect(201);
      await stream.until(() => stream.events.length >= 1, 'an event');
      expect(stream.dataOf(0)).toMatchObject({ kind: 'created', user: null });
    } finally {
      stream.close();
    }
  });
});
