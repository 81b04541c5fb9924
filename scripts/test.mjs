// `npm test`: every test suite of the repository, then one closing line `N passed, N failed, N skipped` with the
// real totals. Exits non-zero when anything failed.
//
//   backend unit (jest) · backend e2e on SQLite · backend e2e on PostgreSQL (TEST_DATABASE_URL) · OpenAPI lint
//   frontend unit (vitest) · frontend browser tests (vitest + playwright-core + Debian's chromium)
//   with --ci also: lint, the Blueprint smoke test, the drills' quick mode and the benchmark's quick mode
//
// The suites run in stages (STAGES below). Within a stage, its lanes run side by side, each lane's suites one after
// the other; a suite that runs beside another writes its output to .test-results/<suite>.log and prints it in one
// piece when it ends. Only suites that share nothing run side by side (see STAGES for why each pairing is safe);
// the drills and the benchmark measure latency and throughput and always run alone.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const frontend = join(root, 'frontend');
const resultsDir = join(root, '.test-results');
const withCiExtras = process.argv.includes('--ci');
// --built: dist/ is a fresh `npm run build` of this tree (.ci/run makes it), which the drills and the benchmark then
// run instead of building the same code again.
const buildFlags = process.argv.includes('--built') ? ['--no-build'] : [];
const CHROMIUM = '/usr/bin/chromium';
// Jest loads Nest 12's ES modules through Node's VM modules.
const JEST_NODE_OPTIONS = '--experimental-vm-modules --disable-warning=ExperimentalWarning';

const startedAt = Date.now();
const fileNameOf = (name) => name.replace(/\W+/g, '-');

/**
 * Runs a command to its end. `log` (a file) takes its output instead of the terminal, for a suite running beside
 * another; `capture` also keeps its standard output for the caller.
 */
function run(command, args, { cwd = root, env = {}, capture = false, log } = {}) {
  return new Promise((resolve) => {
    const piped = capture || log !== undefined;
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: piped ? ['ignore', 'pipe', log ? 'pipe' : 'inherit'] : ['ignore', 'inherit', 'inherit'],
    });
    const logStream = log ? createWriteStream(log) : undefined;
    let stdout = '';
    child.stdout?.on('data', (chunk) => {
      if (capture) stdout += chunk;
      if (logStream) logStream.write(chunk);
      else process.stdout.write(chunk);
    });
    child.stderr?.on('data', (chunk) => logStream?.write(chunk));
    const finish = (status) => {
      if (logStream) logStream.end(() => resolve({ status, stdout }));
      else resolve({ status, stdout });
    };
    child.on('error', (error) => {
      logStream?.write(`${error.stack}\n`);
      finish(1);
    });
    // A suite killed by a signal has no exit code: it failed.
    child.on('close', (code) => finish(code ?? 1));
  });
}

/** Reads a jest or vitest JSON report; a suite that failed to load counts as a failure. */
function readJsonReport(file) {
  if (!existsSync(file)) return undefined;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const brokenSuites = (report.testResults ?? []).filter(
    (suite) => suite.status === 'failed' && (suite.assertionResults ?? []).length === 0,
  ).length;
  return {
    passed: report.numPassedTests,
    failed: report.numFailedTests + brokenSuites,
    skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
  };
}

/** One suite's counts. A runner that exits non-zero without a failed test (a crash, a compile error) is one failure. */
function outcome(counts, exitCode) {
  return { ...counts, failed: counts.failed === 0 && exitCode !== 0 ? 1 : counts.failed };
}

const passOrFail = (exitCode) => ({ passed: exitCode === 0 ? 1 : 0, failed: 0, skipped: 0 });

// Suite kinds: each gets the run options ({ log } beside another suite) and returns its counts.

function jsonSuite(name, command, args, options = {}) {
  return async (runOptions) => {
    const file = join(resultsDir, `${fileNameOf(name)}.json`);
    rmSync(file, { force: true });
    const result = await run(command, args(file), { ...options, ...runOptions });
    return outcome(readJsonReport(file) ?? { passed: 0, failed: 0, skipped: 0 }, result.status);
  };
}

/** A command that passes when it exits 0 (a linter, the benchmark's quick mode). */
function exitCodeSuite(command, args, options = {}) {
  return async (runOptions) => {
    const result = await run(command, args, { ...options, ...runOptions });
    return outcome(passOrFail(result.status), result.status);
  };
}

/** Runs a script that prints one `PASS ...` / `FAIL ...` line per check. */
function checkLinesSuite(command, args) {
  return async (runOptions) => {
    const result = await run(command, args, { ...runOptions, capture: true });
    const lines = result.stdout.split('\n');
    const counts = {
      passed: lines.filter((line) => /^PASS\b/.test(line)).length,
      failed: lines.filter((line) => /^FAIL\b/.test(line)).length,
      skipped: 0,
    };
    return outcome(counts, result.status);
  };
}

/** A suite that cannot run here: it counts as one skipped test. */
function skipped(reason) {
  return { skipReason: reason };
}

async function ensureFrontendDependencies() {
  if (existsSync(join(frontend, 'node_modules'))) return true;
  console.log('\nInstalling the frontend dependencies (npm ci in frontend/)...');
  return (await run('npm', ['ci'], { cwd: frontend })).status === 0;
}

mkdirSync(resultsDir, { recursive: true });
const jest = join(root, 'node_modules', '.bin', 'jest');
const jestEnv = { NODE_OPTIONS: JEST_NODE_OPTIONS };
const e2eArgs = (file) => ['--config', 'test/jest-e2e.json', '--runInBand', '--ci', '--json', `--outputFile=${file}`];
const vitestArgs = (script) => (file) => ['run', script, '--', '--reporter=default', '--reporter=json', `--outputFile=${file}`];
const frontendReady = await ensureFrontendDependencies();

/** Every suite, in the order the summary lists them. */
const SUITES = {
  'backend unit': jsonSuite('backend unit', jest, (file) => ['--ci', '--json', `--outputFile=${file}`], { env: jestEnv }),
  'backend e2e on SQLite': jsonSuite('backend e2e on SQLite', jest, e2eArgs, { env: { ...jestEnv, E2E_DATABASE: 'sqlite' } }),
  'backend e2e on PostgreSQL': process.env.TEST_DATABASE_URL
    ? jsonSuite('backend e2e on PostgreSQL', jest, e2eArgs, { env: { ...jestEnv, E2E_DATABASE: 'postgres' } })
    : skipped('TEST_DATABASE_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/taskflow_test)'),
  // The exported OpenAPI document under Redocly's recommended rules (redocly.yaml says which are off, and why).
  'OpenAPI lint': exitCodeSuite('npm', ['run', '--silent', 'lint:openapi']),
  'frontend unit': frontendReady ? jsonSuite('frontend unit', 'npm', vitestArgs('test'), { cwd: frontend }) : undefined,
  'frontend browser': !frontendReady
    ? undefined
    : existsSync(CHROMIUM)
      ? jsonSuite('frontend browser', 'npm', vitestArgs('test:browser'), { cwd: frontend })
      : skipped(`${CHROMIUM} is missing: install it with \`apt-get install -y chromium\` (.ci/run does)`),
  ...(withCiExtras
    ? {
        'backend lint': exitCodeSuite('npm', ['run', '--silent', 'lint']),
        'frontend lint': exitCodeSuite('npm', ['run', '--silent', 'lint'], { cwd: frontend }),
        'Blueprint smoke': checkLinesSuite('npm', ['run', '--silent', 'blueprint:smoke']),
        // Fault drills (drills/README.md), quick mode: one PASS/FAIL line per drill and database.
        'drills quick': checkLinesSuite('npm', ['run', '--silent', 'drills', '--', '--quick', ...buildFlags]),
        'benchmark quick mode': exitCodeSuite('npm', ['run', '--silent', 'bench', '--', '--quick', ...buildFlags]),
      }
    : {}),
};

/**
 * Stages run one after the other; a stage's lanes run side by side (2 cores: two lanes). Why the pairs are safe:
 * - the two e2e runs: SQLite in memory or in mkdtemp files, PostgreSQL only in TEST_DATABASE_URL's database and in
 *   databases named by pid; every server they start listens on port 0; they write no other file;
 * - the browser tests run alone: with anything beside them (the Blueprint smoke test once, only the backend unit
 *   tests and linters once), one test lost a race to a slower page (nothing-lost "a move on its way", comments
 *   "mentions Bob by keyboard");
 * - the Blueprint smoke test (a clone, databases and free ports of its own, minutes-long timeouts) beside the unit
 *   tests and linters (no database, no port);
 * - the drills and the benchmark measure latencies and throughput: alone, each in a stage of its own.
 */
const STAGES = [
  [['backend e2e on SQLite'], ['backend e2e on PostgreSQL']],
  [['frontend browser']],
  [['Blueprint smoke'], ['backend unit', 'OpenAPI lint', 'backend lint', 'frontend lint', 'frontend unit']],
  [['drills quick']],
  [['benchmark quick mode']],
];

const results = new Map();

async function runSuite(name, besideAnother) {
  const log = besideAnother ? join(resultsDir, `${fileNameOf(name)}.log`) : undefined;
  console.log(besideAnother ? `\n--- ${name}: started (its output follows when it ends)` : `\n=== ${name}`);
  const suiteStartedAt = Date.now();
  // A suite whose report cannot be read (cut short, say) counts as one failure rather than ending the run.
  const counts = await SUITES[name]({ log }).catch((error) => {
    console.error(`${name}: ${error.stack}`);
    return { passed: 0, failed: 1, skipped: 0 };
  });
  const seconds = (Date.now() - suiteStartedAt) / 1000;
  if (log) console.log(`\n=== ${name} (ran beside another suite)\n${existsSync(log) ? readFileSync(log, 'utf8') : ''}`);
  results.set(name, { name, ...counts, seconds });
}

for (const [name, suite] of Object.entries(SUITES)) {
  if (!suite?.skipReason) continue;
  console.log(`\n=== ${name}\nSKIPPED: ${suite.skipReason}`);
  results.set(name, { name, passed: 0, failed: 0, skipped: 1, note: suite.skipReason, seconds: 0 });
}
const runnable = (name) => typeof SUITES[name] === 'function';
for (const stage of STAGES) {
  const lanes = stage.map((lane) => lane.filter(runnable)).filter((lane) => lane.length > 0);
  await Promise.all(
    lanes.map(async (lane) => {
      for (const name of lane) await runSuite(name, lanes.length > 1);
    }),
  );
}
if (!frontendReady) results.set('frontend dependencies', { name: 'frontend dependencies', passed: 0, failed: 1, skipped: 0, seconds: 0 });

const summary = [...Object.keys(SUITES), 'frontend dependencies'].filter((name) => results.has(name)).map((name) => results.get(name));
const total = summary.reduce(
  (sum, suite) => ({ passed: sum.passed + suite.passed, failed: sum.failed + suite.failed, skipped: sum.skipped + suite.skipped }),
  { passed: 0, failed: 0, skipped: 0 },
);
console.log('\nSummary');
for (const suite of summary) {
  const note = suite.note ? ` (${suite.note})` : '';
  console.log(`  ${suite.name}: ${suite.passed} passed, ${suite.failed} failed, ${suite.skipped} skipped, ${suite.seconds.toFixed(0)} s${note}`);
}
console.log(`  wall clock: ${((Date.now() - startedAt) / 1000).toFixed(0)} s`);
console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(total.failed > 0 ? 1 : 0);
