#!/usr/bin/env node
// Does locally what Render does with render.yaml, from a fresh clone of the committed tree, for every environment
// of the Blueprint (production and staging): builds and starts the backend exactly as the Blueprint says against a
// new PostgreSQL database, signs in as the first admin with the generated SETUP_TOKEN, proves the data survives a
// SIGTERM and a restart, then builds the static site with its envVars and serves it with its rewrites.
// Prints one `PASS <check>` / `FAIL <check>` line per check and exits non-zero if any failed.
//
// Environment: SMOKE_ADMIN_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) is the server the
// throw-away database is created on; SMOKE_KEEP=1 keeps the temporary folder for debugging.

import { spawn, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { createServer as createHttpServer, request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { parse } from 'yaml';

const SOURCE_REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
const ADMIN_DATABASE_URL = process.env.SMOKE_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const TIMEOUTS = {
  build: 15 * 60_000,
  healthy: 120_000,
  request: 10_000,
  // Render waits 30 s after SIGTERM before it sends SIGKILL.
  shutdown: 30_000,
};
const SMOKE_ID = randomBytes(4).toString('hex');

/** Stands in for the values Render asks for (sync: false) in one environment. */
function promptedValues(environment) {
  const site = environment.services.find((candidate) => candidate.runtime === 'static');
  return {
    // The static site's Render host, as docs/DEPLOY.md tells people to enter it.
    CORS_ORIGINS: `${site?.name ?? 'taskflow-frontend'}.onrender.com`,
    // Error tracking stays off in the smoke test: an empty value is "unset".
    SENTRY_DSN: '',
    VITE_SENTRY_DSN: '',
    // Email stays off too (an empty SMTP_URL sends nothing; the other two are needed only with it).
    SMTP_URL: '',
    EMAIL_FROM: '',
    APP_URL: `https://${site?.name ?? 'taskflow-frontend'}.onrender.com`,
  };
}

const SMOKE_ADMIN = { email: 'smoke-admin@example.test', name: 'Smoke Admin', password: `smoke-${SMOKE_ID}-password` };

const TASK_FIELDS = ['title', 'description', 'status', 'priority', 'assignee', 'due_date', 'created_at', 'updated_at'];

const startedAt = Date.now();
const results = [];
const children = new Set();
let workDir;
const smokeDatabases = [];
/** Authorization header of the current environment's admin; empty while accounts are off or absent. */
let authHeaders = {};

function log(message) {
  process.stderr.write(`[smoke ${((Date.now() - startedAt) / 1000).toFixed(0).padStart(4)}s] ${message}\n`);
}

function report(check, error) {
  results.push({ check, passed: !error });
  console.log(error ? `FAIL ${check}: ${error}` : `PASS ${check}`);
}

/**
 * Runs checks in order; once one fails, the rest depend on it, so they are reported as not run (and failed)
 * rather than silently left out.
 */
async function runChecks(checks) {
  let blocker;
  for (const [check, run] of checks) {
    if (blocker) {
      report(check, `not run because "${blocker}" failed`);
      continue;
    }
    try {
      await run();
      report(check);
    } catch (error) {
      report(check, error instanceof Error ? error.message : String(error));
      blocker = check;
    }
  }
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

// ---- processes -------------------------------------------------------------------------------------------

/** Starts `bash -c <command>` in its own process group, as Render runs commands, logging to a file. */
function startCommand(name, command, { cwd, env }) {
  const logPath = join(workDir, 'logs', `${name}.log`);
  const logFile = createWriteStream(logPath);
  const child = spawn('bash', ['-c', command], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  // The first error lines usually name the cause (npm prints its usage text after them); the tail shows the end.
  const firstErrors = [];
  const tail = [];
  const keep = (chunk) => {
    logFile.write(chunk);
    const lines = chunk.toString().split('\n').filter(Boolean);
    firstErrors.push(...lines.filter((line) => /\berr(or)?\b/i.test(line)).slice(0, 8 - firstErrors.length));
    tail.push(...lines);
    tail.splice(0, Math.max(0, tail.length - 12));
  };
  const excerpt = () => {
    const earlier = firstErrors.filter((line) => !tail.includes(line));
    return [...earlier, ...(earlier.length ? ['...'] : []), ...tail].join('\n      ');
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => {
    child.on('close', (code, signal) => {
      children.delete(child);
      logFile.end();
      resolve({ code, signal });
    });
  });
  children.add(child);
  return { child, exited, logPath, tail: excerpt };
}

function signalGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}

function timeout(ms, message) {
  let timer;
  const promise = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

/** Runs a command to completion within `ms`; throws with the log's last lines when it fails. */
async function runCommand(name, command, options, ms) {
  log(`${name}: ${command}  (in ${relative(workDir, options.cwd) || '.'})`);
  const proc = startCommand(name, command, options);
  const limit = timeout(ms, `${name} did not finish within ${ms / 1000} s`);
  try {
    const { code, signal } = await Promise.race([proc.exited, limit.promise]);
    if (code !== 0) {
      throw new Error(`${name} exited with ${signal ?? code}; log ${proc.logPath}:\n      ${proc.tail()}`);
    }
  } catch (error) {
    signalGroup(proc.child, 'SIGKILL');
    throw error;
  } finally {
    limit.cancel();
  }
}

async function stopWithSigterm(proc) {
  signalGroup(proc.child, 'SIGTERM');
  const limit = timeout(TIMEOUTS.shutdown, `still running ${TIMEOUTS.shutdown / 1000} s after SIGTERM`);
  try {
    const { code, signal } = await Promise.race([proc.exited, limit.promise]);
    const how = signal ? `was killed by ${signal}: SIGTERM is not handled` : `exited with code ${code} after SIGTERM`;
    assert(code === 0, `${how}, expected a drain and exit code 0; last lines:\n      ${proc.tail()}`);
  } finally {
    limit.cancel();
    signalGroup(proc.child, 'SIGKILL');
  }
}

function killAll() {
  for (const child of children) signalGroup(child, 'SIGKILL');
}

// ---- HTTP ------------------------------------------------------------------------------------------------

async function request(baseUrl, method, path, { body, headers } = {}) {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...(body ? { 'Content-Type': 'application/json' } : {}), ...authHeaders, ...headers },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(TIMEOUTS.request),
  });
  const text = await response.text();
  let json;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, json, text };
}

/** Polls the health check until it answers 200 healthy, the process exits, or the time is up. */
async function waitHealthy(proc, baseUrl, healthPath) {
  const deadline = Date.now() + TIMEOUTS.healthy;
  let exited = false;
  proc.exited.then(() => {
    exited = true;
  });
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (exited) throw new Error(`the process exited before ${healthPath} answered; last lines:\n      ${proc.tail()}`);
    try {
      const health = await request(baseUrl, 'GET', healthPath);
      if (health.status === 200 && health.json?.status === 'healthy') return health.json;
      last = `${health.status} ${health.text.slice(0, 200)}`;
    } catch (error) {
      last = error.cause?.code ?? error.message;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(
    `${healthPath} not healthy within ${TIMEOUTS.healthy / 1000} s (last: ${last}); last lines:\n      ${proc.tail()}`,
  );
}

/**
 * Sends the headers and half the body of a POST now and the rest on `finish()`: the request is in flight
 * (accepted, handler waiting for its body) for as long as the caller likes, e.g. across a SIGTERM.
 */
function startSlowPost(port, path, body) {
  const payload = Buffer.from(JSON.stringify(body));
  const half = Math.floor(payload.length / 2);
  const req = httpRequest({
    host: '127.0.0.1',
    port,
    path,
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Content-Length': payload.length, ...authHeaders },
    timeout: TIMEOUTS.shutdown,
  });
  const response = new Promise((resolve, reject) => {
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode, text }));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('no answer')));
  });
  req.write(payload.subarray(0, half));
  return { response, finish: () => req.end(payload.subarray(half)) };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '0.0.0.0', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function externalIPv4() {
  for (const addresses of Object.values(networkInterfaces())) {
    const found = addresses?.find((address) => address.family === 'IPv4' && !address.internal);
    if (found) return found.address;
  }
  return undefined;
}

// ---- environment and database ------------------------------------------------------------------------------

/**
 * The environment Render would give a command: this machine's PATH, HOME and npm settings, without what
 * `npm run` or the caller's shell adds (which would point npm at this checkout or set values render.yaml owns).
 */
function baseEnvironment() {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^npm_(lifecycle_|package_|command$|execpath$|node_execpath$|config_local_prefix$)/.test(key)) delete env[key];
  }
  const ownedByTheBlueprint = [
    'NODE_ENV', 'PORT', 'DATABASE_URL', 'TEST_DATABASE_URL', 'CORS_ORIGINS', 'VITE_API_URL', 'AUTH_MODE', 'JWT_SECRET',
    'SETUP_TOKEN', 'TRUST_PROXY', 'SENTRY_DSN', 'SENTRY_ENVIRONMENT', 'METRICS_TOKEN', 'VITE_SENTRY_DSN',
    'VITE_SENTRY_ENVIRONMENT', 'LOG_LEVEL', 'REGISTRATION',
  ];
  for (const key of ['INIT_CWD', ...ownedByTheBlueprint]) delete env[key];
  env.PATH = (env.PATH ?? '')
    .split(':')
    .filter((entry) => !entry.startsWith(join(SOURCE_REPO, 'node_modules')))
    .join(':');
  // Speed only: reuse the local npm cache and skip network extras; what gets installed does not change.
  Object.assign(env, {
    npm_config_prefer_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  });
  return env;
}

/** Resolves a service's envVars the way Render would, with local stand-ins for the database and prompts. */
function serviceEnvironment(service, databaseUrl, prompted) {
  const env = baseEnvironment();
  for (const variable of service.envVars ?? []) {
    if (variable.value !== undefined) env[variable.key] = String(variable.value);
    else if (variable.fromDatabase?.property === 'connectionString') env[variable.key] = databaseUrl;
    else if (variable.generateValue) env[variable.key] = randomBytes(32).toString('base64');
    else if (variable.sync === false) {
      assert(variable.key in prompted, `no local value for the prompted variable ${variable.key}`);
      env[variable.key] = prompted[variable.key];
    } else throw new Error(`envVar ${variable.key} has a form this script does not emulate`);
  }
  return env;
}

async function withAdminClient(run) {
  const client = new pg.Client({ connectionString: ADMIN_DATABASE_URL, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

async function createDatabase(environmentName) {
  const name = `taskflow_smoke_${SMOKE_ID}_${environmentName.replace(/\W+/g, '_')}`;
  await withAdminClient((client) => client.query(`CREATE DATABASE ${name}`));
  smokeDatabases.push(name);
  return smokeDatabaseUrl(name);
}

function smokeDatabaseUrl(name) {
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function dropDatabases() {
  for (const name of smokeDatabases.splice(0)) {
    // FORCE ends connections a killed backend may have left behind.
    await withAdminClient((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    log(`dropped database ${name}`);
  }
}

// ---- the checks ----------------------------------------------------------------------------------------------

function cloneCommittedTree(name) {
  const clone = join(workDir, name);
  execFileSync('git', ['clone', '--quiet', '--no-hardlinks', SOURCE_REPO, clone], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const commit = execFileSync('git', ['-C', clone, 'log', '-1', '--format=%h %s'], { encoding: 'utf8' }).trim();
  log(`cloned ${commit}`);
  const dirty = execFileSync('git', ['-C', SOURCE_REPO, 'status', '--porcelain'], { encoding: 'utf8' }).trim();
  if (dirty) log('note: the working tree has uncommitted changes; only committed files are tested');
  return clone;
}

/** Render installs the NODE_VERSION it is given; here the machine's Node must already be that major. */
function assertNodeVersion(env) {
  assert(env.NODE_VERSION, 'NODE_VERSION is not set in render.yaml');
  const major = execFileSync('node', ['--version'], { env, encoding: 'utf8' }).trim().replace(/^v/, '').split('.')[0];
  const wanted = String(env.NODE_VERSION).split('.')[0];
  assert(major === wanted, `node on PATH is ${major}, render.yaml's NODE_VERSION is ${env.NODE_VERSION}`);
}

/**
 * With accounts on (AUTH_MODE=required), creates the first admin with the SETUP_TOKEN the Blueprint generated and
 * keeps its access token for the task requests; with accounts off or absent (an older tree), nothing is needed.
 */
async function signInAsFirstAdmin(baseUrl, env) {
  authHeaders = {};
  const status = await request(baseUrl, 'GET', '/auth/status');
  if (status.status === 404 || status.json?.auth_mode === 'off') return 'accounts are off';
  assert(status.status === 200, `GET /auth/status answered ${status.status} ${status.text.slice(0, 200)}`);
  assert(status.json?.setup_required === true, `set-up is not required on a new database: ${status.text.slice(0, 200)}`);
  assert(env.SETUP_TOKEN, 'accounts are required but render.yaml gives the backend no SETUP_TOKEN');
  const refused = await request(baseUrl, 'POST', '/tasks', { body: { title: 'Smoke: without a credential' } });
  assert(refused.status === 401, `POST /tasks without a credential answered ${refused.status}, expected 401`);
  const setup = await request(baseUrl, 'POST', '/auth/setup', { body: { setup_token: env.SETUP_TOKEN, ...SMOKE_ADMIN } });
  assert(setup.status === 201 && setup.json?.access_token, `POST /auth/setup answered ${setup.status} ${setup.text.slice(0, 300)}`);
  authHeaders = { Authorization: `Bearer ${setup.json.access_token}` };
  return 'signed in as the first admin';
}

async function checkBackend(clone, environment) {
  const service = environment.services.find((candidate) => candidate.type === 'web' && candidate.runtime === 'node');
  const label = service?.name ?? `${environment.name} backend`;
  const prompted = promptedValues(environment);
  const cwd = join(clone, service?.rootDir ?? '.');
  let env;
  let port;
  let secondPort;
  let baseUrl;
  let instances = [];
  let stopping;
  const created = [];
  const healthPath = service?.healthCheckPath ?? '/health';
  const database = service?.envVars?.find((variable) => variable.fromDatabase)?.fromDatabase.name ?? 'the database';

  const start = async (name, instancePort) => {
    const proc = startCommand(name, service.startCommand, { cwd, env: { ...env, PORT: String(instancePort) } });
    log(`${name}: ${service.startCommand}  (PORT=${instancePort}, pid ${proc.child.pid})`);
    return proc;
  };

  await runChecks([
    [`${label}: render.yaml declares a node web service with build and start commands`, () => {
      assert(service, 'no service with type web and runtime node');
      assert(service.buildCommand && service.startCommand, 'buildCommand or startCommand missing');
    }],
    [`${label}: a new PostgreSQL database stands in for ${database}`, async () => {
      env = serviceEnvironment(service, await createDatabase(environment.name), prompted);
      log(`database ${smokeDatabases.at(-1)}; NODE_ENV=${env.NODE_ENV}, CORS_ORIGINS=${env.CORS_ORIGINS}`);
    }],
    [`${label}: local Node major equals NODE_VERSION`, () => assertNodeVersion(env)],
    [`${label}: buildCommand succeeds`, () => {
      return runCommand(`${label}-build`, service.buildCommand, { cwd, env }, TIMEOUTS.build);
    }],
    // Two instances at once on an empty database is the worst case for start-up migrations (Render overlaps
    // the old and new instance during a deploy): both must migrate safely and serve.
    [`${label}: two instances started together on the new database both become healthy at ${healthPath}`, async () => {
      port = await freePort();
      secondPort = await freePort();
      baseUrl = `http://127.0.0.1:${port}`;
      instances = [await start(`${label}-start-1a`, port), await start(`${label}-start-1b`, secondPort)];
      await Promise.all([
        waitHealthy(instances[0], baseUrl, healthPath),
        waitHealthy(instances[1], `http://127.0.0.1:${secondPort}`, healthPath),
      ]);
    }],
    [`${label}: /health reports the connected database and environment "production"`, async () => {
      const health = await request(baseUrl, 'GET', healthPath);
      assert(health.json?.database === 'connected', `database is ${JSON.stringify(health.json?.database)}`);
      const environment = health.json?.environment;
      assert(environment === env.NODE_ENV, `environment is ${JSON.stringify(environment)}, NODE_ENV ${env.NODE_ENV}`);
    }],
    [`${label}: listens on all interfaces, not only on localhost`, async () => {
      const address = externalIPv4();
      if (!address) return log('no external IPv4 address on this machine; checked 127.0.0.1 only');
      const health = await request(`http://${address}:${port}`, 'GET', healthPath);
      assert(health.status === 200, `GET http://${address}:${port}${healthPath} answered ${health.status}`);
    }],
    [`${label}: GET / answers the welcome message`, async () => {
      const root = await request(baseUrl, 'GET', '/');
      const welcome = root.status === 200 && typeof root.json?.message === 'string';
      assert(welcome, `GET / answered ${root.status} ${root.text.slice(0, 200)}`);
    }],
    [`${label}: CORS allows the static site's origin given as a bare host in CORS_ORIGINS`, async () => {
      const origin = `https://${prompted.CORS_ORIGINS}`;
      const response = await request(baseUrl, 'GET', healthPath, { headers: { Origin: origin } });
      const allowed = response.headers.get('access-control-allow-origin');
      assert(allowed === origin, `Access-Control-Allow-Origin is ${JSON.stringify(allowed)}, expected ${origin}`);
    }],
    [`${label}: the first admin signs in with the generated SETUP_TOKEN (when accounts are on)`, async () => {
      log(await signInAsFirstAdmin(baseUrl, env));
    }],
    [`${label}: GET /metrics wants the generated METRICS_TOKEN (when set) and serves Prometheus text`, async () => {
      if (!env.METRICS_TOKEN) return log('render.yaml sets no METRICS_TOKEN: production answers 404 on /metrics');
      const refused = await request(baseUrl, 'GET', '/metrics', { headers: { Authorization: '' } });
      assert(refused.status === 401, `GET /metrics without the token answered ${refused.status}, expected 401`);
      const metrics = await request(baseUrl, 'GET', '/metrics', { headers: { Authorization: `Bearer ${env.METRICS_TOKEN}` } });
      assert(metrics.status === 200, `GET /metrics with the token answered ${metrics.status}`);
      assert(metrics.text.includes('taskflow_http_request_duration_seconds_count'), 'no request histogram in /metrics');
    }],
    [`${label}: POST /tasks creates tasks`, async () => {
      const tasks = [
        { title: 'Smoke: plain task' },
        {
          title: 'Smoke: ünïcödé ✅ and an emoji 🚀',
          description: 'survives a restart',
          priority: 'high',
          status: 'in_progress',
        },
        { title: 'Smoke: with a due date', assignee: 'render', due_date: '2026-12-01T09:30:00Z', priority: 'low' },
      ];
      for (const task of tasks) {
        const response = await request(baseUrl, 'POST', '/tasks', { body: task });
        const ok = response.status === 201 && response.json?.id;
        assert(ok, `POST /tasks answered ${response.status} ${response.text.slice(0, 300)}`);
        created.push(response.json);
      }
    }],
    [`${label}: the second instance sees the same tasks`, async () => {
      const secondUrl = `http://127.0.0.1:${secondPort}`;
      for (const task of created) {
        const response = await request(secondUrl, 'GET', `/tasks/${task.id}`);
        assert(response.status === 200, `GET /tasks/${task.id} on the second instance answered ${response.status}`);
      }
    }],
    // Render sends SIGTERM to the old instance while requests may still be running on it.
    [`${label}: a request in flight at SIGTERM still completes (201)`, async () => {
      const task = { title: 'Smoke: created while the instance was stopping' };
      const slow = startSlowPost(port, '/tasks', task);
      await new Promise((resolve) => setTimeout(resolve, 300));
      stopping = Promise.all(instances.map((proc) => stopWithSigterm(proc)));
      // Awaited by the next check; marked handled so a failure here cannot crash the script first.
      stopping.catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 500));
      slow.finish();
      const response = await slow.response.catch((error) => ({ status: 0, text: error.code ?? error.message }));
      assert(response.status === 201, `the in-flight POST got ${response.status} ${response.text.slice(0, 200)}`);
      created.push(JSON.parse(response.text));
    }],
    [`${label}: both instances exit 0 on SIGTERM within ${TIMEOUTS.shutdown / 1000} s`, () => stopping],
    [`${label}: startCommand starts again on the migrated database`, async () => {
      instances = [await start(`${label}-start-2`, port)];
      await waitHealthy(instances[0], baseUrl, healthPath);
    }],
    [`${label}: every task is still there after the restart, unchanged`, async () => {
      const list = await request(baseUrl, 'GET', '/tasks?limit=1000');
      assert(list.status === 200 && Array.isArray(list.json), `GET /tasks answered ${list.status}`);
      for (const task of created) {
        const found = list.json.find((candidate) => candidate.id === task.id);
        assert(found, `task ${task.id} (${task.title}) is missing after the restart`);
        for (const field of TASK_FIELDS) {
          assert(
            JSON.stringify(found[field]) === JSON.stringify(task[field]),
            `task ${task.id} ${field} was ${JSON.stringify(task[field])}, now ${JSON.stringify(found[field])}`,
          );
        }
      }
    }],
    [`${label}: exits 0 on SIGTERM after the restart`, () => stopWithSigterm(instances[0])],
  ]);
}

function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

/**
 * Serves a published folder as Render serves a static site: files as they are, else the first matching route
 * (a rewrite to a full URL is proxied, with the backend's Render URL mapped to the local instance).
 */
function serveStaticSite(publishDir, routes, backendUrls) {
  const server = createHttpServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://site').pathname);
    const file = join(publishDir, path);
    if (file.startsWith(publishDir) && existsSync(file) && statSync(file).isFile()) {
      res.writeHead(200).end(readFileSync(file));
      return;
    }
    for (const route of routes ?? []) {
      const prefix = route.source.replace(/\*$/, '');
      if (!(route.source.endsWith('*') ? path.startsWith(prefix) : path === route.source)) continue;
      const rest = route.source.endsWith('*') ? path.slice(prefix.length) : '';
      const destination = route.destination.replace('*', rest);
      if (!/^https?:\/\//.test(destination)) {
        res.writeHead(200).end(readFileSync(join(publishDir, destination)));
        return;
      }
      const target = new URL(destination);
      const local = backendUrls.get(target.origin);
      if (!local) {
        res.writeHead(502).end(`no local stand-in for ${target.origin}`);
        return;
      }
      const chunks = [];
      for await (const chunk of req) chunks.push(chunk);
      const { host: _host, ...headers } = req.headers;
      const upstream = await fetch(`${local}${target.pathname}${new URL(req.url, 'http://site').search}`, {
        method: req.method,
        headers,
        body: chunks.length ? Buffer.concat(chunks) : undefined,
      });
      res.writeHead(upstream.status, Object.fromEntries(upstream.headers));
      res.end(Buffer.from(await upstream.arrayBuffer()));
      return;
    }
    res.writeHead(404).end();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function checkStaticSite(clone, environment) {
  const site = environment.services.find((candidate) => candidate.runtime === 'static');
  const backendService = environment.services.find((candidate) => candidate.runtime === 'node');
  const label = site?.name ?? `${environment.name} static site`;
  const cwd = join(clone, site?.rootDir ?? '.');
  let env;
  let publishDir;

  await runChecks([
    [`${label}: render.yaml declares a static site with a build command and publish path`, () => {
      assert(site, 'no service with runtime static');
      assert(site.buildCommand && site.staticPublishPath, 'buildCommand or staticPublishPath missing');
    }],
    [`${label}: ${site?.rootDir ?? '.'}/package.json has a build script`, () => {
      const manifest = join(cwd, 'package.json');
      assert(existsSync(manifest), `${relative(clone, manifest)} is not in the committed tree`);
      const scripts = JSON.parse(readFileSync(manifest, 'utf8')).scripts ?? {};
      assert(scripts.build, `${relative(clone, manifest)} has no "build" script`);
      assert(existsSync(join(cwd, 'package-lock.json')), `no package-lock.json next to it, which npm ci needs`);
    }],
    [`${label}: buildCommand succeeds with the Blueprint's envVars`, async () => {
      env = serviceEnvironment(site, undefined, promptedValues(environment));
      if (env.NODE_VERSION) assertNodeVersion(env);
      await runCommand(`${label}-build`, site.buildCommand, { cwd, env }, TIMEOUTS.build);
    }],
    [`${label}: ${site?.rootDir ?? '.'}/${site?.staticPublishPath}/index.html exists`, () => {
      publishDir = join(cwd, site.staticPublishPath);
      assert(existsSync(join(publishDir, 'index.html')), `${relative(clone, publishDir)}/index.html was not built`);
    }],
    [`${label}: rewrites /api/* to ${backendService?.name ?? 'its backend'}'s Render URL, before the app-shell catch-all`, () => {
      const routes = site.routes ?? [];
      const api = routes.findIndex((route) => route.source === '/api/*');
      const shell = routes.findIndex((route) => route.source === '/*');
      assert(api >= 0, 'no rewrite for /api/*');
      assert(shell < 0 || api < shell, '/api/* comes after the /* catch-all, which would answer it with index.html');
      const wanted = `https://${backendService?.name}.onrender.com/*`;
      assert(routes[api].destination === wanted, `/api/* goes to ${routes[api].destination}, expected ${wanted}`);
    }],
    [`${label}: the built app calls the API under /api on its own origin`, () => {
      const scripts = filesUnder(publishDir).filter((path) => path.endsWith('.js'));
      assert(scripts.length > 0, 'no .js files were built');
      const found = scripts.some((path) => /["'`]\/api["'`/]/.test(readFileSync(path, 'utf8')));
      assert(found, `none of ${scripts.length} .js files refers to /api`);
    }],
    [`${label}: served with its routes, it answers a deep link with the app and /api/health from the backend`, async () => {
      const backendEnv = serviceEnvironment(backendService, `postgres://unused/${environment.name}`, promptedValues(environment));
      backendEnv.DATABASE_URL = smokeDatabaseUrl(smokeDatabases.at(-1));
      const port = await freePort();
      const proc = startCommand(`${label}-backend-for-rewrite`, backendService.startCommand, {
        cwd: join(clone, backendService.rootDir ?? '.'),
        env: { ...backendEnv, PORT: String(port) },
      });
      const local = `http://127.0.0.1:${port}`;
      let server;
      try {
        await waitHealthy(proc, local, backendService.healthCheckPath ?? '/health');
        server = await serveStaticSite(publishDir, site.routes, new Map([[`https://${backendService.name}.onrender.com`, local]]));
        const siteUrl = `http://127.0.0.1:${server.address().port}`;
        const deepLink = await request(siteUrl, 'GET', '/tasks?status=todo');
        assert(deepLink.status === 200 && deepLink.text.includes('<div id="root">'), `a deep link answered ${deepLink.status}`);
        const health = await request(siteUrl, 'GET', '/api/health');
        assert(health.status === 200 && health.json?.status === 'healthy', `/api/health answered ${health.status} ${health.text.slice(0, 200)}`);
        const authStatus = await request(siteUrl, 'GET', '/api/auth/status');
        assert([200, 404].includes(authStatus.status), `/api/auth/status answered ${authStatus.status}`);
      } finally {
        server?.close();
        await stopWithSigterm(proc);
      }
    }],
    [`${label}: built assets are content-hashed under the path render.yaml caches for a year`, () => {
      const cached = (site.headers ?? []).find(
        (header) => header.name.toLowerCase() === 'cache-control' && /immutable/.test(header.value),
      );
      assert(cached, 'render.yaml sets no immutable Cache-Control header');
      const folder = cached.path.replace(/^\/|\/\*$/g, '');
      const files = existsSync(join(publishDir, folder)) ? readdirSync(join(publishDir, folder)) : [];
      assert(files.length > 0, `nothing was built into ${folder}/, which ${cached.path} caches`);
      // Vite names them like index-BwQ3xK9a.js.
      const hashed = (name) =>
        /[.-][\w-]{8,}\.\w+$/.test(name) && !statSync(join(publishDir, folder, name)).isDirectory();
      const unhashed = files.filter((name) => !hashed(name));
      assert(unhashed.length === 0, `files under ${folder}/ without a hash would be cached for a year: ${unhashed}`);
    }],
    [`${label}: index.html has no inline script or style that render.yaml's Content-Security-Policy blocks`, () => {
      const policy = (site.headers ?? []).find((header) => header.name.toLowerCase() === 'content-security-policy');
      if (!policy) return;
      const html = readFileSync(join(publishDir, 'index.html'), 'utf8');
      const allows = (directive) => {
        const sources = policy.value.match(new RegExp(`(?:^|;)\\s*${directive}\\s+([^;]*)`))?.[1] ?? '';
        return sources.includes("'unsafe-inline'");
      };
      const inlineScripts = [...html.matchAll(/<script\b(?![^>]*\bsrc=)[^>]*>/gi)].length;
      const inlineStyles = [...html.matchAll(/<style\b|\sstyle="/gi)].length;
      assert(inlineScripts === 0 || allows('script-src'), `${inlineScripts} inline <script> blocked by script-src`);
      assert(inlineStyles === 0 || allows('style-src'), `${inlineStyles} inline styles blocked by style-src`);
    }],
  ]);
}

// ---- main --------------------------------------------------------------------------------------------------

async function cleanUp() {
  killAll();
  try {
    await dropDatabases();
  } catch (error) {
    log(`could not drop the smoke databases: ${error.message}`);
  }
  if (workDir && !process.env.SMOKE_KEEP) rmSync(workDir, { recursive: true, force: true });
  else if (workDir) log(`kept ${workDir}`);
}

async function main() {
  workDir = mkdtempSync(join(tmpdir(), 'taskflow-smoke-'));
  mkdirSync(join(workDir, 'logs'));
  let blueprint;
  let environments = [];
  await runChecks([
    ['render.yaml of the committed tree parses', () => {
      const committed = execFileSync('git', ['-C', SOURCE_REPO, 'show', 'HEAD:render.yaml'], { encoding: 'utf8' });
      blueprint = parse(committed);
      // Projects and environments (production, staging), or the flat layout of a single environment.
      environments = blueprint?.projects
        ? blueprint.projects.flatMap((project) => project.environments ?? [])
        : [{ name: 'default', services: blueprint?.services ?? [], databases: blueprint?.databases ?? [] }];
      assert(environments.length > 0 && environments.every((environment) => Array.isArray(environment.services)), 'render.yaml has no services');
    }],
  ]);
  // Each environment is played from its own fresh clone, as Render builds each service on its own.
  for (const environment of environments) {
    let clone;
    await runChecks([
      [`${environment.name}: fresh git clone of the committed tree`, () => {
        clone = cloneCommittedTree(`repo-${environment.name}`);
      }],
    ]);
    if (!clone) continue;
    await checkBackend(clone, environment);
    await checkStaticSite(clone, environment);
  }
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    log(`${signal} received, cleaning up`);
    cleanUp().finally(() => process.exit(130));
  });
}
// A crash must not leave servers running: they are in their own process groups, outside our own.
process.on('exit', killAll);

try {
  await main();
} catch (error) {
  report('smoke script ran to the end', error.stack ?? error.message);
} finally {
  await cleanUp();
}

const failed = results.filter((result) => !result.passed).length;
const seconds = ((Date.now() - startedAt) / 1000).toFixed(0);
const verdict = failed === 0 ? 'passed' : 'failed';
console.log(`RESULT ${verdict}: ${results.length - failed} of ${results.length} checks passed in ${seconds} s`);
process.exitCode = failed === 0 ? 0 : 1;
