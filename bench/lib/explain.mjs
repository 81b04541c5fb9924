// EXPLAIN for every statement the API actually sends to PostgreSQL. The statements are not guessed: the API is
// started with log_min_duration_statement = 0 set on the benchmark database only, one request per scenario is
// sent, and the logged statements and their parameters are read back from the server log and explained here.
import { existsSync, openSync, readSync, closeSync, statSync } from 'node:fs';
import pg from 'pg';

const ENTRY_START = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? \S+ \[(\d+)\] (?:\S+@\S+ )?(LOG|DETAIL|ERROR|STATEMENT|HINT|CONTEXT|WARNING):\s+/;

export async function serverLogFile(client) {
  if (process.env.BENCH_PG_LOG) return process.env.BENCH_PG_LOG;
  const current = (await client.query('SELECT pg_current_logfile() AS file')).rows[0].file;
  if (current) {
    const dataDir = (await client.query('SHOW data_directory')).rows[0].data_directory;
    return current.startsWith('/') ? current : `${dataDir}/${current}`;
  }
  // Debian's pg_ctlcluster sends the server's stderr here when the logging collector is off.
  const major = Math.floor(Number((await client.query('SHOW server_version_num')).rows[0].server_version_num) / 10000);
  return `/var/log/postgresql/postgresql-${major}-main.log`;
}

function readFrom(file, offset) {
  const size = statSync(file).size;
  if (size <= offset) return '';
  const buffer = Buffer.alloc(size - offset);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buffer, 0, buffer.length, offset);
  } finally {
    closeSync(fd);
  }
  return buffer.toString('utf8');
}

/** Parses the server log into executed statements with their parameters, for one database only. */
export function parseStatements(text, database) {
  const entries = [];
  for (const line of text.split('\n')) {
    const match = line.match(ENTRY_START);
    if (match) entries.push({ pid: match[1], level: match[2], text: line.slice(match[0].length), db: line.includes(`@${database} `) });
    else if (entries.length > 0) entries[entries.length - 1].text += `\n${line}`;
  }
  const statements = [];
  // A DETAIL line belongs to the LOG line just before it from the same backend, which may be a parse or bind
  // entry we skip; only an execute's own parameters may be attached to it.
  const lastLog = new Map();
  for (const entry of entries) {
    if (!entry.db) continue;
    if (entry.level === 'LOG') {
      const m = entry.text.match(/^duration: [\d.]+ ms {2}(?:execute [^:]*|statement): ([\s\S]*)$/);
      const statement = m ? { pid: entry.pid, sql: m[1].trim(), params: [] } : null;
      if (statement) statements.push(statement);
      lastLog.set(entry.pid, statement);
    } else if (entry.level === 'DETAIL') {
      const statement = lastLog.get(entry.pid);
      const m = entry.text.match(/^parameters: ([\s\S]*)$/i);
      if (statement && m) statement.params = parseParameters(m[1].trim());
    }
  }
  return statements;
}

function parseParameters(text) {
  // "$1 = 'a''b', $2 = NULL": values are SQL literals already, quotes doubled.
  const params = [];
  const re = /\$(\d+) = (NULL|'(?:[^']|'')*')/g;
  let m;
  while ((m = re.exec(text)) !== null) params[Number(m[1]) - 1] = m[2];
  return params;
}

export function inlineParameters(sql, params) {
  return sql.replace(/\$(\d+)/g, (whole, n) => params[Number(n) - 1] ?? whole);
}

const EXPLAINABLE = /^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b/i;

/**
 * Runs `probe(scenarioKey)` for each scenario while statement logging is on, then explains what was logged.
 * startApi/stopApi bracket the probe so the API's connections are opened after the setting is in place.
 */
export async function explainApiQueries({ databaseUrl, database, scenarios, startApi, probe }) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const logFile = await serverLogFile(client);
  if (!existsSync(logFile)) {
    await client.end();
    return { logFile, error: `PostgreSQL log ${logFile} not readable; set BENCH_PG_LOG` };
  }
  const captured = [];
  await client.query(`ALTER DATABASE ${database} SET log_min_duration_statement = 0`);
  try {
    const api = await startApi();
    try {
      for (const scenario of scenarios) {
        // The first request may warm caches or prepare statements; the second is the steady state we explain.
        await probe(scenario.key);
        await new Promise((resolve) => setTimeout(resolve, 150));
        const offset = statSync(logFile).size;
        const status = await probe(scenario.key);
        await new Promise((resolve) => setTimeout(resolve, 150));
        captured.push({ scenario, status, statements: parseStatements(readFrom(logFile, offset), database) });
      }
    } finally {
      await api.stop();
    }
  } finally {
    await client.query(`ALTER DATABASE ${database} RESET log_min_duration_statement`);
  }
  const results = [];
  for (const { scenario, status, statements } of captured) {
    const explained = [];
    for (const statement of statements) {
      const sql = inlineParameters(statement.sql, statement.params);
      if (!EXPLAINABLE.test(sql)) {
        explained.push({ sql, plan: null });
        continue;
      }
      // Writes are explained inside a transaction that is rolled back, so ANALYZE changes nothing.
      await client.query('BEGIN');
      try {
        const rows = (await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`)).rows;
        explained.push({ sql, plan: rows.map((r) => r['QUERY PLAN']).join('\n') });
      } catch (error) {
        explained.push({ sql, plan: `EXPLAIN failed: ${error.message}` });
      } finally {
        await client.query('ROLLBACK');
      }
    }
    results.push({ scenario, status, statements: explained });
  }
  await client.end();
  return { logFile, results };
}
