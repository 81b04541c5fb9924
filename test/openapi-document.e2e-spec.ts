import request from 'supertest';
import { ACCOUNTS_CONFIG, addMember, bearer, setUpAdmin } from './account-fixtures';
import { useTestApp } from './create-test-app';
import { DocumentChecker } from './openapi-conformance';

type Document = {
  openapi: string;
  paths: Record<string, Record<string, { parameters?: Array<Record<string, unknown>>; responses: Record<string, { content?: Record<string, unknown> }> }>>;
  components: { schemas: Record<string, { properties: Record<string, Record<string, unknown>>; required?: string[] }> };
};

const NULLABLE_AUTHOR = { oneOf: [{ $ref: '#/components/schemas/TaskAuthorResponse' }, { type: 'null' }] };

describe.each([
  ['off', {}],
  ['required', ACCOUNTS_CONFIG],
])('The OpenAPI document, AUTH_MODE=%s (e2e)', (_, config) => {
  const testApp = useTestApp({ config });
  let document: Document;
  beforeEach(async () => {
    document = (await request(testApp().getHttpServer()).get('/openapi.json').expect(200)).body;
  });

  it('is OpenAPI 3.1, where a nullable reference is a oneOf with null (nullable does not reach through allOf in 3.0)', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(JSON.stringify(document)).not.toContain('"nullable"');
    const task = document.components.schemas.TaskResponse.properties;
    expect(task.created_by).toMatchObject(NULLABLE_AUTHOR);
    expect(task.updated_by).toMatchObject(NULLABLE_AUTHOR);
    expect(task.due_date).toMatchObject({ type: ['string', 'null'], format: 'date-time' });
    const change = document.components.schemas.TaskChangeResponse.properties;
    expect(change.user).toMatchObject(NULLABLE_AUTHOR);
    expect(change.task).toMatchObject({ oneOf: [{ $ref: '#/components/schemas/TaskResponse' }, { type: 'null' }] });
  });

  it('declares request_id in every error body', () => {
    for (const name of ['ErrorResponse', 'ValidationErrorResponse']) {
      const schema = document.components.schemas[name];
      expect([name, schema.properties.request_id]).toEqual([name, expect.objectContaining({ type: 'string' })]);
      expect(schema.required).toContain('request_id');
    }
  });

  it("declares GET /tasks/events's errors as JSON and only its 200 as an event stream", () => {
    const { responses } = document.paths['/tasks/events'].get;
    expect(Object.keys(responses['200'].content ?? {})).toEqual(['text/event-stream']);
    for (const status of ['410', '422']) expect([status, Object.keys(responses[status].content ?? {})]).toEqual([status, ['application/json']]);
  });

  it('gives optional query parameters no example, so that Swagger UI sends only what a person typed', () => {
    for (const [path, item] of Object.entries(document.paths)) {
      for (const operation of Object.values(item)) {
        for (const parameter of operation.parameters ?? []) {
          if (parameter.in !== 'query' || parameter.required) continue;
          expect([path, parameter.name, parameter.example, (parameter.schema as Record<string, unknown>).example]).toEqual([path, parameter.name, undefined, undefined]);
        }
      }
    }
  });

  it('declares due_before and due_after as the timestamps the API accepts, a date alone included', async () => {
    const parameters = document.paths['/tasks'].get.parameters ?? [];
    for (const name of ['due_before', 'due_after']) {
      const schema = parameters.find((parameter) => parameter.name === name)?.schema as { format?: string; pattern: string };
      expect(schema.format).toBeUndefined();
      const pattern = new RegExp(schema.pattern);
      for (const accepted of ['2026-12-31', '2026-12-31T17:00', '2026-12-31T17:00:00.123456+02:00']) {
        expect(pattern.test(accepted)).toBe(true);
        await request(testApp().getHttpServer()).get('/tasks').query({ [name]: accepted }).set(await credentials()).expect(200);
      }
      expect(pattern.test('31/12/2026')).toBe(false);
    }
  });

  async function credentials(): Promise<Record<string, string>> {
    if (config !== ACCOUNTS_CONFIG) return {};
    const [name, value] = bearer((await setUpAdminOnce()).accessToken);
    return { [name]: value };
  }
  let admin: Promise<Awaited<ReturnType<typeof setUpAdmin>>> | undefined;
  const setUpAdminOnce = () => (admin ??= setUpAdmin(testApp()));
  afterEach(() => {
    admin = undefined;
  });
});

describe('What the document promises, AUTH_MODE=off (e2e)', () => {
  const testApp = useTestApp();
  const http = () => request(testApp().getHttpServer());

  it.each([['history'], ['nope']])('answers GET /tasks/filter/%s with the 422 of an unknown status', async (status) => {
    const response = await http().get(`/tasks/filter/${status}`).expect(422);
    expect(response.body.message).toEqual(['status must be one of the following values: todo, in_progress, done']);
  });

  it.each(['put', 'patch'] as const)('refuses %s /tasks/:id with an empty JSON body (422) and changes nothing', async (method) => {
    const task = (await http().post('/tasks').send({ title: 'Kept' }).expect(201)).body;
    const response = await http()[method](`/tasks/${task.id}`).set('Content-Type', 'application/json').set('Content-Length', '0').expect(422);
    expect(response.body.message).toEqual(['request body must be a JSON object']);
    await expect(http().get(`/tasks/${task.id}`).then((read) => read.body)).resolves.toEqual(task);
  });

  it('declares what the server refuses in a title: white space alone', async () => {
    const document = (await http().get('/openapi.json').expect(200)).body;
    const { pattern } = document.components.schemas.CreateTaskDto.properties.title;
    expect(new RegExp(pattern).test(' \t ')).toBe(false);
    await http().post('/tasks').send({ title: ' \t ' }).expect(422);
    expect(new RegExp(pattern).test(' x ')).toBe(true);
    await http().post('/tasks').send({ title: ' x ' }).expect(201);
  });

  it('still takes {} as a request that changes nothing', async () => {
    const task = (await http().post('/tasks').send({ title: 'Kept' }).expect(201)).body;
    await http().patch(`/tasks/${task.id}`).send({}).expect(200);
  });

  it('catches an answer that breaks the document: the check cannot pass by itself', async () => {
    const document = (await http().get('/openapi.json').expect(200)).body;
    const checker = new DocumentChecker(document);
    const json = { 'content-type': 'application/json; charset=utf-8' };
    const task = (await http().post('/tasks').send({ title: 'T' }).expect(201)).body;
    expect(checker.check('GET', `/tasks/${task.id}`, 200, json, Buffer.from(JSON.stringify(task)))).toEqual([]);
    const [wrongBody] = checker.check('GET', `/tasks/${task.id}`, 200, json, Buffer.from(JSON.stringify({ ...task, status: 'later' })));
    expect(wrongBody).toMatch(/body\/status must be equal to one of the allowed values/);
    const [wrongStatus] = checker.check('GET', '/tasks', 418, json, Buffer.from('{}'));
    expect(wrongStatus).toMatch(/status 418 is not declared/);
    const [wrongType] = checker.check('GET', '/tasks', 200, { 'content-type': 'text/html' }, Buffer.from('<p>'));
    expect(wrongType).toMatch(/Content-Type text\/html is not declared/);
    const [noRequestId] = checker.check('GET', '/tasks/x', 404, json, Buffer.from(JSON.stringify({ statusCode: 404, error: 'Not Found', message: 'x' })));
    expect(noRequestId).toMatch(/must have required property 'request_id'/);
    const [missingHeader] = checker.check('GET', '/tasks', 503, json, Buffer.from(JSON.stringify({ statusCode: 503, error: 'e', message: 'm', request_id: 'r' })));
    expect(missingHeader).toMatch(/required header Retry-After is missing/);
  });
});

describe('What the document promises, AUTH_MODE=required (e2e)', () => {
  const testApp = useTestApp({ config: ACCOUNTS_CONFIG });
  const http = () => request(testApp().getHttpServer());
  const emptyJson = (test: request.Test) => test.set('Content-Type', 'application/json').set('Content-Length', '0');

  it('refuses PATCH /auth/me and PATCH /users/:id with an empty JSON body (422), and a null current_password', async () => {
    const admin = await setUpAdmin(testApp());
    const member = await addMember(testApp(), admin);
    await emptyJson(http().patch('/auth/me').set(...bearer(member.accessToken))).expect(422);
    await emptyJson(http().patch(`/users/${member.user.id}`).set(...bearer(admin.accessToken))).expect(422);
    const refused = await http().patch('/auth/me').set(...bearer(member.accessToken)).send({ name: 'Renamed', current_password: null }).expect(422);
    expect(refused.body.message).toEqual([expect.stringMatching(/^current_password /)]);
    await expect(http().get('/auth/me').set(...bearer(member.accessToken)).then((me) => me.body.name)).resolves.toBe(member.user.name);
  });

  it('answers POST /auth/refresh with an empty JSON body as without one: it reads no body', async () => {
    const admin = await setUpAdmin(testApp());
    await emptyJson(http().post('/auth/refresh').set('Cookie', admin.cookie)).expect(200);
  });

  it.each(['/auth/logout', '/auth/refresh', '/tasks/events/ticket'])('answers POST %s with malformed JSON with the declared 400', async (path) => {
    const admin = await setUpAdmin(testApp());
    const response = await http().post(path).set(...bearer(admin.accessToken)).set('Content-Type', 'application/json').send('{"broken"').expect(400);
    expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
  });
});
