// Renders the Markdown report (bench/RESULTS.md) and checks the targets of issue 5 against the measurements.
import { existsSync, readFileSync } from 'node:fs';
import { SCENARIOS } from './scenarios.mjs';

// Hand-written findings (profiles, experiments, proposed fixes) kept beside the generated figures, so a rerun
// regenerates the tables without losing the explanation of the targets it misses.
const ANALYSIS_FILE = new URL('../analysis.md', import.meta.url);

const fmt = (n, digits = 1) => (n === null || n === undefined || !Number.isFinite(n) ? '-' : n.toFixed(digits));
const ratio = (a, b) => (a === null || b === null || b === undefined || a === undefined || b === 0 ? null : a / b);
const mark = (ok) => (ok === null ? '-' : ok ? 'met' : '**MISSED**');
const bad = (r) => (r ? r.errors + r.timeouts + r.non2xx : 0);

const DATASET_TITLES = {
  'sqlite-10k': 'SQLite, 10,000 tasks', 'pg-10k': 'PostgreSQL, 10,000 tasks', 'pg-1m': 'PostgreSQL, 1,000,000 tasks',
  'sqlite-quick': 'SQLite, 2,000 tasks (quick)', 'pg-quick': 'PostgreSQL, 2,000 tasks (quick)',
};

/** Scenario/server pairs with errors, timeouts or non-2xx answers: the bench exits non-zero when any exist. */
export function failures(runs) {
  const failed = [];
  for (const run of runs) {
    for (const [scenario, byServer] of Object.entries(run.results)) {
      for (const [server, result] of Object.entries(byServer)) {
        if (bad(result) > 0) failed.push(`${run.dataset.key}/${scenario}/${server}`);
      }
    }
  }
  return failed;
}

function scenarioTable(run) {
  const lines = [
    '| scenario | req/s API | req/s base | x | p50 API (ms) | p50 base | x | p99 API (ms) | p99 base | x | errors + non-2xx API / base | peak RSS API (MB) | RSS base | x | CPU ms/req API | CPU base | x |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const scenario of SCENARIOS) {
    const r = run.results[scenario.key];
    if (!r) continue;
    const api = r.api ?? null;
    const base = r.baseline ?? null;
    const restarted = api?.restarted || base?.restarted ? ' (server restarted, see log)' : '';
    const triple = (key, digits) => `${fmt(api?.[key], digits)} | ${fmt(base?.[key], digits)} | ${fmt(ratio(api?.[key], base?.[key]), 2)}`;
    lines.push(`| ${scenario.title}${restarted} | ${triple('rps', 0)} | ${triple('p50', 2)} | ${triple('p99', 2)} | ` +
      `${api ? bad(api) : '-'} / ${base ? bad(base) : '-'} | ${triple('peakRssMb', 0)} | ${triple('cpuMsPerRequest', 3)} |`);
  }
  return lines.join('\n');
}

/** One row per target of issue 5 that the runs in this report can speak to. */
export function evaluateTargets(runs) {
  const rows = [];
  const byKey = Object.fromEntries(runs.map((run) => [run.dataset.key, run]));
  for (const key of ['sqlite-10k', 'pg-10k', 'sqlite-quick', 'pg-quick']) {
    const run = byKey[key];
    if (!run) continue;
    for (const scenario of SCENARIOS) {
      const r = run.results[scenario.key];
      if (!r?.api || !r?.baseline) continue;
      const rpsRatio = ratio(r.api.rps, r.baseline.rps);
      const p99Ratio = ratio(r.api.p99, r.baseline.p99);
      rows.push({ target: `${key} ${scenario.key}: req/s >= 0.5x baseline`, figure: `${fmt(rpsRatio, 2)}x (${fmt(r.api.rps, 0)} vs ${fmt(r.baseline.rps, 0)})`, ok: rpsRatio >= 0.5 });
      rows.push({ target: `${key} ${scenario.key}: p99 <= 2.5x baseline`, figure: `${fmt(p99Ratio, 2)}x (${fmt(r.api.p99, 1)} vs ${fmt(r.baseline.p99, 1)} ms)`, ok: p99Ratio <= 2.5 });
    }
  }
  const big = byKey['pg-1m'];
  const small = byKey['pg-10k'];
  if (big) {
    for (const key of ['get', 'list', 'filtered', 'create']) {
      const p50 = big.results[key]?.api?.p50;
      const reference = small?.results[key]?.api?.p50;
      if (p50 === undefined) continue;
      const r = ratio(p50, reference);
      rows.push({ target: `pg-1m ${key}: p50 <= 1.5x its pg-10k p50`, figure: `${fmt(r, 2)}x (${fmt(p50, 1)} vs ${fmt(reference, 1)} ms)`, ok: r === null ? null : r <= 1.5 });
    }
    for (const [key, limit] of [['count', 150], ['stats', 150], ['search', 250]]) {
      const p50 = big.results[key]?.api?.p50;
      if (p50 === undefined) continue;
      rows.push({ target: `pg-1m ${key}: p50 < ${limit} ms`, figure: `${fmt(p50, 1)} ms (baseline ${fmt(big.results[key]?.baseline?.p50, 1)} ms)`, ok: p50 < limit });
    }
  }
  let peak = null;
  let where = '';
  for (const run of runs) {
    for (const [scenario, r] of Object.entries(run.results)) {
      if (r.api && (peak === null || r.api.peakRssMb > peak)) {
        peak = r.api.peakRssMb;
        where = `${run.dataset.key}/${scenario}`;
      }
    }
  }
  if (peak !== null) rows.push({ target: 'API peak RSS under load <= 200 MB', figure: `${fmt(peak, 0)} MB (${where})`, ok: peak <= 200 });
  for (const run of runs) {
    if (!run.coldStart.api || run.dataset.rows > 10_000) continue;
    rows.push({ target: `${run.dataset.key}: cold start <= 2 s`, figure: `${fmt(run.coldStart.api.ms, 0)} ms`, ok: run.coldStart.api.ms <= 2000 });
  }
  const failed = failures(runs);
  rows.push({ target: 'zero errors and non-2xx in every scenario', figure: failed.length ? failed.join(', ') : 'none', ok: failed.length === 0 });
  return rows;
}

function explainSection(explains) {
  const out = [];
  for (const explain of explains) {
    out.push(`## EXPLAIN of the API's statements (${DATASET_TITLES[explain.dataset.key] ?? explain.dataset.key})`, '');
    if (explain.error) {
      out.push(`Not available: ${explain.error}`, '');
      continue;
    }
    out.push('Captured from the PostgreSQL log while the API answered one request per scenario ' +
      '(log_min_duration_statement = 0 on this database only), parameters inlined, then `EXPLAIN (ANALYZE, BUFFERS)` ' +
      '(writes inside a rolled-back transaction, after the API already ran them, so a plan may show rows=0 for a row ' +
      'the write changed or removed). Statements that cannot be explained (BEGIN, COMMIT...) are listed without a plan.', '');
    const seqScans = [];
    for (const result of explain.results) {
      out.push(`### ${result.scenario.title} (HTTP ${result.status})`, '');
      if (result.statements.length === 0) out.push('No statement logged.', '');
      for (const statement of result.statements) {
        if (statement.plan === null) {
          out.push(`- \`${statement.sql.slice(0, 200)}\``);
          continue;
        }
        if (/Seq Scan on tasks/.test(statement.plan)) seqScans.push(result.scenario.key);
        out.push('', '```sql', statement.sql, '```', '', '```', statement.plan, '```', '');
      }
      out.push('');
    }
    out.splice(2, 0, seqScans.length
      ? `**Sequential scans on tasks in:** ${[...new Set(seqScans)].join(', ')}.\n`
      : 'No statement reads `tasks` with a sequential scan.\n');
  }
  return out.join('\n');
}

export function renderReport({ env, settings, runs, explains, quick }) {
  const targets = evaluateTargets(runs);
  const out = [
    `# TaskFlow benchmark results${quick ? ' (quick smoke run: figures are not meaningful)' : ''}`,
    '',
    `- Date: ${env.date}`,
    `- Machine: ${env.machine}`,
    `- Node ${env.node}, PostgreSQL ${env.postgres}, SQLite ${env.sqlite}, commit ${env.git}`,
    `- Command: \`${env.command}\` (took ${fmt(env.durationMinutes, 1)} min)`,
    `- Load: autocannon in its own process, ${settings.connections} connections, ${settings.warmupSeconds} s warm-up then ${settings.durationSeconds} s measured per scenario and server; API (\`node dist/main.js\` with render.yaml's start flags, NODE_ENV=production, LOG_LEVEL=warn) and baseline (\`bench/baseline/server.mjs\`) run scenario by scenario, interleaved, against the same database.`,
    '',
    'Ratios are API / baseline measured in the same run. The machine has 2 cores shared with other work and the load',
    'generator runs on them too, so absolute figures drift between runs; the ratios are the figures to compare.',
    'CPU ms/req is the server process\'s user + system time during the measured seconds divided by the requests answered',
    '(PostgreSQL\'s own processes are not included). Peak RSS is the server\'s VmHWM, reset before each measurement.',
    '',
    '## Targets (issue 5)',
    '',
    '| target | measured | |',
    '| --- | --- | --- |',
    ...targets.map((t) => `| ${t.target} | ${t.figure} | ${mark(t.ok)} |`),
    '',
    '## Cold start (spawn to first healthy `GET /health`, median)',
    '',
    '| data set | API (ms) | baseline (ms) | samples API |',
    '| --- | ---: | ---: | --- |',
    ...runs.map((run) => `| ${DATASET_TITLES[run.dataset.key] ?? run.dataset.key} | ${fmt(run.coldStart.api?.ms, 0)} | ${fmt(run.coldStart.baseline?.ms, 0)} | ${(run.coldStart.api?.samples ?? []).map((s) => fmt(s, 0)).join(', ')} |`),
    '',
  ];
  for (const run of runs) {
    out.push(`## ${DATASET_TITLES[run.dataset.key] ?? run.dataset.key}`, '',
      `Loaded with batched SQL in ${run.load.loadSeconds ?? '-'} s at ${run.load.loadedAt ?? '-'}.`, '',
      scenarioTable(run), '');
  }
  out.push('## Scenarios', '',
    '- get by id: random id among 2,000 sampled from the data set. list page: `GET /tasks?limit=50&skip=N`, N random in 0-1000.',
    '- filtered list: `GET /tasks?status=S&priority=P&limit=50`, S and P random. search: `GET /tasks?q=WORD&limit=50`, WORD one of 60 nouns',
    '  (each in about 1 title in 60, some with accents), so a search at 1,000,000 rows matches about 16,000 titles plus descriptions.',
    '- count: `GET /tasks/count`. stats: `GET /tasks/stats`. health: `GET /health` (counts the tasks).',
    '- update: `PUT /tasks/:id` with title, description and assignee. create: `POST /tasks` with every field.',
    '  delete: `DELETE /tasks/:id`, each id used once, from the rows create added plus rows inserted by SQL.',
    '- Rows added by the benchmark are removed after each data set, so every run starts from the same data.', '');
  if (!quick && existsSync(ANALYSIS_FILE)) out.push(readFileSync(ANALYSIS_FILE, 'utf8').trim(), '');
  out.push(explainSection(explains));
  return `${out.join('\n')}\n`;
}
