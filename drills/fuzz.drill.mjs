// A fast-check fuzzer of every route: random methods, paths, query strings, headers (Content-Type,
// If-Match, Idempotency-Key, Authorization...) and bodies (JSON of any shape and depth, broken JSON,
// other encodings). Criteria: no 5xx at all, and a rejected request (4xx) changes nothing: the
// tasks, their versions and the counters are the same before and after it.
import fc from 'fast-check';
import { freshDatabase } from './lib/databases.mjs';
import { keepAliveAgent, request } from './lib/http.mjs';
import { credentialHeaders, startApi } from './lib/server.mjs';

const ROUTES = [
  ['GET', '/'], ['GET', '/health'], ['GET', '/tasks'], ['POST', '/tasks'], ['GET', '/tasks/count'], ['GET', '/tasks/stats'],
  ['GET', '/tasks/search'], ['GET', '/tasks/filter/{status}'], ['GET', '/tasks/{id}'], ['PUT', '/tasks/{id}'],
  ['PATCH', '/tasks/{id}'], ['DELETE', '/tasks/{id}'], ['GET', '/auth/status'], ['POST', '/auth/login'], ['POST', '/auth/refresh'],
  ['GET', '/auth/me'], ['PATCH', '/auth/me'], ['GET', '/auth/sessions'], ['GET', '/auth/tokens'], ['POST', '/auth/tokens'],
  ['GET', '/users'], ['POST', '/users/invitations'], ['GET', '/openapi.json'], ['POST', '/auth/setup'], ['POST', '/auth/register'],
  ['PATCH', '/users/{id}'], ['POST', '/tasks/events/ticket'], ['GET', '/tasks/changes'], ['GET', '/tasks/{id}/history'],
];
// Not POST /auth/logout: it would end the drill's own session.
const FIELDS = ['title', 'description', 'status', 'priority', 'assignee', 'due_date', 'id', 'created_at', 'q', 'sort', 'order',
  'skip', 'limit', 'due_before', 'due_after', 'name', 'email', 'password', 'scope', 'role', '__proto__', 'constructor', 'setup_token',
  'invitation', 'current_password', 'expires_in_days', 'disabled', 'since', 'ticket', 'last_event_id'];

// Text the databases cannot store as sent: NUL (PostgreSQL refuses it) and lone UTF-16 surrogates.
const hostileText = fc.oneof(
  fc.constantFrom('\u0000', 'a\u0000b', '\ud800x', 'x\udfff', '\udc00\ud800'),
  fc.tuple(fc.string({ maxLength: 20 }), fc.constantFrom('\u0000', '\ud800'), fc.string({ maxLength: 20 })).map((parts) => parts.join('')),
);

const deepJson = fc.integer({ min: 1, max: 5_000 }).map((depth) => {
  const [open, close] = depth % 2 === 0 ? ['{"a":', '}'] : ['[', ']'];
  return `{"title":"deep","description":${open.repeat(depth)}1${close.repeat(depth)}}`;
});
const jsonValue = fc.jsonValue({ maxDepth: 4 });
const body = fc.oneof(
  fc.constant(undefined),
  fc.dictionary(fc.constantFrom(...FIELDS), jsonValue).map((object) => JSON.stringify(object)),
  // Every string field in turn, with the others plausible.
  fc.dictionary(fc.constantFrom(...FIELDS), fc.oneof(hostileText, fc.string({ maxLength: 30 }))).map((object) => JSON.stringify(object)),
  jsonValue.map((value) => JSON.stringify(value)),
  deepJson,
  fc.string({ maxLength: 200 }),
  fc.constantFrom('{', '{"title": "x"', '\u0000', '{"title":"\ud800"}', '[]', 'null', '42', '"x"', 'x'.repeat(110_000)),
);
const queryValue = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('todo', 'done', 'high', 'asc', 'desc', '-1', '0', '1001',
  '2026-13-45', '2026-01-01', 'created_at', 'priority', '%', '_', '\\', '[]', 'a[b]=c', '%E0%A4%A', '%00'), hostileText);
const query = fc.array(fc.tuple(fc.constantFrom(...FIELDS, 'x[y]', 'status[]', 'a.b'), queryValue), { maxLength: 4 })
  .map((pairs) => (pairs.length === 0 ? '' : `?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v.toWellFormed())}`).join('&')}`));
const rawQuery = fc.constantFrom('', '?%', '?status=%ZZ', '?limit=1e3', '?skip=%20', '?&&&', '?status=todo&status=done', '?q=' + 'a'.repeat(5000));
const header = fc.oneof(
  fc.record({ 'content-type': fc.constantFrom('application/json', 'application/merge-patch+json', 'text/plain', 'application/json; charset=latin1',
    'application/json; charset=utf-16', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=bogus') }),
  fc.record({ 'if-match': fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('*', 'W/"1"', '"x", W/"y"', ',,,', '"')) }),
  fc.record({ 'idempotency-key': fc.oneof(fc.string({ maxLength: 300 }).filter((s) => /^[\x20-\x7e]*$/.test(s)), fc.constantFrom('', 'k'.repeat(256), 'ok-key')) }),
  fc.record({ authorization: fc.constantFrom('Bearer ', 'Bearer x.y.z', 'Basic abc', 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', 'tf_abc') }),
  fc.record({ 'content-encoding': fc.constantFrom('gzip', 'br', 'identity', 'bogus') }),
  fc.record({ cookie: fc.constantFrom('taskflow_session=abc', 'taskflow_session=', 'x') }),
  fc.record({ 'x-forwarded-for': fc.constantFrom('1.2.3.4', 'garbage', '::1, 10.0.0.1') }),
  fc.record({ origin: fc.constantFrom('http://localhost:5173', 'http://evil.example', 'null') }),
);

/** What a rejected request must not have changed: the tasks with their versions, and the counters. */
async function snapshot(port, headers) {
  const list = await request({ port, path: '/tasks?limit=1000&sort=created_at', headers });
  const stats = await request({ port, path: '/tasks/stats', headers });
  return JSON.stringify([list.json?.map((task) => [task.id, task.updated_at]), stats.json?.total, stats.json?.by_status]);
}

export const drill = {
  name: 'fuzz',
  criteria: '0 × 5xx; every 4xx leaves tasks, versions and counters unchanged',
  databases: ['sqlite', 'postgres'],
  quick: true,
  async run({ appDir, database, quick }) {
    const db = await freshDatabase(database, 'fuzz');
    try {
      const api = await startApi({ appDir, databaseUrl: db.url });
      const credentials = await credentialHeaders(api);
      const agent = keepAliveAgent(1);
      const ids = [];
      for (let i = 0; i < 3; i++) {
        ids.push((await request({ port: api.port, method: 'POST', path: '/tasks', json: { title: `fuzz ${i}` }, headers: credentials })).json.id);
      }
      const id = fc.oneof(fc.constantFrom(...ids), fc.string({ maxLength: 40 }), fc.constantFrom('%', '..', '%2F', '00000000-0000-0000-0000-000000000000'));
      const status = fc.oneof(fc.constantFrom('todo', 'in_progress', 'done'), fc.string({ maxLength: 10 }));
      const counts = { total: 0, serverErrors: 0, rejected: 0, changedByRejected: 0, byStatus: {} };
      const examples = [];
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...ROUTES), id, status, fc.oneof(query, rawQuery), header, body, fc.boolean(),
          async ([method, template], taskId, statusValue, queryString, extraHeaders, payload, signedIn) => {
            const path = template.replace('{id}', encodeURIComponent(taskId).replace(/%25/g, '%')).replace('{status}', encodeURIComponent(statusValue)) + queryString;
            const before = await snapshot(api.port, credentials);
            const headers = { ...(signedIn ? credentials : {}), ...(payload !== undefined ? { 'content-type': 'application/json' } : {}), ...extraHeaders };
            const response = await request({ port: api.port, method, path, headers, body: payload, agent }).catch((error) => ({ status: `network ${error.code}` }));
            counts.total++;
            counts.byStatus[response.status] = (counts.byStatus[response.status] ?? 0) + 1;
            if (typeof response.status !== 'number' || response.status >= 500) {
              counts.serverErrors++;
              if (examples.length < 3) examples.push(`${method} ${path.slice(0, 80)} ${JSON.stringify(extraHeaders)} ${String(payload).slice(0, 60)} -> ${response.status}`);
            } else if (response.status >= 400) {
              counts.rejected++;
              if ((await snapshot(api.port, credentials)) !== before) {
                counts.changedByRejected++;
                if (examples.length < 3) examples.push(`${method} ${path.slice(0, 80)} changed data with ${response.status}`);
              }
            }
          }),
        { numRuns: quick ? 400 : 3_000, seed: Number(process.env.DRILLS_FUZZ_SEED ?? 20261129), endOnFailure: false, verbose: 0 },
      ).catch(() => undefined);
      agent.destroy();
      await api.stop();
      const statuses = Object.entries(counts.byStatus).map(([code, n]) => `${code}×${n}`).join(' ');
      return {
        pass: counts.serverErrors === 0 && counts.changedByRejected === 0 && counts.total > 0,
        figures: `${counts.total} random requests (${statuses}); ${counts.serverErrors} × 5xx or network error, ` +
          `${counts.changedByRejected} of ${counts.rejected} rejected requests changed data${examples.length ? `; e.g. ${examples.join(' | ')}` : ''}`,
      };
    } finally {
      await db.drop();
    }
  },
};
