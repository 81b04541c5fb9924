// `npm run bench`: loads the data sets, runs every scenario against the API's production build and the
// hand-written baseline in the same run, explains the API's PostgreSQL statements at 1,000,000 rows, and writes
// bench/RESULTS.md. `npm run bench -- --quick` is the CI smoke check: small data, short scenarios, report under
// bench/.data/, exit code 1 on any error or non-2xx answer. `--help` lists the other options.
import { fork, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, existsSync, cpSync, copyFileSync, rmSync, readdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import os from 'node:os';
import pg from 'pg';
import { parse as parseYaml } from 'yaml';
import { openSqlite } from './lib/sqlite.mjs';
import { taskStream, createRandom } from './lib/datagen.mjs';
import { openDatabase, recreateEmpty, databaseExists, pgUrl, sqliteUrl, poolTaskStream } from './lib/databases.mjs';
import { SCENARIOS, requestFactory } from './lib/scenarios.mjs';
import { startServer } from './lib/server.mjs';
import { explainApiQueries } from './lib/explain.mjs';
import { renderReport, failures } from './lib/report.mjs';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(BENCH_DIR);
const DATA_DIR = join(BENCH_DIR, '.data');
const GENERATOR_VERSION = 1; // bump when datagen changes, so cached data sets are reloaded
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
    help: { type: 'boolean', default: false },
  },
});

if (flags.help) {
  console.log(`npm run bench -- [options]
  --quick              smoke check: ${'<'}3 min, 2,000-row data sets, 1 s scenarios; report in bench/.data/quick-results.md
  --datasets=a,b       subset of: sqlite-10k, pg-10k, pg-1m (quick: sqlite-quick, pg-quick)
  --scenarios=a,b      subset of: ${SCENARIOS.map((s) => s.key).join(', ')}
  --duration=S         seconds measured per scenario and server (default 10, quick 1)
  --warmup=S           warm-up seconds before each measurement (default 3, quick 0.3)
  --connections=N      concurrent connections (default 32)
  --reload             drop and reload the data sets even when a matching one exists
  --no-build           use the existing dist/ instead of running npm run build
  --no-explain         skip the EXPLAIN section
  --baseline-only      run the baseline alone (the API still creates the schema when a data set is built)
  --cpu-prof           start the API with --cpu-prof; profiles go to bench/.data/profiles/
  --api-node-options=S node flags for the API instead of render.yaml's (to try a fix)
  --report-only        rewrite bench/RESULTS.md from the last full run's figures (after editing bench/analysis.md)
Any run other than the default full one writes its report under bench/.data/, never bench/RESULTS.md.`);
  process.exit(0);
}

const quick = flags.quick;
const DATASETS = quick
  ? [
    { key: 'sqlite-quick', kind: 'sqlite', rows: 2_000, file: join(DATA_DIR, 'sqlite-quick.db') },
    { key: 'pg-quick', kind: 'pg', rows: 2_000, database: 'taskflow_bench_quick', explain: true },
  ]
  : [
    { key: 'sqlite-10k', kind: 'sqlite', rows: 10_000, file: join(DATA_DIR, 'sqlite-10k.db') },
    { key: 'pg-10k', kind: 'pg', rows: 10_000, database: 'taskflow_bench_10k' },
    { key: 'pg-1m', kind: 'pg', rows: 1_000_000, database: 'taskflow_bench_1m', explain: true },
  ];
const selectedDatasets = flags.datasets ? DATASETS.filter((d) => flags.datasets.split(',').includes(d.key)) : DATASETS;
const selectedScenarios = flags.scenarios ? SCENARIOS.filter((s) => flags.scenarios.split(',').includes(s.key)) : SCENARIOS;
const settings = {
  connections: Number(flags.connections),
  durationSeconds: Number(flags.duration ?? (quick ? 1 : 10)),
  warmupSeconds: Number(flags.warmup ?? (quick ? 0.3 : 3)),
  coldStarts: quick ? 1 : 3,
};
const isFullRun = !quick && !flags.datasets && !flags.scenarios && !flags.duration && !flags.warmup
  && settings.connections === 32 && !flags['baseline-only'] && !flags['no-explain'] && !flags['cpu-prof']
  && !flags['api-node-options'];
const reportFile = isFullRun ? join(BENCH_DIR, 'RESULTS.md')
  : join(DATA_DIR, quick ? 'quick-results.md' : 'partial-results.md');
const PORTS = { api: 8301, baseline: 8302 };
// The API runs from a copy of the build, so a rebuild in the working tree during a run cannot change or remove
// the code under test. Modules still resolve from the repository's node_modules, two levels up.
const APP_DIR = join(DATA_DIR, 'app');

const urlOf = (dataset) => (dataset.kind === 'pg' ? pgUrl(dataset.database) : sqliteUrl(dataset.file));

/** The Node flags of render.yaml's startCommand (heap limits), so that the API is measured as it is deployed. */
function productionNodeFlags() {
  const blueprint = parseYaml(readFileSync(join(ROOT, 'render.yaml'), 'utf8'));
  const { startCommand } = blueprint.services.find((service) => service.name === 'taskflow-backend');
  return startCommand.split(/\s+/).filter((word) => word.startsWith('--'));
}

function apiServer(dataset, port = PORTS.api) {
  const profile = flags['cpu-prof']
    ? ['--cpu-prof', `--cpu-prof-dir=${join(DATA_DIR, 'profiles')}`, `--cpu-prof-name=api-${dataset.key}-${Date.now()}.cpuprofile`]
    : [];
  return {
    name: 'api',
    args: [...profile, ...(flags['api-node-options']?.split(' ').filter(Boolean) ?? productionNodeFlags()), join(BENCH_DIR, 'lib', 'run-api.mjs'),
      APP_DIR],
    env: { NODE_ENV: 'production', DATABASE_URL: urlOf(dataset), LOG_LEVEL: 'warn' },
    port,
  };
}

function baselineServer(dataset) {
  return {
    name: 'baseline',
    args: [join(BENCH_DIR, 'baseline', 'server.mjs')],
    env: { NODE_ENV: 'production', DATABASE_URL: urlOf(dataset) },
    port: PORTS.baseline,
  };
}

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

function runScenario(server, port, scenarioKey, fixtures) {
  return new Promise((resolve, reject) => {
    const worker = fork(join(BENCH_DIR, 'lib', 'load-worker.mjs'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let cpuBefore = 0;
    worker.on('message', (message) => {
      if (message.type === 'warmed') {
        try {
          server.assertAlive();
          server.resetPeakRss();
          cpuBefore = server.cpuMs();
        } catch (error) {
          worker.kill();
          reject(error);
          return;
        }
        worker.send({ type: 'go' });
      } else if (message.type === 'result') {
        try {
          server.assertAlive();
        } catch (error) {
          reject(error);
          return;
        }
        const cpu = server.cpuMs() - cpuBefore;
        const result = message.result;
        resolve({ ...result, peakRssMb: server.peakRssMb(), cpuMsPerRequest: result.requests ? cpu / result.requests : null });
      } else if (message.type === 'error') {
        reject(new Error(message.message));
      }
    });
    worker.once('exit', (code) => code !== 0 && reject(new Error(`load worker exited with ${code}`)));
    worker.send({
      url: `http://127.0.0.1:${port}`,
      scenario: scenarioKey,
      connections: settings.connections,
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
async function runWithRestart(servers, name, config, scenarioKey, fixtures) {
  try {
    return await runScenario(servers[name], config.port, scenarioKey, fixtures);
  } catch (error) {
    if (!servers[name].exited()) throw error;
    console.log(`  ${name} stopped during ${scenarioKey} (${error.message.split('\n')[0]}); restarting it and rerunning`);
    servers[name] = { ...(await startServer(config)), port: config.port };
    const result = await runScenario(servers[name], config.port, scenarioKey, fixtures);
    return { ...result, restarted: true };
  }
}

/** Spawns a server several times and keeps the last one; the median spawn-to-healthy time is its cold start. */
async function startMeasured(config) {
  const samples = [];
  for (let i = 0; i < settings.coldStarts; i++) {
    const server = await startServer(config);
    samples.push(server.coldStartMs);
    if (i < settings.coldStarts - 1) await server.stop();
    else return { server, coldStartMs: [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)], samples };
  }
  throw new Error('unreachable');
}

const fmt = (n, digits = 1) => (n === null || n === undefined || Number.isNaN(n) ? '-' : n.toFixed(digits));

async function benchDataset(dataset) {
  console.log(`\n== ${dataset.key}: ${dataset.rows.toLocaleString('en-US')} tasks on ${dataset.kind === 'pg' ? 'PostgreSQL' : 'SQLite'}`);
  const load = await prepareDataset(dataset);
  const db = openDatabase(dataset);
  const ids = await db.sampleIds(2000);
  const servers = {};
  const coldStart = {};
  try {
    const configs = { baseline: baselineServer(dataset), ...(flags['baseline-only'] ? {} : { api: apiServer(dataset) }) };
    for (const config of Object.values(configs)) {
      const started = await startMeasured(config);
      servers[config.name] = { ...started.server, port: config.port };
      coldStart[config.name] = { ms: started.coldStartMs, samples: started.samples };
      console.log(`  ${config.name} healthy after ${fmt(started.coldStartMs, 0)} ms (median of ${started.samples.length})`);
    }
    const results = {};
    for (const scenario of selectedScenarios) {
      results[scenario.key] = {};
      const pools = scenario.key === 'delete' ? await deletePools(db, servers, results) : {};
      for (const name of Object.keys(servers)) {
        await db.settle();
        const result = await runWithRestart(servers, name, configs[name], scenario.key, { ids, deleteIds: pools[name] ?? [] });
        results[scenario.key][name] = result;
        console.log(`  ${scenario.key.padEnd(8)} ${name.padEnd(8)} ${fmt(result.rps, 0).padStart(6)} req/s  ` +
          `p50 ${fmt(result.p50, 2).padStart(7)} ms  p99 ${fmt(result.p99, 2).padStart(7)} ms  ` +
          `errors ${result.errors}  non-2xx ${result.non2xx}  RSS ${fmt(result.peakRssMb, 0)} MB  ` +
          `CPU ${fmt(result.cpuMsPerRequest, 3)} ms/req`);
      }
    }
    for (const server of Object.values(servers)) {
      const stderr = server.stderr().trim();
      if (stderr) console.log(`  ${server.name} stderr (last lines):\n${stderr.split('\n').slice(-10).join('\n')}`);
    }
    return { dataset, load, coldStart, results };
  } finally {
    for (const server of Object.values(servers)) await server.stop();
    await db.removeBenchRows();
    await db.close();
  }
}

/**
 * Ids for the delete scenario, each used once: the rows "create" just added, topped up with rows inserted by SQL.
 * A delete does what an update does (read the version, write if unchanged), so twice the server's update or
 * create rate, whichever is higher, is a generous bound that keeps the data set close to its nominal size.
 */
async function deletePools(db, servers, results) {
  const seconds = settings.warmupSeconds + settings.durationSeconds;
  const needed = {};
  for (const name of Object.keys(servers)) {
    const rate = Math.max(results.update?.[name]?.rps ?? 0, results.create?.[name]?.rps ?? 0, 1000);
    needed[name] = Math.ceil(rate * seconds * 2);
  }
  const total = Object.values(needed).reduce((a, b) => a + b, 0);
  let available = await db.benchRowIds();
  if (available.length < total) {
    await db.insert(total - available.length, poolTaskStream(SEED + available.length), 'delete pool', { keepIndexes: true });
    available = await db.benchRowIds();
  }
  const pools = {};
  let offset = 0;
  for (const [name, count] of Object.entries(needed)) {
    pools[name] = available.slice(offset, offset + count);
    offset += count;
  }
  return pools;
}

async function explainDataset(dataset) {
  console.log(`\n== EXPLAIN of the API's statements on ${dataset.key}`);
  const db = openDatabase(dataset);
  const ids = await db.sampleIds(10);
  await db.close();
  const fixtures = { ids, deleteIds: [], cursor: 0 };
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
    scenarios: selectedScenarios,
    startApi: () => startServer(apiServer(dataset, port)),
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

async function main() {
  mkdirSync(DATA_DIR, { recursive: true });
  if (flags['report-only']) {
    const last = JSON.parse(readFileSync(join(DATA_DIR, 'last-results.json'), 'utf8'));
    writeFileSync(join(BENCH_DIR, 'RESULTS.md'), renderReport({ ...last, quick: false }));
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
  for (const dataset of selectedDatasets) {
    runs.push(await benchDataset(dataset));
    if (dataset.explain && !flags['no-explain'] && !flags['baseline-only']) {
      // Plans are part of the report, not a pass/fail check: a server whose log cannot be read or whose
      // settings cannot be changed gets a note in the report instead of a failed run.
      explains.push(await explainDataset(dataset).then((explained) => ({ dataset, ...explained }),
        (error) => ({ dataset, error: error.message })));
    }
  }
  env.durationMinutes = (performance.now() - started) / 60_000;
  const report = renderReport({ env, settings, runs, explains, quick });
  writeFileSync(reportFile, report);
  console.log(`\nReport written to ${reportFile} (${fmt(env.durationMinutes, 1)} min)`);
  const rawFile = isFullRun ? 'last-results.json' : `${quick ? 'quick' : 'partial'}-results.json`;
  writeFileSync(join(DATA_DIR, rawFile), JSON.stringify({ env, settings, runs, explains }, null, 2));
  const failed = failures(runs);
  if (failed.length > 0) {
    console.error(`\nFAILED: errors or non-2xx answers in ${failed.join(', ')}`);
    process.exitCode = 1;
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
