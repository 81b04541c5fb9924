import request from 'supertest';
import { ACCOUNTS_CONFIG, ADMIN, addMember, bearer, setUpAdmin, SETUP_TOKEN } from './account-fixtures';
import { useTestApp } from './create-test-app';

// Strings neither database can store as sent: PostgreSQL refuses NUL outright (a driver error), and both
// replace a lone UTF-16 surrogate with U+FFFD. Every route refuses them with 422, on either database.
const NUL = 'a\u0000b';
const LONE_SURROGATE = '\ud800x';
const UNSTORABLE: Array<[string, string, string]> = [
  ['NUL', NUL, 'must not contain NUL (\\u0000) characters'],
  ['a lone surrogate', LONE_SURROGATE, 'must not contain unpaired UTF-16 surrogates'],
];

describe('Strings the database cannot store, AUTH_MODE=off (e2e)', () => {
  const testApp = useTestApp();
  const http = () => request(testApp().getHttpServer());

  describe.each(UNSTORABLE)('%s', (_, text, reason) => {
    it('is refused in every text field of POST /tasks, and nothing is created', async () => {
      for (const field of ['title', 'description', 'assignee']) {
        const response = await http().post('/tasks').send({ title: 'T', [field]: text }).expect(422);
        expect(response.body.message).toContain(`${field} ${reason}`);
      }
      await http().get('/tasks/count').expect(200, { total: 0 });
    });

    it('is refused by PATCH and PUT /tasks/:id, and the task is unchanged', async () => {
      const created = (await http().post('/tasks').send({ title: 'Kept' }).expect(201)).body;
      await http().patch(`/tasks/${created.id}`).send({ title: text }).expect(422);
      await http().put(`/tasks/${created.id}`).send({ description: text }).expect(422);
      await expect(http().get(`/tasks/${created.id}`).then((response) => response.body)).resolves.toEqual(created);
    });

    it('is refused inside a field the DTO would strip', async () => {
      const response = await http().post('/tasks').send({ title: 'T', extra: { nested: [text] } }).expect(422);
      expect(response.body.message).toContain(`extra.nested.0 ${reason}`);
      await http().get('/tasks/count').expect(200, { total: 0 });
    });
  });

  // A URL carries UTF-8, where a lone surrogate cannot be written: only NUL (%00) reaches a query.
  it('refuses NUL in query parameters', async () => {
    const response = await http().get('/tasks/search?q=a%00b').expect(422);
    expect(response.body.message).toContain('q must not contain NUL (\\u0000) characters');
    await http().get('/tasks?assignee=a%00b').expect(422);
  });

  it('accepts a well-formed pair of surrogates (an emoji) and reads it back as sent', async () => {
    const created = (await http().post('/tasks').send({ title: 'ship it \ud83d\ude80' }).expect(201)).body;
    expect(created.title).toBe('ship it 🚀');
    await expect(http().get(`/tasks/${created.id}`).then((response) => response.body.title)).resolves.toBe('ship it 🚀');
  });

  it('answers 404 to POST /tasks/events/ticket: the stream needs no ticket without accounts', async () => {
    const response = await http().post('/tasks/events/ticket').expect(404);
    expect(response.body).toMatchObject({ statusCode: 404, error: 'Not Found', message: 'Cannot POST /tasks/events/ticket' });
    const document = (await http().get('/openapi.json').expect(200)).body;
    expect(document.paths['/tasks/events/ticket']).toBeUndefined();
    expect(document.paths['/tasks/events']).toBeDefined();
  });
});

describe('Strings the database cannot store, AUTH_MODE=required (e2e)', () => {
  const testApp = useTestApp({ config: ACCOUNTS_CONFIG });
  const http = () => request(testApp().getHttpServer());

  describe.each(UNSTORABLE)('%s', (_, text, reason) => {
    it('is refused by POST /auth/login with 422, not a server error', async () => {
      await setUpAdmin(testApp());
      const response = await http().post('/auth/login').send({ email: `x${text}@example.com`, password: 'whatever' }).expect(422);
      expect(response.body.message).toEqual([`email ${reason}`]);
      await http().post('/auth/login').send({ email: ADMIN.email, password: text }).expect(422);
    });

    it('is refused by POST /auth/setup, and TaskFlow stays not set up', async () => {
      await http().post('/auth/setup').send({ setup_token: SETUP_TOKEN, ...ADMIN, name: text }).expect(422);
      await http().post('/auth/setup').send({ setup_token: `${SETUP_TOKEN}${text}`, ...ADMIN }).expect(422);
      await http().get('/auth/status').expect(200).expect((response) => expect(response.body.setup_required).toBe(true));
    });

    it('is refused by POST /auth/register, PATCH /auth/me and POST /auth/tokens', async () => {
      const admin = await setUpAdmin(testApp());
      await http().post('/auth/register').send({ email: 'new@example.com', name: 'New', password: 'password 12345', invitation: text }).expect(422);
      await http().patch('/auth/me').set(...bearer(admin.accessToken)).send({ name: text }).expect(422);
      await http().post('/auth/tokens').set(...bearer(admin.accessToken)).send({ name: text, scope: 'read' }).expect(422);
      const me = (await http().get('/auth/me').set(...bearer(admin.accessToken)).expect(200)).body;
      expect(me.name).toBe(ADMIN.name);
      await http().get('/auth/tokens').set(...bearer(admin.accessToken)).expect(200, []);
    });
  });

  it('issues a stream ticket to a signed-in user, and refuses a read token with 403', async () => {
    const admin = await setUpAdmin(testApp());
    const member = await addMember(testApp(), admin);
    await http().post('/tasks/events/ticket').set(...bearer(member.accessToken)).expect(201);
    const readToken = (await http().post('/auth/tokens').set(...bearer(member.accessToken)).send({ name: 'ro', scope: 'read' }).expect(201)).body.token;
    const refused = await http().post('/tasks/events/ticket').set(...bearer(readToken)).expect(403);
    expect(refused.body.message).toBe('This API token has the read scope: it can only read');
  });
});
