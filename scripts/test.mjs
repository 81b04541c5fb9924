// `npm test`: every test suite of the repository, one after the other, then one closing line
// `N passed, N failed, N skipped` with the real totals. Exits non-zero when anything failed.
//
//   backend unit (jest) · backend e2e on SQLite · backend e2e on PostgreSQL (TEST_DATABASE_URL) · OpenAPI lint
//   frontend unit (vitest) · frontend browser tests (vitest + playwright-core + Debian's chromium)
//   with --ci also: lint, the Blueprint smoke test, the drills' quick mode and the benchmark's quick mode
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const frontend = join(root, 'frontend');
const resultsDir = join(root, '.test-results');
const withCiExtras = process.argv.includes('--ci');
const CHROMIUM = '/usr/bin/chromium';
// Jest loads Nest 12's ES modules through Node's VM modules.
const JEST_NODE_OPTIONS = '--experimental-vm-modules --disable-warning=ExperimentalWarning';

const summary = [];
const startedAt = Date.now();
// Wall-clock start of the suite being run, for the per-suite timings in the summary.
let suiteStartedAt = startedAt;

function run(command, args, { cwd = root, env = {}, capture = false } = {}) {
  const result = spawnSync(command, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: capture ? ['ignore', 'pipe', 'inherit'] : 'inherit',
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (capture && result.stdout) process.stdout.write(result.stdout);
  return result;
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

function record(name, counts, exitCode) {
  // A runner that exits non-zero without a failed test (a crash, a compile error) is one failure.
  const failed = counts.failed === 0 && exitCode !== 0 ? 1 : counts.failed;
  summary.push({ name, ...counts, failed, seconds: (Date.now() - suiteStartedAt) / 1000 });
}

function startSuite(name) {
  suiteStartedAt = Date.now();
  console.log(`\n=== ${name}`);
}

function jsonSuite(name, command, args, options = {}) {
  const file = join(resultsDir, `${name.replace(/\W+/g, '-')}.json`);
  rmSync(file, { force: true });
  startSuite(name);
  const result = run(command, [...args(file)], options);
  record(name, readJsonReport(file) ?? { passed: 0, failed: 0, skipped: 0 }, result.status ?? 1);
}

function skip(name, reason) {
  console.log(`\n=== ${name}\nSKIPPED: ${reason}`);
  summary.push({ name, passed: 0, failed: 0, skipped: 1, note: reason, seconds: 0 });
}

/** Runs a script that prints one `PASS ...` / `FAIL ...` line per check. */
function checkLinesSuite(name, command, args) {
  startSuite(name);
  const result = run(command, args, { capture: true });
  const lines = (result.stdout ?? '').split('\n');
  const counts = {
    passed: lines.filter((line) => /^PASS\b/.test(line)).length,
    failed: lines.filter((line) => /^FAIL\b/.test(line)).length,
    skipped: 0,
  };
  record(name, counts, result.status ?? 1);
}

function ensureFrontendDependencies() {
  if (existsSync(join(frontend, 'node_modules'))) return true;
  console.log('\nInstalling the frontend dependencies (npm ci in frontend/)...');
  return run('npm', ['ci'], { cwd: frontend }).status === 0;
}

mkdirSync(resultsDir, { recursive: true });
const jest = join(root, 'node_modules', '.bin', 'jest');
const jestEnv = { NODE_OPTIONS: JEST_NODE_OPTIONS };

jsonSuite('backend unit', jest, (file) => ['--ci', '--json', `--outputFile=${file}`], { env: jestEnv });

const e2eArgs = (file) => ['--config', 'test/jest-e2e.json', '--runInBand', '--ci', '--json', `--outputFile=${file}`];
jsonSuite('backend e2e on SQLite', jest, e2eArgs, { env: { ...jestEnv, E2E_DATABASE: 'sqlite' } });
if (process.env.TEST_DATABASE_URL) {
  jsonSuite('backend e2e on PostgreSQL', jest, e2eArgs, { env: { ...jestEnv, E2E_DATABASE: 'postgres' } });
} else {
  skip('backend e2e on PostgreSQL', 'TEST_DATABASE_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/taskflow_test)');
}

// The exported OpenAPI document under Redocly's recommended rules (redocly.yaml says which are off, and why).
startSuite('OpenAPI lint');
const openapiLint = run('npm', ['run', '--silent', 'lint:openapi']);
record('OpenAPI lint', { passed: openapiLint.status === 0 ? 1 : 0, failed: 0, skipped: 0 }, openapiLint.status ?? 1);

if (!ensureFrontendDependencies()) {
  record('frontend dependencies', { passed: 0, failed: 1, skipped: 0 }, 1);
} else {
  const vitestArgs = (script) => (file) => ['run', script, '--', '--reporter=default', '--reporter=json', `--outputFile=${file}`];
  jsonSuite('frontend unit', 'npm', vitestArgs('test'), { cwd: frontend });
  if (existsSync(CHROMIUM)) {
    jsonSuite('frontend browser', 'npm', vitestArgs('test:browser'), { cwd: frontend });
  } else {
    skip('frontend browser', `${CHROMIUM} is missing: install it with \`apt-get install -y chromium\` (.ci/run does)`);
  }
}

if (withCiExtras) {
  for (const [name, cwd] of [['backend lint', root], ['frontend lint', frontend]]) {
    startSuite(name);
    const lint = run('npm', ['run', '--silent', 'lint'], { cwd });
    record(name, { passed: lint.status === 0 ? 1 : 0, failed: 0, skipped: 0 }, lint.status ?? 1);
  }
  checkLinesSuite('Blueprint smoke', 'npm', ['run', '--silent', 'blueprint:smoke']);
  // Fault drills (drills/README.md), quick mode: one PASS/FAIL line per drill and database.
  checkLinesSuite('drills quick', 'npm', ['run', '--silent', 'drills', '--', '--quick']);
  startSuite('benchmark quick mode');
  const bench = run('npm', ['run', '--silent', 'bench', '--', '--quick']);
  record('benchmark quick mode', { passed: bench.status === 0 ? 1 : 0, failed: 0, skipped: 0 }, bench.status ?? 1);
}

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
