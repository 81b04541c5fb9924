import request from 'supertest';
import { ACCOUNTS_CONFIG, setUpAdmin } from './account-fixtures';
import { useTestApp } from './create-test-app';

// Every documented operation, with hostile values in each query parameter and each body field in turn, plus
// malformed and empty JSON bodies: no answer may be a 5xx, and (through the conformance check every e2e app
// runs) each answer must be one the document declares. Left out: GET /tasks/events, whose success is an endless
// stream, and POST /auth/logout, which would end the session the sweep uses.
const HOSTILE: unknown[] = ['\u0000', 'a\u0000b', '\ud800x', '', ' ', 'x'.repeat(5000), '%00', '../', -1, 1e308, 1.5, null, true, [], {}, ['x'], { a: 1 }];
const SKIPPED = new Set(['get /tasks/events', 'post /auth/logout']);

type Schema = { $ref?: string; type?: string | string[]; enum?: unknown[]; example?: unknown; properties?: Record<string, Schema> };
type Operation = { parameters?: Array<{ name: string; in: string }>; requestBody?: { content: Record<string, { schema: Schema }> } };
type Document = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } };

const resolved = (document: Document, schema: Schema | undefined): Schema | undefined =>
  schema?.$ref ? document.components.schemas[schema.$ref.split('/').pop()!] : schema;

/** A body the document calls valid (examples, or plain values of each type), so that one hostile field gets past the others. */
function plausibleBody(document: Document, operation: Operation): Record<string, unknown> {
  const properties = resolved(document, operation.requestBody?.content['application/json']?.schema)?.properties ?? {};
  return Object.fromEntries(
    Object.entries(properties).map(([name, property]) => {
      const type = [resolved(document, property)?.type].flat()[0];
      const value = property.example ?? resolved(document, property)?.enum?.[0] ?? (type === 'integer' ? 1 : type === 'boolean' ? false : 'plain text 1');
      return [name, value];
    }),
  );
}

describe.each([
  ['off', {}],
  ['required', ACCOUNTS_CONFIG],
])('Hostile inputs on every documented operation, AUTH_MODE=%s (e2e)', (mode, config) => {
  const testApp = useTestApp({ config });

  it('answers each with a declared 4xx or a success, never a 5xx', async () => {
    const http = () => request(testApp().getHttpServer());
    const headers: Record<string, string> = {};
    if (mode === 'required') headers.Authorization = `Bearer ${(await setUpAdmin(testApp())).accessToken}`;
    const task = (await http().post('/tasks').set(headers).send({ title: 'Target' }).expect(201)).body;
    const document: Document = (await http().get('/openapi.json').expect(200)).body;
    const serverErrors: string[] = [];
    let sent = 0;
    for (const [template, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        if (SKIPPED.has(`${method} ${template}`)) continue;
        const path = template.replace('{id}', task.id).replace('{status}', 'todo');
        const send = async (query: Record<string, unknown>, body?: unknown, raw?: string) => {
          let call = http()[method as 'get'](path).set(headers).query(query as Record<string, string>);
          if (raw !== undefined) call = call.set('Content-Type', 'application/json').send(raw);
          else if (body !== undefined) call = call.send(body as object);
          const response = await call;
          sent++;
          if (response.status >= 500) serverErrors.push(`${method} ${path} ${JSON.stringify({ query, body, raw }).slice(0, 120)} -> ${response.status}`);
        };
        for (const parameter of operation.parameters ?? []) {
          if (parameter.in !== 'query') continue;
          for (const value of HOSTILE) if (typeof value === 'string' || typeof value === 'number') await send({ [parameter.name]: value });
        }
        const body = plausibleBody(document, operation);
        for (const field of Object.keys(body)) {
          for (const value of HOSTILE) await send({}, { ...body, [field]: value });
        }
        for (const value of HOSTILE) await send({}, undefined, JSON.stringify(value));
        for (const raw of ['', '{', '{"a":1', '"\\ud800"', '\u0000']) await send({}, undefined, raw);
      }
    }
    expect(serverErrors).toEqual([]);
    expect(sent).toBeGreaterThan(500);
  }, 240_000);
});
