// `npm run bench:cold-start`: spawn to first healthy GET /health of the production start (render.yaml's command,
// flags and runtime variables, after render.yaml's build steps) for TaskFlow, the plain Nest app and the node:http
// baseline, on SQLite and PostgreSQL, under CPU quotas (1.0, 0.5 and 0.1 CPU by default: Render's free instance
// gets 0.1). The servers take turns within each round, so a busy machine weighs on all of them alike. With --write
// the table goes into bench/RESULTS.md between the COLD-START markers; the raw samples go to
// bench/.data/cold-start.json either way.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { productionNodeFlags, productionRuntimeEnv, productionBuildSteps } from '../scripts/production-start.mjs';
import { getStatus } from './lib/server.mjs';
import { openDatabase, pgUrl, recreateEmpty, sqliteUrl } from './lib/databases.mjs';
import { BENCH_AUTH_ENV } from './lib/auth.mjs';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(BENCH_DIR);
const DATA_DIR = process.env.BENCH_DATA_DIR ? resolve(process.env.BENCH_DATA_DIR) : join(BENCH_DIR, '.data');
const DB_PREFIX = process.env.BENCH_DB_PREFIX ?? 'taskflow_bench_';
const PORT = Number(process.env.BENCH_PORT_BASE ?? 8301) + 10;

const { values: flags } = parseArgs({
  options: {
    quotas: { type: 'string', default: '1,0.5,0.1' },
    samples: { type: 'string', default: '3' },
    databases: { type: 'string', default: 'sqlite,pg' },
    servers: { type: 'string', default: 'api,api-no-cache,nest,plain' },
    'no-build': { type: 'boolean', default: false },
    write: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (flags.help) {
  console.log(`npm run bench:cold-start -- [options]
  --quotas=1,0.5,0.1   CPU quotas, in CPUs (a cgroup's CFS quota over a 100 ms period)
  --samples=N          starts per server, database and quota (default 3; the median is reported)
  --databases=a,b      sqlite, pg
  --servers=a,b        api (TaskFlow as deployed), api-no-cache (the same without Node's compile cache), nest, plain
  --no-build           use the existing dist/ (and its compile cache) instead of render.yaml's build steps
  --write              put the table into bench/RESULTS.md`);
  process.exit(0);
}

const quotas = flags.quotas.split(',').map(Number);
const samples = Number(flags.samples);
const DATABASES = {
  sqlite: { key: 'sqlite', kind: 'sqlite', file: join(DATA_DIR, 'cold-start.db') },
  pg: { key: 'pg', kind: 'pg', database: `${DB_PREFIX}cold` },
};
const urlOf = (dataset) => (dataset.kind === 'pg' ? pgUrl(dataset.database) : sqliteUrl(dataset.file));

/** How each server is started: TaskFlow exactly as render.yaml's start command, the baselines as the bench does. */
function command(server, dataset) {
  const env = { NODE_ENV: 'production', DATABASE_URL: urlOf(dataset), PORT: String(PORT) };
  if (server === 'api' || server === 'api-no-cache') {
    return {
      args: [...productionNodeFlags(), join(ROOT, 'dist', 'main.js')],
      env: { ...env, ...productionRuntimeEnv(), ...BENCH_AUTH_ENV,
        ...(server === 'api-no-cache' ? { NODE_DISABLE_COMPILE_CACHE: '1' } : {}) },
    };
  }
  const file = server === 'nest' ? 'nest-server.mjs' : 'server.mjs';
  return { args: [join(BENCH_DIR, 'baseline', file)], env: { ...env, BASELINE: 'plain' } };
}

/**
 * A CPU quota for child processes, in whichever form this machine allows: a cgroup v2 child (cpu.max), a cgroup
 * v1 child of the cpu controller (cpu.cfs_quota_us), or systemd-run's CPUQuota on a transient scope.
 */
function quotaMechanism() {
  const name = `taskflow-cold-start-${process.pid}`;
  const attempts = [
    { kind: 'cgroup v2 (cpu.max)', dir: join('/sys/fs/cgroup', name), file: 'cpu.max',
      value: (cpus) => `${Math.round(cpus * 100_000)} 100000`, usable: () => readFileSync('/sys/fs/cgroup/cgroup.controllers', 'utf8').includes('cpu') },
    { kind: 'cgroup v1 (cpu.cfs_quota_us)', dir: join('/sys/fs/cgroup/cpu', name), file: 'cpu.cfs_quota_us',
      value: (cpus) => String(Math.round(cpus * 100_000)), usable: () => existsSync('/sys/fs/cgroup/cpu/cpu.cfs_quota_us') },
  ];
  for (const attempt of attempts) {
    try {
      if (!attempt.usable()) continue;
      mkdirSync(attempt.dir, { recursive: true });
      writeFileSync(join(attempt.dir, attempt.file), attempt.value(1));
      return {
        kind: attempt.kind,
        set: (cpus) => writeFileSync(join(attempt.dir, attempt.file), attempt.value(cpus)),
        // The shell puts itself into the cgroup, then becomes the server: every thread the server starts is in it.
        wrap: (args) => ['/bin/sh', ['-c', `echo $$ > ${join(attempt.dir, 'cgroup.procs')} && exec "$@"`, 'sh', process.execPath, ...args]],
        remove: () => rmdirSync(attempt.dir),
      };
    } catch {
      // Not there or not writable (no permission, controller not delegated): try the next form.
    }
  }
  if (spawnSync('systemd-run', ['--scope', '--quiet', '-p', 'CPUQuota=100%', 'true']).status === 0) {
    let quota = 1;
    return {
      kind: 'systemd-run --scope -p CPUQuota=',
      set: (cpus) => {
        quota = cpus;
      },
      wrap: (args) => ['systemd-run', ['--scope', '--quiet', '-p', `CPUQuota=${Math.round(quota * 100)}%`, process.execPath, ...args]],
      remove: () => {},
    };
  }
  throw new Error('no way to set a CPU quota here: neither a writable cgroup nor systemd-run');
}

/** Spawn to the first 200 from GET /health, polled every 10 ms; the server is stopped afterwards. */
async function coldStart(mechanism, server, dataset) {
  if ((await getStatus(PORT)) !== null) throw new Error(`port ${PORT} is already in use`);
  const { args, env } = command(server, dataset);
  const [executable, argv] = mechanism.wrap(args);
  const started = performance.now();
  const child = spawn(executable, argv, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  try {
    for (;;) {
      if (exited) throw new Error(`${server} exited before it was healthy:\n${stderr}`);
      if ((await getStatus(PORT)) === 200) return performance.now() - started;
      if (performance.now() - started > 120_000) throw new Error(`${server} was not healthy after 120 s:\n${stderr}`);
      await new Promise((done) => setTimeout(done, 10));
    }
  } finally {
    if (!exited) {
      const gone = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(timer);
    }
  }
}

/** An empty schema created by the API's own migrations, plus the baselines' table. */
async function prepare(dataset, mechanism) {
  await recreateEmpty(dataset);
  mechanism.set(1);
  await coldStart(mechanism, 'api', dataset);
  const db = openDatabase(dataset);
  await db.createPlainTable();
  await db.close();
}

/** render.yaml's build command, minus `npm ci` (the dependencies are installed) and `npm prune` (keeps dev ones). */
function build() {
  for (const step of productionBuildSteps().filter((s) => !/^npm (ci|prune)\b/.test(s))) {
    console.log(`$ ${step}`);
    const result = spawnSync('sh', ['-c', step], { cwd: ROOT, stdio: 'inherit' });
    if (result.status !== 0) throw new Error(`${step} failed`);
  }
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const fmt = (ms) => (ms === undefined ? '-' : `${Math.round(ms)}`);

function table(results, servers) {
  const titles = { api: 'TaskFlow (ms)', 'api-no-cache': 'TaskFlow, no compile cache', nest: 'plain Nest', plain: 'node:http' };
  const lines = [`| database | CPU quota | ${servers.map((s) => titles[s]).join(' | ')} | TaskFlow / plain Nest |`,
    `| --- | ---: | ${servers.map(() => '---:').join(' | ')} | ---: |`];
  for (const row of results) {
    const ratio = row.median.api && row.median.nest ? (row.median.api / row.median.nest).toFixed(2) : '-';
    lines.push(`| ${row.database === 'pg' ? 'PostgreSQL' : 'SQLite'} | ${row.quota} | ` +
      `${servers.map((s) => `${fmt(row.median[s])}${row.samples[s] ? ` (${row.samples[s].map(fmt).join(', ')})` : ''}`).join(' | ')} | ${ratio} |`);
  }
  return lines.join('\n');
}

function writeIntoResults(markdown) {
  const file = join(BENCH_DIR, 'RESULTS.md');
  const current = readFileSync(file, 'utf8');
  const pattern = /<!-- COLD-START:BEGIN[\s\S]*?<!-- COLD-START:END -->/;
  writeFileSync(file, pattern.test(current) ? current.replace(pattern, markdown) : `${current.trimEnd()}\n\n${markdown}\n`);
}

async function main() {
  mkdirSync(DATA_DIR, { recursive: true });
  if (!flags['no-build']) build();
  const mechanism = quotaMechanism();
  const servers = flags.servers.split(',');
  console.log(`CPU quota through ${mechanism.kind}; ${samples} starts per server, database and quota`);
  const results = [];
  try {
    for (const key of flags.databases.split(',')) {
      const dataset = DATABASES[key];
      await prepare(dataset, mechanism);
      for (const quota of quotas) {
        mechanism.set(quota);
        const row = { database: key, quota, samples: Object.fromEntries(servers.map((s) => [s, []])), median: {} };
        for (let i = 0; i < samples; i++) {
          for (const server of servers) row.samples[server].push(await coldStart(mechanism, server, dataset));
        }
        for (const server of servers) row.median[server] = median(row.samples[server]);
        console.log(`  ${key.padEnd(6)} quota ${String(quota).padEnd(4)} ` +
          servers.map((s) => `${s} ${fmt(row.median[s])} ms`).join('  '));
        results.push(row);
      }
    }
  } finally {
    mechanism.remove();
  }
  const git = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }).stdout?.toString().trim();
  const markdown = [
    '<!-- COLD-START:BEGIN (written by `npm run bench:cold-start -- --write`) -->',
    '## Cold start under CPU quotas',
    '',
    `Measured ${new Date().toISOString()} at commit ${git} by \`npm run bench:cold-start\`: spawn to the first 200 from \`GET /health\`, ` +
      `median of ${samples} starts (each start in parentheses), the servers taking turns. TaskFlow starts as render.yaml's ` +
      `start command (\`node ${productionNodeFlags().join(' ')} dist/main.js\`, NODE_ENV=production, accounts on) after render.yaml's ` +
      'build steps, so with the compile cache that build leaves in dist/; "no compile cache" is the same start with ' +
      'NODE_DISABLE_COMPILE_CACHE=1. The databases are migrated and empty (migrations ran once before). ' +
      `The quota is a CFS quota over 100 ms, set through ${mechanism.kind}; the machine's 2 cores are shared with other work.`,
    '',
    table(results, servers),
    '<!-- COLD-START:END -->',
  ].join('\n');
  writeFileSync(join(DATA_DIR, 'cold-start.json'), JSON.stringify({ mechanism: mechanism.kind, samples, results }, null, 2));
  console.log(`\n${markdown}`);
  if (flags.write) writeIntoResults(markdown);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
