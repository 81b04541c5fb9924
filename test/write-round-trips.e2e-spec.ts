import { AsyncLocalStorage } from 'node:async_hooks';
import { IncomingMessage, Server, ServerResponse } from 'node:http';
import request from 'supertest';
import { AfterQueryEvent, DataSource } from 'typeorm';
import { ACCOUNTS_CONFIG, addMember, bearer, setUpAdmin, SignedIn } from './account-fixtures';
import { e2eDatabase, useTestApp } from './create-test-app';

/**
 * The statements a write request sends to the database (issue 21: one round trip per write where the database
 * allows it). Counted through TypeORM's query events, which every statement of the app announces (query-events.ts);
 * on SQLite the reads are in-process, so the counts below are PostgreSQL's, and SQLite's only have to stay small.
 */
describe('Statements per write request (e2e, AUTH_MODE=required)', () => {
  const testApp = useTestApp({ config: ACCOUNTS_CONFIG });
  let admin: SignedIn;
  let bob: SignedIn;
  let carol: SignedIn;

  /** The statements of the request being counted: each request's work runs with the list it adds to (or none). */
  const countedRequest = new AsyncLocalStorage<string[] | undefined>();
  let counting: string[] | undefined;

  beforeAll(async () => {
    // Background work (the webhook fan-out's passes, the jobs' polls) runs outside any request, so it is not counted.
    const server = testApp().getHttpServer() as Server;
    const [serve] = server.listeners('request') as Array<(req: IncomingMessage, res: ServerResponse) => void>;
    server.removeAllListeners('request');
    server.on('request', (req: IncomingMessage, res: ServerResponse) => countedRequest.run(counting, () => serve(req, res)));
    const subscriber = { afterQuery: (event: AfterQueryEvent) => void (event.query.includes('pg_notify') || countedRequest.getStore()?.push(event.query)) };
    testApp().get(DataSource).subscribers.push(subscriber);
  });
  beforeEach(async () => {
    admin = await setUpAdmin(testApp());
    bob = await addMember(testApp(), admin);
    carol = await addMember(testApp(), admin, { email: 'carol@example.com', name: 'Carol Member', password: 'member password 2' });
  });

  const http = () => request(testApp().getHttpServer());
  const as = (who: SignedIn) => ({
    post: (path: string, body: object = {}) => http().post(path).set(...bearer(who.accessToken)).send(body),
    put: (path: string, body: object = {}) => http().put(path).set(...bearer(who.accessToken)).send(body),
    delete: (path: string) => http().delete(path).set(...bearer(who.accessToken)),
  });

  /**
   * The statements run to answer `send` (the access token is checked without the database), but for the change
   * feed's pg_notify, which follows a write whenever it comes.
   */
  async function statementsOf(send: () => Promise<unknown>): Promise<string[]> {
    const statements: string[] = [];
    counting = statements;
    try {
      await send();
    } finally {
      counting = undefined;
    }
    return statements;
  }

  /** The recipients of the notifications of this kind about a task (or a comment), in id order. */
  async function notificationsOf(id: string, kind: string, about: 'task_id' | 'comment_id' = 'task_id'): Promise<string[]> {
    const sql = `SELECT user_id FROM notifications WHERE ${about} = ${placeholder(1)} AND kind = ${placeholder(2)} ORDER BY user_id`;
    const rows = await testApp().get(DataSource).query(sql, [id, kind]);
    return rows.map((row: { user_id: string }) => row.user_id);
  }
  const placeholder = (n: number) => (e2eDatabase() === 'postgres' ? `$${n}` : '?');

  /** A task of admin's, watched by bob and carol too (by their comments). */
  async function watchedTask(): Promise<{ id: string; key: string }> {
    const task = (await as(admin).post('/tasks', { title: 'Fix login' }).expect(201)).body;
    await as(bob).post(`/tasks/${task.id}/comments`, { body: 'me too' }).expect(201);
    await as(carol).post(`/tasks/${task.id}/comments`, { body: 'and me' }).expect(201);
    return task;
  }

  // SQLite announces a comment's write (one in-process transaction) to no subscriber.
  const write = e2eDatabase() === 'postgres' ? 1 : 0;

  it('updates a title with one read before its write', async () => {
    const task = await watchedTask();
    const statements = await statementsOf(() => as(admin).put(`/tasks/${task.id}`, { title: 'Fix sign-in' }).expect(200));
    expect(statements).toHaveLength(2);
  });

  it('updates a watched task\'s status (two notifications) with one read before its write, by key', async () => {
    const task = await watchedTask();
    const statements = await statementsOf(() => as(admin).put(`/tasks/${task.key}`, { status: 'done' }).expect(200));
    expect(statements).toHaveLength(2);
    expect(await notificationsOf(task.id, 'status_changed')).toEqual([bob.user.id, carol.user.id].sort());
  });

  it('updates a status and adds a comment with two mentions by id, as the bench does, with the same reads', async () => {
    const task = await watchedTask();
    expect(await statementsOf(() => as(admin).put(`/tasks/${task.id}`, { status: 'in_progress', title: 'Fix sign-in' }).expect(200))).toHaveLength(2);
    const body = `see <@${bob.user.id}> and <@${carol.user.id}>`;
    expect(await statementsOf(() => as(admin).post(`/tasks/${task.id}/comments`, { body }).expect(201))).toHaveLength(2 + write);
  });

  it('deletes a watched task with one read before its write', async () => {
    const task = await watchedTask();
    const statements = await statementsOf(() => as(admin).delete(`/tasks/${task.id}`).expect(204));
    expect(statements).toHaveLength(2);
    expect(await notificationsOf(task.id, 'task_deleted')).toEqual([bob.user.id, carol.user.id].sort());
  });

  it('adds a comment with a mention to a watched task with two reads before its write, by key', async () => {
    const task = await watchedTask();
    let commentId = '';
    const statements = await statementsOf(async () => {
      commentId = (await as(admin).post(`/tasks/${task.key}/comments`, { body: `see <@${bob.user.id}>` }).expect(201)).body.id;
    });
    // The task with its project's archived flag and its watchers, then the mentioned users.
    expect(statements).toHaveLength(2 + write);
    expect(await notificationsOf(commentId, 'mentioned', 'comment_id')).toEqual([bob.user.id]);
    expect(await notificationsOf(commentId, 'commented', 'comment_id')).toEqual([carol.user.id]);
  });
});
