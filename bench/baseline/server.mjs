// The baselines: the API's endpoints written by hand on node:http with no framework and no ORM, so the API's
// figures can be read as ratios measured in the same run. It validates only what the benchmark's requests need.
// BASELINE=plain (the default): the straightforward service of plain-pg.mjs / plain-sqlite.mjs, on its own table
// without triggers. BASELINE=mirror: the API's own SQL on the API's tables, counters included (store-*.mjs).
import { createServer } from 'node:http';
import { encodeCursor } from '../lib/cursor.mjs';
import { HttpError, etag, readChanges, readFilters, readPage } from './requests.mjs';
import { openPlainPgStore } from './plain-pg.mjs';
import { openPlainSqliteStore } from './plain-sqlite.mjs';
import { openPgStore } from './store-pg.mjs';
import { openSqliteStore } from './store-sqlite.mjs';

const port = Number(process.env.PORT ?? 8100);
const databaseUrl = process.env.DATABASE_URL ?? '';
const environment = process.env.NODE_ENV ?? 'development';
const isPostgres = databaseUrl.startsWith('postgres');
const store = process.env.BASELINE === 'mirror'
  ? (isPostgres ? openPgStore(databaseUrl) : openSqliteStore(databaseUrl))
  : (isPostgres ? openPlainPgStore(databaseUrl) : openPlainSqliteStore(databaseUrl));

function send(res, status, body, headers = {}) {
  const payload = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    ...(body === undefined ? {} : { 'Content-Type': 'application/json; charset=utf-8' }),
    'Content-Length': Buffer.byteLength(payload),
  });
  res.end(payload);
}

async function readBody(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > 102_400) throw new HttpError(413, 'body too large');
    chunks.push(chunk);
  }
  try {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new Error();
    return body;
  } catch {
    throw new HttpError(400, 'body is not a JSON object');
  }
}

async function route(req, res) {
  const url = new URL(req.url, 'http://baseline');
  const parts = url.pathname.split('/').filter(Boolean);
  const method = req.method;

  if (method === 'GET' && url.pathname === '/health') {
    // As the API: a ping, then the count.
    await store.ping();
    const tasksCount = await store.count({});
    return send(res, 200, { status: 'healthy', database: 'connected', tasks_count: tasksCount, environment });
  }
  if (parts[0] !== 'tasks' || parts.length > 2) throw new HttpError(404, 'not found');

  if (parts.length === 1 || (parts[1] === 'search' && method === 'GET')) {
    if (method === 'GET') {
      const filters = readFilters(url.searchParams);
      const page = readPage(url.searchParams);
      // Same two statements as the API, also run side by side: the page and the total for X-Total-Count.
      const [tasks, total] = await Promise.all([store.list(filters, page), store.count(filters)]);
      const last = tasks.length === page.limit ? tasks[tasks.length - 1] : undefined;
      const next = last ? { 'X-Next-Cursor': encodeCursor('created_at', 'asc', last.created_at, last.id) } : {};
      return send(res, 200, tasks, { 'X-Total-Count': String(total), ...next });
    }
    if (method === 'POST') {
      const task = await store.create(readChanges(await readBody(req), true));
      return send(res, 201, task, { Location: `/tasks/${task.id}`, ETag: etag(task) });
    }
    throw new HttpError(404, 'not found');
  }
  if (method === 'GET' && parts[1] === 'count') {
    return send(res, 200, { total: await store.count(readFilters(url.searchParams)) });
  }
  if (method === 'GET' && parts[1] === 'stats') return send(res, 200, await store.stats());

  const id = decodeURIComponent(parts[1]);
  if (method === 'GET') {
    const task = await store.get(id);
    if (!task) throw new HttpError(404, `Task ${id} not found`);
    return send(res, 200, task, { ETag: etag(task) });
  }
  if (method === 'PUT' || method === 'PATCH') {
    const task = await store.update(id, readChanges(await readBody(req), false));
    if (!task) throw new HttpError(404, `Task ${id} not found`);
    return send(res, 200, task, { ETag: etag(task) });
  }
  if (method === 'DELETE') {
    if (!(await store.remove(id))) throw new HttpError(404, `Task ${id} not found`);
    return send(res, 204);
  }
  throw new HttpError(404, 'not found');
}

const server = createServer((req, res) => {
  route(req, res).catch((error) => {
    const status = error instanceof HttpError ? error.status : 500;
    if (status === 500) console.error(error);
    send(res, status, { statusCode: status, message: error.message });
  });
});
server.keepAliveTimeout = 65_000;
// The API's listen backlog (Node's default of 511 overflows when 1,000 clients connect at once, and a
// dropped SYN is retried after 1 s): the drills compare request handling, not kernel queue sizes.
server.listen({ port, host: '127.0.0.1', backlog: 4096 });

const shutdown = () => server.close(() => store.close().then(() => process.exit(0)));
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
