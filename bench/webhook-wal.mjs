// Load-independent counts for issue 19 (bench/analysis.md): what a task write, its webhook deliveries included, writes
// to the database's log, without webhooks and with K of them, the deliveries drained to a local receiver.
// Writes are sent one at a time. PostgreSQL: the WAL records touching this database's relations (pg_walinspect; the
// cluster may be shared), bytes and records per write and by relation, from a CHECKPOINT (full-page images
// included). SQLite: WAL frames per write, from a truncated WAL (keep writes x frames under the 1,000-frame autocheckpoint).
// usage: node bench/webhook-wal.mjs <app dir holding dist/ and package.json> <sqlite|pg> <port> [writes=40] [webhooks=5]
import { spawn } from 'node:child_process';
import http from 'node:http';
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
const require = createRequire(import.meta.url);
const pg = require('pg');
const Database = require('better-sqlite3');

const [appDir, kind, portArg, writesArg = '40', hooksArg = '5'] = process.argv.slice(2);
const port = Number(portArg), WRITES = Number(writesArg), HOOKS = Number(hooksArg);
const dbName = `${process.env.BENCH_DB_PREFIX ?? 'taskflow_bench_'}wal_${port}`;
const file = join(tmpdir(), `${dbName}.sqlite`);
const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
let pgdb, sq;
if (kind === 'pg') {
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName}`);
  await admin.query(`CREATE DATABASE ${dbName}`);
} else {
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
}
const url = kind === 'pg' ? `postgres://postgres@127.0.0.1:5432/${dbName}` : `sqlite:///${file}`;
const env = { ...process.env, NODE_ENV: 'production', DATABASE_URL: url, LOG_LEVEL: 'warn', AUTH_MODE: 'required', JWT_SECRET: 'x'.repeat(64),
  SETUP_TOKEN: 'bench-setup-token-0123456789', ACCESS_TOKEN_TTL_MINUTES: '60', WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', PORT: String(port) };
const child = spawn(process.execPath, [join(dirname(fileURLToPath(import.meta.url)), 'lib', 'run-api.mjs'), appDir], { env, stdio: ['ignore', 'ignore', 'inherit'] });
process.on('exit', () => child.kill('SIGKILL'));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function call(method, path, body, token) {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { method, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}
for (;;) { try { await call('GET', '/health'); break; } catch { await sleep(100); } }
const session = await call('POST', '/auth/setup', { setup_token: env.SETUP_TOKEN, email: 'a@example.com', password: 'correct horse battery', name: 'Admin' });
const token = session.access_token;
if (kind === 'pg') { pgdb = new pg.Client({ connectionString: url }); await pgdb.connect(); await pgdb.query('CREATE EXTENSION IF NOT EXISTS pg_walinspect'); } else { sq = new Database(file); }

let received = 0;
const server = http.createServer((req, res) => { req.resume(); req.on('end', () => { received++; res.end('ok'); }); });
await new Promise((r) => server.listen(0, '127.0.0.1', r));

/** The API process's CPU so far (user + system, ms): on SQLite the database's work too, which runs in it. */
function apiCpuMs() {
  const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

async function mark() {
  if (kind === 'pg') {
    await sleep(1200);
    const [{ lsn }] = (await pgdb.query('SELECT pg_current_wal_lsn()::text AS lsn')).rows;
    return { lsn };
  }
  await sleep(1200);
  const [row] = sq.pragma('wal_checkpoint(PASSIVE)');
  return { frames: row.log };
}
async function resetWal() {
  await sleep(1200);
  if (kind !== 'pg') sq.pragma('wal_checkpoint(TRUNCATE)');
  else await pgdb.query('CHECKPOINT');
}

async function phase(label, hooks) {
  const ids = [];
  for (let i = 0; i < 5; i++) ids.push((await call('POST', '/tasks', { title: `seed ${i}` }, token)).id);
  const webhooks = [];
  for (let i = 0; i < hooks; i++) webhooks.push(await call('POST', '/webhooks', { url: `http://127.0.0.1:${server.address().port}/h`, events: ['*'] }, token));
  await sleep(2500);
  received = 0;
  await resetWal();
  const before = await mark();
  const cpuBefore = apiCpuMs();
  for (let i = 0; i < WRITES; i++) {
    if (label.startsWith('create')) await call('POST', '/tasks', { title: `task ${i} ${'lorem ipsum '.repeat(12)}`, description: 'd'.repeat(300) }, token);
    else await call('PATCH', `/tasks/${ids[i % ids.length]}`, { title: `updated ${i} ${'lorem ipsum '.repeat(12)}` }, token);
  }
  const deadline = Date.now() + 60_000;
  while (received < WRITES * hooks && Date.now() < deadline) await sleep(100);
  await sleep(1500);
  const cpuAfter = apiCpuMs();
  const after = await mark();
  for (const webhook of webhooks) await call('DELETE', `/webhooks/${webhook.id}`, null, token);
  // Deliveries included: measured until the last one arrived (and 1.5 s more, the same in every phase).
  const out = { label, hooks, writes: WRITES, received, apiCpuMsPerWrite: +((cpuAfter - cpuBefore) / WRITES).toFixed(2) };
  if (kind === 'pg') {
    // The cluster is shared: only the WAL records touching this database's relations (full-page images included).
    const { rows } = await pgdb.query(
      `WITH r AS (SELECT record_length, (regexp_match(block_ref, 'rel \\d+/(\\d+)/(\\d+)'))::text[] AS m FROM pg_get_wal_records_info($1::pg_lsn, $2::pg_lsn))
       SELECT COALESCE(c.relname, m[2]) AS rel, SUM(record_length)::bigint AS bytes, COUNT(*)::int AS records FROM r
       LEFT JOIN pg_class c ON c.relfilenode = m[2]::oid
       WHERE m[1]::oid = (SELECT oid FROM pg_database WHERE datname = current_database()) GROUP BY 1 ORDER BY 2 DESC`, [before.lsn, after.lsn]);
    out.walBytesPerWrite = Math.round(rows.reduce((sum, row) => sum + Number(row.bytes), 0) / WRITES);
    out.walRecordsPerWrite = +(rows.reduce((sum, row) => sum + row.records, 0) / WRITES).toFixed(1);
    out.byRelation = rows.slice(0, 8).map((row) => `${row.rel} ${Math.round(Number(row.bytes) / WRITES)}`).join(', ');
  } else {
    out.walFramesPerWrite = +((after.frames - before.frames) / WRITES).toFixed(1);
    out.framesTotal = after.frames;
  }
  console.log(JSON.stringify(out));
}
for (const label of ['update', 'create']) {
  await phase(label, 0);
  await phase(label + '-webhooks', HOOKS);
}
child.kill('SIGTERM');
server.close();
if (pgdb) await pgdb.end();
if (kind === 'pg') { await sleep(1500); await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`); await admin.end(); }
process.exit(0);
