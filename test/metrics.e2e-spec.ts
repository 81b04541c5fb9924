import { NestExpressApplication } from '@nestjs/platform-express';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import request from 'supertest';
import { AuthMetrics } from '../src/metrics/auth-metrics.service';
import { ACCOUNTS_CONFIG, ADMIN, setUpAdmin } from './account-fixtures';
import { request as httpRequest, type Server } from 'node:http';
import { clearAll, clearTasks, createTestApp, e2eDatabase } from './create-test-app';
import { createObservedApp } from './observability-test-app';

const PROMTOOL = '/usr/bin/promtool';
const TOKEN = 'metrics-token-0123456789abcdef';
const UNKNOWN_ID = '0b6f2a9e-3c1d-4e8f-9a7b-5c2d1e0f3a4b';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a Prometheus text exposition (enough of the format for TaskFlow's own output). */
function parseExposition(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`not a sample line: ${line}`);
      const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
      return { name: match[1], labels, value: Number(match[3]) };
    });
}

function value(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  return samples.find(
    (sample) => sample.name === name && Object.entries(labels).every(([key, wanted]) => sample.labels[key] === wanted),
  )?.value;
}

describe('GET /metrics', () => {
  let app: NestExpressApplication;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    app = await createObservedApp();
    await clearTasks(app);
  });
  afterAll(async () => {
    await app.close();
  });

  it('counts a known series of requests by method, route template and status class', async () => {
    await http().get('/tasks').expect(200);
    await http().get('/tasks').expect(200);
    const created = await http().post('/tasks').send({ title: 'Counted', status: 'in_progress' }).expect(201);
    await http().get(`/tasks/${created.body.id}`).expect(200);
    await http().get(`/tasks/${UNKNOWN_ID}`).expect(404);
    await http().post('/tasks').send({ title: '' }).expect(422);
    await http().get(`/no/such/path/${UNKNOWN_ID}`).expect(404);
    await http().post('/tasks').set('Content-Type', 'application/json').send('{"title":').expect(400);

    const response = await http().get('/metrics').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(response.headers['cache-control']).toBe('no-store');
    const samples = parseExposition(response.text);
    const count = (labels: Record<string, string>) => value(samples, 'taskflow_http_request_duration_seconds_count', labels);

    expect(count({ method: 'GET', route: '/tasks', status_class: '2xx' })).toBe(2);
    expect(count({ method: 'POST', route: '/tasks', status_class: '2xx' })).toBe(1);
    expect(count({ method: 'GET', route: '/tasks/:id', status_class: '2xx' })).toBe(1);
    expect(count({ method: 'GET', route: '/tasks/:id', status_class: '4xx' })).toBe(1);
    expect(count({ method: 'POST', route: '/tasks', status_class: '4xx' })).toBe(1);
    // Unknown paths and bodies refused before routing share one series instead of one per raw path.
    expect(count({ method: 'GET', route: '(unmatched)', status_class: '4xx' })).toBe(1);
    expect(count({ method: 'POST', route: '(unmatched)', status_class: '4xx' })).toBe(1);
    const routes = samples.filter((sample) => sample.labels.route !== undefined).map((sample) => sample.labels.route);
    expect(routes.some((route) => route.includes(created.body.id) || route.includes(UNKNOWN_ID))).toBe(false);
    expect(value(samples, 'taskflow_http_request_duration_seconds_bucket', { route: '/tasks', le: '+Inf', status_class: '2xx' })).toBe(2);

    // The scrape itself is the one request in flight while the metrics are read.
    expect(value(samples, 'taskflow_http_requests_in_flight')).toBe(1);
    expect(value(samples, 'taskflow_tasks', { status: 'in_progress' })).toBe(1);
    expect(value(samples, 'taskflow_tasks', { status: 'todo' })).toBe(0);
    expect(value(samples, 'taskflow_tasks', { status: 'done' })).toBe(0);
    expect(value(samples, 'taskflow_db_query_duration_seconds_count', { operation: 'select' })).toBeGreaterThanOrEqual(3);
    for (const name of ['taskflow_db_pool_size', 'taskflow_db_pool_idle', 'taskflow_db_pool_waiting', 'taskflow_db_pool_max']) {
      expect(value(samples, name)).toBeDefined();
    }
    if (e2eDatabase() === 'postgres') {
      expect(value(samples, 'taskflow_db_pool_max')).toBe(15);
      expect(value(samples, 'taskflow_db_pool_size')).toBeGreaterThanOrEqual(1);
    }
    // Node's default process metrics.
    expect(value(samples, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(value(samples, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
  });

  it('counts the sign-in failures and lockouts the accounts code reports', async () => {
    const auth = app.get(AuthMetrics);
    auth.signInFailed();
    auth.signInFailed();
    auth.signInLockedOut('email');
    auth.signInLockedOut('client');
    const samples = parseExposition((await http().get('/metrics').expect(200)).text);
    expect(value(samples, 'taskflow_sign_in_failures_total')).toBe(2);
    expect(value(samples, 'taskflow_sign_in_lockouts_total', { scope: 'email' })).toBe(1);
    expect(value(samples, 'taskflow_sign_in_lockouts_total', { scope: 'client' })).toBe(1);
  });

  (existsSync(PROMTOOL) ? it : it.skip)('passes `promtool check metrics` (Debian package prometheus)', async () => {
    const response = await http().get('/metrics').expect(200);
    const check = spawnSync(PROMTOOL, ['check', 'metrics'], { input: response.text, encoding: 'utf8' });
    expect({ status: check.status, output: `${check.stdout}${check.stderr}` }).toEqual({ status: 0, output: '' });
  });
  if (!existsSync(PROMTOOL)) console.log(`Skipping the promtool check: ${PROMTOOL} is missing (apt-get install prometheus).`);
});

describe('sign-in metrics, with accounts on', () => {
  let app: NestExpressApplication;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    app = await createObservedApp({ config: ACCOUNTS_CONFIG });
    await clearAll(app);
    await setUpAdmin(app);
  });
  afterAll(async () => {
    await clearAll(app);
    await app.close();
  });

  it('counts refused sign-ins and the lockout of an (email, address) pair; /metrics needs no account credential', async () => {
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      await http().post('/auth/login').send({ email: ADMIN.email, password: 'not the password' }).expect(401);
    }
    await http().post('/auth/login').send({ email: ADMIN.email, password: ADMIN.password }).expect(429);
    await http().get('/tasks').expect(401);
    const samples = parseExposition((await http().get('/metrics').expect(200)).text);
    expect(value(samples, 'taskflow_sign_in_failures_total')).toBe(5);
    expect(value(samples, 'taskflow_sign_in_lockouts_total', { scope: 'pair' })).toBe(1);
    expect(value(samples, 'taskflow_sign_in_lockouts_total', { scope: 'email' })).toBeUndefined();
    expect(value(samples, 'taskflow_sign_in_lockouts_total', { scope: 'client' })).toBeUndefined();
  });
});

describe('load shedding in the metrics', () => {
  it('counts the requests the load shedder refuses; each has its request id and Retry-After', async () => {
    // One request at a time and no queue: a second request while one is running is refused at once.
    const app = await createTestApp({ loadShedding: { maxConcurrent: 1, maxQueued: 0, maxWaitMs: 500, retryAfterSeconds: 1 } });
    try {
      const server = app.getHttpServer() as Server;
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as { port: number };
      // A creation whose body has not all arrived yet holds the only slot.
      const held = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/tasks', headers: { 'Content-Type': 'application/json', 'Content-Length': '16' } });
      const heldAnswer = new Promise<number>((resolve) => held.on('response', (response) => resolve(response.resume().statusCode!)));
      held.write('{"title":');
      await new Promise((resolve) => setTimeout(resolve, 100));

      const shed = await request(server).get('/tasks').expect(503);
      expect(shed.headers['retry-after']).toBe('1');
      expect(shed.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(shed.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable' });

      held.end('"held"}');
      expect(await heldAnswer).toBe(201);
      const samples = parseExposition((await request(server).get('/metrics').expect(200)).text);
      expect(value(samples, 'taskflow_http_requests_shed_total')).toBe(1);
    } finally {
      await app.close();
    }
  });
});

describe('GET /metrics access', () => {
  const apps: NestExpressApplication[] = [];
  const start = async (config: Parameters<typeof createObservedApp>[0]) => {
    const app = await createObservedApp(config);
    apps.push(app);
    return request(app.getHttpServer());
  };
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
  });

  it('asks for METRICS_TOKEN as a bearer token when it is set', async () => {
    const http = await start({ config: { metricsToken: TOKEN } });
    const missing = await http.get('/metrics').expect(401);
    expect(missing.headers['www-authenticate']).toBe('Bearer realm="metrics"');
    expect(missing.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
    const wrong = await http.get('/metrics').set('Authorization', `Bearer ${TOKEN}x`).expect(401);
    expect(wrong.headers['www-authenticate']).toBe('Bearer realm="metrics", error="invalid_token"');
    await http.get('/metrics').set('Authorization', `Basic ${TOKEN}`).expect(401);
    const right = await http.get('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(200);
    expect(right.text).toContain('taskflow_http_request_duration_seconds');
  });

  it('is 404 in production without a token, and served with one', async () => {
    const open = await start({ config: { environment: 'production' } });
    const refused = await open.get('/metrics').expect(404);
    expect(refused.body).toMatchObject({ statusCode: 404, error: 'Not Found', message: 'Cannot GET /metrics' });
    const guarded = await start({ config: { environment: 'production', metricsToken: TOKEN } });
    await guarded.get('/metrics').expect(401);
    await guarded.get('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(200);
  });

  it('is left out of the OpenAPI document', async () => {
    const http = await start({});
    const document = await http.get('/openapi.json').expect(200);
    expect(Object.keys(document.body.paths)).not.toContain('/metrics');
  });
});
