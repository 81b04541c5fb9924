// `npm run bench`: loads the data sets, runs every scenario against the API's production build (accounts on, as
// in production) and the hand-written baselines in the same run, explains the API's PostgreSQL statements at
// 1,000,000 rows, and writes bench/RESULTS.md. `npm run bench -- --quick` is the CI smoke check: small data, short scenarios, report under
// bench/.data/, exit code 1 on any error or non-2xx answer. `--help` lists the other options.
import { fork, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, existsSync, cpSync, copyFileSync, rmSync, readdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import os from 'node:os';
import pg from 'pg';
import { productionNodeFlags, productionRuntimeEnv } from '../scripts/production-start.mjs';
import { openSqlite } from './lib/sqlite.mjs';
import { taskStream, createRandom, BENCH_PROJECTS, BENCH_LABELS, BENCH_MEMBERS } from './lib/datagen.mjs';
import { startWebhookReceiver } from './lib/webhooks.mjs';
import { openDatabase, recreateEmpty, databaseExists, pgUrl, sqliteUrl, poolTaskStream } from './lib/databases.mjs';
import { SCENARIOS, requestFactory } from './lib/scenarios.mjs';
import { BENCH_AUTH_ENV, benchCredentials, insertApiTokens } from './lib/auth.mjs';
import { encodeCursor } from './lib/cursor.mjs';
import { startServer } from './lib/server.mjs';
import { explainApiQueries } from './lib/explain.mjs';
import { renderReport, failures, consoleTable } from './lib/report.mjs';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(BENCH_DIR);
// Where data sets, the copied build and partial reports live, the PostgreSQL databases' name prefix and the first
// of the servers' ports: overridable so that two people on one machine can run the bench side by side.
const DATA_DIR = process.env.BENCH_DATA_DIR ? resolve(process.env.BENCH_DATA_DIR) : join(BENCH_DIR, '.data');
const DB_PREFIX = process.env.BENCH_DB_PREFIX ?? 'taskflow_bench_';
const PORT_BASE = Number(process.env.BENCH_PORT_BASE ?? 8301);
const GENERATOR_VERSION = 3; // bump when datagen changes, so cached data sets are reloaded
const SEED = 20261123;

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    datasets: { type: 'string' },
    scenarios: { type: 'string' },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    connections: { type: 'string', default: '32' },
    reload: { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
    'no-explain': { type: 'boolean', default: false },
    'baseline-only': { type: 'boolean', default: false },
    'cpu-prof': { type: 'boolean', default: false },
    'api-node-options': { type: 'string' },
    'report-only': { type: 'boolean', default: false },
    'no-mirror': { type: 'boolean', default: false },
    resume: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (flags.help) {
  console.log(`npm run bench -- [options]
  --quick              smoke check: ${'<'}3 min, 2,000-row data sets, 0.8 s scenarios; report in bench/.data/quick-results.md
  --no-mirror          skip the mirrored baseline (the API's own SQL and counters), which runs on pg-10k
  --datasets=a,b       subset of: sqlite-10k, pg-10k, pg-1m (quick: sqlite-quick, pg-quick)
  --scenarios=a,b      subset of: ${SCENARIOS.map((s) => s.key).join(', ')}
  --duration=S         seconds measured per scenario and server (default 8, quick 0.8)
  --warmup=S           warm-up seconds before each measurement (default 2, quick 0.2)
  --connections=N      concurrent connections (default 32; scenarios named -64 or -1 keep theirs)
  --reload             drop and reload the data sets even when a matching one exists
  --no-build           use the existing dist/ instead of running npm run build
  --no-explain         skip the EXPLAIN section
  --baseline-only      run the baseline alone (the API still creates the schema when a data set is built)
  --cpu-prof           start the API with --cpu-prof; profiles go to bench/.data/profiles/
  --api-node-options=S node flags for the API instead of render.yaml's (to try a fix)
  --report-only        rewrite bench/RESULTS.md from the last full run's figures (after editing bench/analysis.md)
  --resume             in a full run, keep each data set already measured with the same build and bench code
                       (bench/.data/runs/); the report says when each was measured
Any run other than the default full one writes its report under bench/.data/, never bench/RESULTS.md.`);
  process.exit(0);
}

const quick = flags.quick;
const DATASETS = quick
  ? [
    { key: 'sqlite-quick', kind: 'sqlite', rows: 2_000, file: join(DATA_DIR, 'sqlite-quick.db') },
    { key: 'pg-quick', kind: 'pg', rows: 2_000, database: `${DB_PREFIX}quick`, explain: true },
  ]
  : [
    { key: 'sqlite-10k', kind: 'sqlite', rows: 10_000, file: join(DATA_DIR, 'sqlite-10k.db') },
    { key: 'pg-10k', kind: 'pg', rows: 10_000, database: `${DB_PREFIX}10k`, mirror: true },
    { key: 'pg-1m', kind: 'pg', rows: 1_000_000, database: `${DB_PREFIX}1m`, explain: true },
  ];
const selectedDatasets = flags.datasets ? DATASETS.filter((d) => flags.datasets.split(',').includes(d.key)) : DATASETS;
const selectedScenarios = flags.scenarios ? SCENARIOS.filter((s) => flags.scenarios.split(',').includes(s.key)) : SCENARIOS;
const settings = {
  connections: Number(flags.connections),
  durationSeconds: Number(flags.duration ?? (quick ? 0.8 : 8)),
  warmupSeconds: Number(flags.warmup ?? (quick ? 0.2 : 2)),
  coldStarts: quick ? 1 : 3,
};
const isFullRun = !quick && !flags.datasets && !flags.scenarios && !flags.duration && !flags.warmup
  && settings.connections === 32 && !flags['baseline-only'] && !flags['no-explain'] && !flags['cpu-prof']
  && !flags['api-node-options'] && !flags['no-mirror'];
const reportFile = isFullRun ? join(BENCH_DIR, 'RESULTS.md')
  : join(DATA_DIR, quick ? 'quick-results.md' : 'partial-results.md');
const PORTS = { api: PORT_BASE, plain: PORT_BASE + 1, mirror: PORT_BASE + 2, open: PORT_BASE + 3, nest: PORT_BASE + 4 };
// The API runs from a copy of the build, so a rebuild in the working tree during a run cannot change or remove
// the code under test. Modules still resolve from the repository's node_modules, two levels up.
const APP_DIR = join(DATA_DIR, 'app');

const urlOf = (dataset) => (dataset.kind === 'pg' ? pgUrl(dataset.database) : sqliteUrl(dataset.file));

/** The API as production runs it (AUTH_MODE=required); `open` is the same build with AUTH_MODE=off. */
function apiServer(dataset, { port = PORTS.api, open = false } = {}) {
  const name = open ? 'open' : 'api';
  const profile = flags['cpu-prof']
    ? ['--cpu-prof', `--cpu-prof-dir=${join(DATA_DIR, 'profiles')}`, `--cpu-prof-name=${name}-${dataset.key}-${Date.now()}.cpuprofile`]
    : [];
  return {
    name,
    args: [...profile, ...(flags['api-node-options']?.split(' ').filter(Boolean) ?? productionNodeFlags()), join(BENCH_DIR, 'lib', 'run-api.mjs'),
      APP_DIR],
    // Webhook scenarios deliver to a receiver on 127.0.0.1, which webhooks may only reach when allowed.
    env: { NODE_ENV: 'production', ...productionRuntimeEnv(), DATABASE_URL: urlOf(dataset), LOG_LEVEL: 'warn', ...BENCH_AUTH_ENV,
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', ...(open ? { AUTH_MODE: 'off' } : {}) },
    port: open ? PORTS.open : port,
  };
}

/** `plain`: the straightforward baseline on plain_tasks; `mirror`: the API's SQL and counters on tasks. */
function baselineServer(dataset, kind) {
  return {
    name: kind,
    args: [join(BENCH_DIR, 'baseline', 'server.mjs')],
    env: { NODE_ENV: 'production', DATABASE_URL: urlOf(dataset), BASELINE: kind },
    port: PORTS[kind],
  };
}

/** `nest`: the plain NestJS + Express app, the same SQL as `plain` behind one controller and nothing else. */
function nestServer(dataset) {
  return {
    name: 'nest',
    args: [join(BENCH_DIR, 'baseline', 'nest-server.mjs')],
    env: { NODE_ENV: 'production', DATABASE_URL: urlOf(dataset) },
    port: PORTS.nest,
  };
}

/** The table each server writes to, for the delete scenario's pools. */
const tableOf = (name) => (name === 'plain' || name === 'nest' ? 'plain_tasks' : 'tasks');

function build() {
  if (!flags['no-build']) {
    console.log('$ npm run build');
    const result = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
    if (result.status !== 0) throw new Error('npm run build failed');
  }
  if (!existsSync(join(ROOT, 'dist', 'main.js'))) throw new Error('dist/main.js is missing: run npm run build');
  rmSync(APP_DIR, { recursive: true, force: true });
  cpSync(join(ROOT, 'dist'), join(APP_DIR, 'dist'), { recursive: true });
  // The API reads its version from package.json next to dist/.
  copyFileSync(join(ROOT, 'package.json'), join(APP_DIR, 'package.json'));
}

/** Creates the schema the way production does: the API runs its migrations at start-up. */
async function createSchema(dataset) {
  const api = await startServer(apiServer(dataset));
  await api.stop();
}

const markerFile = (dataset) => join(DATA_DIR, `${dataset.key}.json`);

/** A hash of the built migrations: a migration edited in place (not yet released) must also trigger a reload. */
/** A hash of the copied build and of the benchmark's own code: a checkpoint is only reused when both match. */
function buildHash() {
  const hash = createHash('sha256');
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.js') || entry.name.endsWith('.mjs')) hash.update(entry.name).update(readFileSync(path));
    }
  };
  walk(join(APP_DIR, 'dist'));
  for (const dir of [join(BENCH_DIR, 'lib'), join(BENCH_DIR, 'baseline')]) walk(dir);
  hash.update(readFileSync(join(BENCH_DIR, 'bench.mjs')));
  return hash.digest('hex').slice(0, 16);
}

const OUTAGE_CODES = new Set(['57P01', '57P02', '57P03', 'ECONNREFUSED', 'ECONNRESET']);
const isDatabaseOutage = (error) => OUTAGE_CODES.has(error?.code) || /ECONNREFUSED|terminating connection/.test(String(error?.message));

/**
 * Runs one data set's measurements, again from the start if PostgreSQL went away meanwhile (on this shared
 * machine other work restarts it), up to three times; the outages are noted in the result.
 */
async function measureDataset(dataset) {
  for (let attempt = 1; ; attempt++) {
    try {
      const { auth, ...run } = await benchDataset(dataset);
      const explain = dataset.explain && !flags['no-explain'] && !flags['baseline-only']
        // Plans are part of the report, not a pass/fail check: a server whose log cannot be read or whose
        // settings cannot be changed gets a note in the report instead of a failed run.
        ? await explainDataset(dataset, auth).then((explained) => ({ dataset, ...explained }), (error) => ({ dataset, error: error.message }))
        : null;
      return { run: { ...run, measuredAt: new Date().toISOString(), databaseOutages: attempt - 1 }, explain };
    } catch (error) {
      if (attempt >= 3 || !isDatabaseOutage(error)) throw error;
      console.log(`  PostgreSQL went away during ${dataset.key} (${error.message.split('\n')[0]}); waiting for it, then measuring ${dataset.key} again`);
      for (let i = 0; i < 120 && spawnSync('pg_isready', ['-h', '127.0.0.1', '-p', '5432', '-q']).status !== 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 2000));
      }
      await new Promise((resolve) => setTimeout(resolve, 5000));
    }
  }
}

function migrationsHash() {
  const dir = join(APP_DIR, 'dist', 'database', 'migrations');
  const hash = createHash('sha256');
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.js')).sort()) {
    hash.update(file).update(readFileSync(join(dir, file)));
  }
  return hash.digest('hex').slice(0, 16);
}

/** Reuses a loaded data set when nothing that shaped it has changed; otherwise recreates and reloads it. */
async function prepareDataset(dataset) {
  const marker = existsSync(markerFile(dataset)) ? JSON.parse(readFileSync(markerFile(dataset), 'utf8')) : null;
  if (!flags.reload && marker && (await databaseExists(dataset))) {
    const db = openDatabase(dataset);
    try {
      // Let the API apply any migration added since the load, then compare.
      await createSchema(dataset);
      await db.removeBenchRows();
      const [migrations, count] = [await db.migrations(), await db.count()];
      if (marker.generator === GENERATOR_VERSION && marker.rows === dataset.rows && count === dataset.rows
        && JSON.stringify(migrations) === JSON.stringify(marker.migrations) && marker.migrationsHash === migrationsHash()) {
        console.log(`  reusing ${dataset.key} (${count} rows, loaded ${marker.loadedAt}); --reload to rebuild`);
        if ((await db.count('plain_tasks')) !== dataset.rows) {
          console.log('  copying tasks to plain_tasks');
          await db.createPlainTable();
        }
        await db.analyze();
        return marker;
      }
    } catch {
      // Unreadable, half-built or not migratable: fall through and rebuild.
    } finally {
      await db.close();
    }
  }
  console.log(`  creating ${dataset.key}: empty database, schema from the API's migrations`);
  await recreateEmpty(dataset);
  await createSchema(dataset);
  const db = openDatabase(dataset);
  try {
    const started = performance.now();
    await db.insert(dataset.rows, taskStream(SEED), `loading ${dataset.key}`);
    console.log('  copying tasks to plain_tasks (the straightforward baseline\'s table)');
    await db.createPlainTable();
    console.log('  VACUUM / ANALYZE');
    await db.analyze();
    const loaded = {
      generator: GENERATOR_VERSION,
      rows: dataset.rows,
      migrations: await db.migrations(),
      migrationsHash: migrationsHash(),
      loadedAt: new Date().toISOString(),
      loadSeconds: Math.round((performance.now() - started) / 100) / 10,
    };
    writeFileSync(markerFile(dataset), JSON.stringify(loaded, null, 2));
    console.log(`  loaded ${dataset.rows} rows in ${loaded.loadSeconds} s`);
    return loaded;
  } finally {
    await db.close();
  }
}

/** CPU (ms) the database's backends spent between two readings; null on SQLite, whose work is in the server. */
function backendCpuDelta(before, after) {
  if (!before || !after) return null;
  let total = 0;
  for (const [pid, ms] of after) total += ms - (before.get(pid) ?? 0);
  return total;
}

/** Starts counting the server's and the database backends' CPU; the function returned says how many ms since. */
async function startCpuMeter(server, db) {
  const serverBefore = server.cpuMs();
  const databaseBefore = db.backendCpuMs ? await db.backendCpuMs() : null;
  return async () => server.cpuMs() - serverBefore + (backendCpuDelta(databaseBefore, db.backendCpuMs ? await db.backendCpuMs() : null) ?? 0);
}

function runScenario(server, port, scenario, fixtures, db) {
  return new Promise((resolve, reject) => {
    const worker = fork(join(BENCH_DIR, 'lib', 'load-worker.mjs'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let cpuBefore = 0;
    let databaseBefore = null;
    worker.on('message', async (message) => {
      if (message.type === 'warmed') {
        try {
          server.assertAlive();
          databaseBefore = db.backendCpuMs ? await db.backendCpuMs() : null;
          server.resetPeakRss();
          cpuBefore = server.cpuMs();
        } catch (error) {
          worker.kill();
          reject(error);
          return;
        }
        worker.send({ type: 'go' });
      } else if (message.type === 'result') {
        let cpu;
        let databaseCpu;
        try {
          server.assertAlive();
          cpu = server.cpuMs() - cpuBefore;
          databaseCpu = backendCpuDelta(databaseBefore, db.backendCpuMs ? await db.backendCpuMs() : null);
        } catch (error) {
          reject(error);
          return;
        }
        const result = message.result;
        const perRequest = (ms) => (result.requests && ms !== null ? ms / result.requests : null);
        resolve({ ...result, peakRssMb: server.peakRssMb(), cpuMsPerRequest: perRequest(cpu),
          databaseCpuMsPerRequest: perRequest(databaseCpu),
          totalCpuMsPerRequest: perRequest(cpu + (databaseCpu ?? 0)) });
      } else if (message.type === 'error') {
        reject(new Error(message.message));
      }
    });
    worker.once('exit', (code) => code !== 0 && reject(new Error(`load worker exited with ${code}`)));
    worker.send({
      url: `http://127.0.0.1:${port}`,
      scenario: scenario.key,
      connections: scenario.connections ?? settings.connections,
      warmupSeconds: settings.warmupSeconds,
      durationSeconds: settings.durationSeconds,
      seed: SEED,
      fixtures,
    });
  });
}

/**
 * Runs a scenario; if the server died meanwhile (on this shared machine something else may stop it), starts it
 * again and reruns the scenario once, noting the restart in the result so the report shows it.
 */
async function runWithRestart(servers, name, config, scenario, fixtures, db) {
  try {
    return await runScenario(servers[name], config.port, scenario, fixtures, db);
  } catch (error) {
    if (!servers[name].exited()) throw error;
    console.log(`  ${name} stopped during ${scenario.key} (${error.message.split('\n')[0]}); restarting it and rerunning`);
    servers[name] = { ...(await startServer(config)), port: config.port };
    const result = await runScenario(servers[name], config.port, scenario, fixtures, db);
    return { ...result, restarted: true };
  }
}

/** Spawns a server several times and keeps the last one; the median spawn-to-healthy time is its cold start. */
async function startMeasured(config, samplesWanted) {
  const samples = [];
  for (let i = 0; i < samplesWanted; i++) {
    const server = await startServer(config);
    samples.push(server.coldStartMs);
    if (i < samplesWanted - 1) await server.stop();
    else return { server, coldStartMs: [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)], samples };
  }
  throw new Error('unreachable');
}

const fmt = (n, digits = 1) => (n === null || n === undefined || Number.isNaN(n) ? '-' : n.toFixed(digits));

/**
 * Which servers answer a scenario, as [role in the report, server name]: the API variant the scenario names
 * (`open` is AUTH_MODE=off) as "api", then the baselines.
 */
function serversFor(scenario, available) {
  const api = scenario.api ?? 'api';
  const roles = [['api', api]];
  if (!scenario.apiOnly) {
    roles.push(['plain', 'plain'], ['nest', 'nest']);
    if (scenario.mirror && available.mirror) roles.push(['mirror', 'mirror']);
  }
  return roles.filter(([, name]) => available[name]);
}

const scenariosFor = (dataset) => selectedScenarios.filter((s) => !(s.smallOnly && dataset.rows > 100_000));
const RECHECK_TOKENS = 1000;

async function benchDataset(dataset) {
  console.log(`\n== ${dataset.key}: ${dataset.rows.toLocaleString('en-US')} tasks on ${dataset.kind === 'pg' ? 'PostgreSQL' : 'SQLite'}`);
  const load = await prepareDataset(dataset);
  const db = openDatabase(dataset);
  const ids = await db.sampleIds(2000);
  const positions = await db.positions(ids);
  const scenarios = scenariosFor(dataset);
  const servers = {};
  const coldStart = {};
  try {
    const configs = {
      plain: baselineServer(dataset, 'plain'),
      nest: nestServer(dataset),
      ...(dataset.mirror && !flags['no-mirror'] ? { mirror: baselineServer(dataset, 'mirror') } : {}),
      ...(flags['baseline-only'] ? {} : { api: apiServer(dataset) }),
      ...(flags['baseline-only'] || !scenarios.some((s) => s.api === 'open') ? {} : { open: apiServer(dataset, { open: true }) }),
    };
    for (const config of Object.values(configs)) {
      const measured = ['api', 'plain', 'nest'].includes(config.name);
      const started = await startMeasured(config, measured ? settings.coldStarts : 1);
      servers[config.name] = { ...started.server, port: config.port };
      coldStart[config.name] = { ms: started.coldStartMs, samples: started.samples };
      console.log(`  ${config.name} healthy after ${fmt(started.coldStartMs, 0)} ms (median of ${started.samples.length})`);
    }
    const auth = servers.api ? await benchCredentials(PORTS.api) : { accessToken: 'none', apiToken: 'none' };
    if (servers.api && scenarios.some((s) => s.key === 'get-recheck')) {
      await db.query("DELETE FROM api_tokens WHERE name LIKE 'bench re-check%'");
      auth.manyTokens = await insertApiTokens(db, auth.userId, RECHECK_TOKENS);
    }
    const fixtures = { ids, positions, auth, deleteIds: [], ...(servers.api ? await collaborationFixtures(db, ids, auth) : {}) };
    const results = {};
    for (const scenario of scenarios) {
      results[scenario.key] = {};
      const roles = serversFor(scenario, servers);
      const pools = scenario.key === 'delete' ? await deletePools(db, roles, results) : {};
      for (const [role, name] of roles) {
        await db.settle();
        const webhooks = scenario.webhooks ? await startWebhookReceiver(PORTS.api, auth.accessToken, scenario.webhooks, () => startCpuMeter(servers[name], db), db) : null;
        let result;
        try {
          result = await runWithRestart(servers, name, configs[name], scenario, { ...fixtures, deleteIds: pools[role] ?? [] }, db);
        } finally {
          if (webhooks) result = { ...result, webhooks: await webhooks.finish() };
        }
        results[scenario.key][role] = result;
        console.log(`  ${scenario.key.padEnd(11)} ${name.padEnd(6)} ${fmt(result.rps, 0).padStart(6)} req/s  ` +
          `p50 ${fmt(result.p50, 2).padStart(7)} ms  p99 ${fmt(result.p99, 2).padStart(7)} ms  ` +
          `errors ${result.errors}  non-2xx ${result.non2xx}  RSS ${fmt(result.peakRssMb, 0)} MB  ` +
          `CPU ${fmt(result.cpuMsPerRequest, 3)} + db ${fmt(result.databaseCpuMsPerRequest, 3)} ms/req`);
      }
    }
    // A wrong cursor page is reported (and fails the run) rather than losing the figures measured so far.
    const deepPages = servers.api ? await measureDeepPages(db, dataset, servers, auth).catch((error) => {
      console.log(`  deep pages: ${error.message}`);
      return { error: error.message };
    }) : null;
    for (const server of Object.values(servers)) {
      const stderr = server.stderr().trim();
      if (stderr) console.log(`  ${server.name} stderr (last lines):\n${stderr.split('\n').slice(-10).join('\n')}`);
    }
    return { dataset, load, coldStart, results, deepPages, auth };
  } finally {
    for (const server of Object.values(servers)) await server.stop();
    await db.removeBenchRows();
    await db.close();
  }
}

/**
 * Issue 16's and 17's fixtures: the data set's projects, labels and members (inserted now that the admin exists),
 * 200 tasks five members watch (commented on by `comment-create`) and 20 tasks with 50 comments each.
 */
async function collaborationFixtures(db, ids, auth) {
  await db.ensureMembers();
  const watchedTaskIds = ids.slice(0, 200);
  const commentedTaskIds = ids.slice(200, 220);
  await db.prepareComments({ watchedTaskIds, listedTaskIds: commentedTaskIds, authorId: auth.userId, perTask: 50 });
  return {
    projectKeys: ['TF', ...BENCH_PROJECTS.map((project) => project.key)],
    labelIds: BENCH_LABELS.map((label) => label.id),
    memberIds: BENCH_MEMBERS.map((member) => member.id),
    watchedTaskIds,
    commentedTaskIds,
  };
}

const DEEP_PAGE = 10_000;
const PAGE_SIZE = 50;

/**
 * One client, one request at a time: the first page, the 10,000th page of 50 (or the last page of a smaller data
 * set) by `skip`, and the same page by `cursor`. p50 of 30 requests each, on the API and the plain baseline.
 */
async function measureDeepPages(db, dataset, servers, auth) {
  const skip = Math.min((DEEP_PAGE - 1) * PAGE_SIZE, dataset.rows - PAGE_SIZE);
  const measured = { page: skip / PAGE_SIZE + 1 };
  for (const name of ['api', 'plain', 'nest']) {
    if (!servers[name]) continue;
    // The task just before the page, in the server's own table (the delete pools may have left rows in either).
    const [before] = await db.query(dataset.kind === 'pg'
      ? `SELECT id, created_at FROM ${tableOf(name)} ORDER BY created_at, id OFFSET $1 LIMIT 1`
      : `SELECT id, created_at FROM ${tableOf(name)} ORDER BY created_at, id LIMIT 1 OFFSET ?`, [skip - 1]);
    const createdAt = before.created_at instanceof Date ? before.created_at.toISOString() : `${before.created_at.replace(' ', 'T')}Z`;
    const pages = {
      first: `/tasks?limit=${PAGE_SIZE}`,
      offset: `/tasks?limit=${PAGE_SIZE}&skip=${skip}`,
      cursor: `/tasks?limit=${PAGE_SIZE}&cursor=${encodeCursor('created_at', 'asc', createdAt, before.id)}`,
    };
    measured[name] = {};
    let firstIds = null;
    for (const [kind, path] of Object.entries(pages)) {
      const times = [];
      for (let i = 0; i < 32; i++) {
        const started = performance.now();
        const response = await fetch(`http://127.0.0.1:${PORTS[name]}${path}`, { headers: { authorization: `Bearer ${auth.accessToken}` } });
        const body = await response.json();
        if (!response.ok) throw new Error(`${name} ${path}: HTTP ${response.status}`);
        if (i >= 2) times.push(performance.now() - started); // two warm-up requests
        if (i === 0 && kind !== 'first') {
          const ids = body.map((task) => task.id).join();
          if (firstIds !== null && ids !== firstIds) throw new Error(`${name}: the cursor page differs from the offset page`);
          firstIds = ids;
        }
      }
      times.sort((a, b) => a - b);
      measured[name][kind] = times[Math.floor(times.length / 2)];
    }
    console.log(`  deep page ${measured.page} ${name.padEnd(6)} first ${fmt(measured[name].first, 2)} ms  ` +
      `skip ${fmt(measured[name].offset, 2)} ms  cursor ${fmt(measured[name].cursor, 2)} ms`);
  }
  return measured;
}

/**
 * Ids for the delete scenario, each used once: the rows "create" just added, topped up with rows inserted by SQL.
 * The load worker stops at the pool's end, so a server that deletes faster than it writes is measured for less
 * than the scenario's duration rather than answered with 404s.
 */
async function deletePools(db, roles, results) {
  const seconds = settings.warmupSeconds + settings.durationSeconds;
  const pools = {};
  const taken = new Map();
  const listed = new Map();
  for (const [role, name] of roles) {
    const table = tableOf(name);
    // The measurement ends when the pool is used up (lib/load-worker.mjs), so the pool sets its length: sized from
    // the server's write rates, it lasts about the scenario's duration.
    const rate = Math.max(...['update', 'update-64', 'create', 'create-64'].map((key) => results[key]?.[role]?.rps ?? 0), 1000);
    const needed = Math.ceil(rate * seconds * 1.5);
    const offset = taken.get(table) ?? 0;
    // Listed once per table and only ever appended to: plain and plain Nest share plain_tasks, and a second listing
    // may come back in another order (no ORDER BY), which would hand the second server ids the first one deletes.
    if (!listed.has(table)) listed.set(table, await db.benchRowIds(table));
    let available = listed.get(table);
    if (available.length < offset + needed) {
      await db.insert(offset + needed - available.length, poolTaskStream(SEED + available.length), `delete pool (${table})`,
        { keepIndexes: true, table });
      const known = new Set(available);
      available = [...available, ...(await db.benchRowIds(table)).filter((id) => !known.has(id))];
      listed.set(table, available);
    }
    pools[role] = available.slice(offset, offset + needed);
    taken.set(table, offset + needed);
  }
  return pools;
}

// Scenarios whose statements the EXPLAIN section shows: one of each kind of request the API answers.
const EXPLAINED = ['get', 'list', 'list-cursor', 'filtered', 'list-project', 'list-label', 'list-assignee', 'comment-list',
  'search', 'count', 'stats', 'health', 'update', 'create', 'create-labels', 'comment-create', 'delete'];

async function explainDataset(dataset, auth) {
  console.log(`\n== EXPLAIN of the API's statements on ${dataset.key}`);
  const db = openDatabase(dataset);
  // Enough ids for the comment fixtures (200 watched tasks, then 20 commented ones).
  const ids = await db.sampleIds(240);
  const positions = await db.positions(ids);
  const fixtures = { ids, positions, auth, deleteIds: [], cursor: 0, deleteCursor: 0, tokenCursor: 0,
    ...(await collaborationFixtures(db, ids, auth)) };
  await db.close();
  const random = createRandom(SEED);
  const port = PORTS.api;
  const probe = async (key) => {
    const request = requestFactory(key, fixtures, random)();
    const response = await fetch(`http://127.0.0.1:${port}${request.path}`,
      { method: request.method, headers: request.headers, body: request.body });
    const text = await response.text();
    if (key === 'create' && response.status === 201) fixtures.deleteIds.push(JSON.parse(text).id);
    return response.status;
  };
  const explained = await explainApiQueries({
    databaseUrl: urlOf(dataset),
    database: dataset.database,
    scenarios: selectedScenarios.filter((s) => EXPLAINED.includes(s.key)),
    startApi: () => startServer(apiServer(dataset, { port })),
    probe,
  });
  const cleanup = openDatabase(dataset);
  await cleanup.removeBenchRows();
  await cleanup.close();
  for (const result of explained.results ?? []) {
    console.log(`  ${result.scenario.key}: ${result.statements.length} statements (HTTP ${result.status})`);
  }
  return explained;
}

async function environment() {
  const client = new pg.Client({ connectionString: pgUrl('postgres') });
  await client.connect();
  const postgres = (await client.query('SHOW server_version')).rows[0].server_version;
  await client.end();
  const memory = openSqlite(':memory:');
  const sqlite = memory.prepare('SELECT sqlite_version() AS v').get().v;
  memory.close();
  const git = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }).stdout?.toString().trim();
  return {
    date: new Date().toISOString(),
    machine: `${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores (shared), ${Math.round(os.totalmem() / 2 ** 30)} GB RAM, ${os.type()} ${os.release()}`,
    node: process.version,
    postgres,
    sqlite,
    git,
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
  };
}

/**
 * Writes a report; in RESULTS.md the sections other scripts write are kept as they were: cold start under CPU
 * quotas (`npm run bench:cold-start -- --write`) and live events (`npm run bench:streams -- --write`).
 */
function writeReport(file, report) {
  const current = existsSync(file) && file.endsWith('RESULTS.md') ? readFileSync(file, 'utf8') : '';
  const kept = ['COLD-START', 'STREAMS']
    .map((name) => current.match(new RegExp(`<!-- ${name}:BEGIN[\\s\\S]*?<!-- ${name}:END -->`))?.[0])
    .filter(Boolean);
  writeFileSync(file, [report.trimEnd(), ...kept].join('\n\n') + '\n');
}

async function main() {
  mkdirSync(DATA_DIR, { recursive: true });
  if (flags['report-only']) {
    const last = JSON.parse(readFileSync(join(DATA_DIR, 'last-results.json'), 'utf8'));
    writeReport(join(BENCH_DIR, 'RESULTS.md'), renderReport({ ...last, quick: false }));
    console.log(`Report rewritten from the run of ${last.env.date}`);
    return;
  }
  const started = performance.now();
  const env = await environment();
  console.log(`TaskFlow benchmark (${quick ? 'quick' : 'full'}): ${selectedDatasets.map((d) => d.key).join(', ')}; ` +
    `${settings.connections} connections, ${settings.warmupSeconds} s warm-up + ${settings.durationSeconds} s per scenario`);
  build();
  const runs = [];
  const explains = [];
  const buildId = buildHash();
  mkdirSync(join(DATA_DIR, 'runs'), { recursive: true });
  for (const dataset of selectedDatasets) {
    const checkpoint = join(DATA_DIR, 'runs', `${dataset.key}.json`);
    const saved = flags.resume && isFullRun && existsSync(checkpoint) ? JSON.parse(readFileSync(checkpoint, 'utf8')) : null;
    const measured = saved?.build === buildId ? saved : { build: buildId, ...(await measureDataset(dataset)) };
    if (measured === saved) console.log(`\n== ${dataset.key}: measured at ${saved.run.measuredAt} with this build (--resume)`);
    else if (isFullRun) writeFileSync(checkpoint, JSON.stringify(measured, null, 2));
    runs.push(measured.run);
    console.log(`\n  ${measured.run.dataset.key}: plain node:http, plain Nest and TaskFlow (req/s)\n${consoleTable(measured.run)}`);
    if (measured.explain) explains.push(measured.explain);
  }
  env.durationMinutes = (performance.now() - started) / 60_000;
  const report = renderReport({ env, settings, runs, explains, quick });
  writeReport(reportFile, report);
  console.log(`\nReport written to ${reportFile} (${fmt(env.durationMinutes, 1)} min)`);
  const rawFile = isFullRun ? 'last-results.json' : `${quick ? 'quick' : 'partial'}-results.json`;
  writeFileSync(join(DATA_DIR, rawFile), JSON.stringify({ env, settings, runs, explains }, null, 2));
  const failed = [...failures(runs), ...runs.filter((run) => run.deepPages?.error).map((run) => `${run.dataset.key}/deep pages`)];
  if (failed.length > 0) {
    console.error(`\nFAILED: errors or non-2xx answers in ${failed.join(', ')}`);
    process.exitCode = 1;
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
