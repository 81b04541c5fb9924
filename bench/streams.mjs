// `npm run bench:streams`: 500 open event streams during a write load (issue 10's scenario).
//
// For each database: the production build (render.yaml's start flags, accounts on) on a fresh database;
// a closed-loop write load (POST /tasks) without streams, then the same load with 500 streams open
// (in a child process, so that reading them does not slow the writers down). It measures the write
// throughput both ways, the delivery latency from a write's acknowledgement to each stream's receipt
// of its event (p50/p99), and the server's memory per open stream. Prints a Markdown section and,
// with --write, puts it into bench/RESULTS.md between the STREAMS markers.
//
// Options (`node bench/streams.mjs --help`): --database=postgres (one database only), --seconds=N (each measured
// phase), --comments-only (the comment phase alone, to profile it), --cpu-prof (profiles of the API in
// bench/.data/profiles/), --log-statements (PostgreSQL: log_min_duration_statement=0 for the benchmark's database).
// BENCH_STREAMS_PORT sets the API's port (default 8790).
import { fork, execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { productionNodeFlags, productionRuntimeEnv } from '../scripts/production-start.mjs';
import { BENCH_AUTH_ENV, benchCredentials } from './lib/auth.mjs';
import { cpuMs, startServer } from './lib/server.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const DATABASES = ['sqlite', 'postgres'];
const { values: flags } = parseArgs({
  options: {
    database: { type: 'string' },
    seconds: { type: 'string' },
    dist: { type: 'string' },
    'comments-only': { type: 'boolean', default: false },
    'cpu-prof': { type: 'boolean', default: false },
    'log-statements': { type: 'boolean', default: false },
    write: { type: 'boolean', default: false },
    'stream-client': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (flags.help) {
  console.log(`node bench/streams.mjs [options]   (builds nothing: run \`npm run build\` first)
  --database=D       sqlite or postgres (default: both, one after the other)
  --seconds=N        length of each measured write phase (default 10, or BENCH_STREAM_WRITE_SECONDS)
  --dist=DIR         the build to measure (default: dist/), e.g. a copy of the build before a change
  --comments-only    skip the task write phases: the comment phase alone (for a profile of it)
  --cpu-prof         start the API with --cpu-prof; profiles go to bench/.data/profiles/
  --log-statements   PostgreSQL: log every statement of the benchmark's database (the server's log)
  --write            put the report into bench/RESULTS.md (a full run only)
env: BENCH_STREAMS_PORT (default 8790), BENCH_STREAMS (streams, default 500)`);
  process.exit(0);
}
const STREAMS = Number(process.env.BENCH_STREAMS ?? 500);
const WRITERS = 8;
const WRITE_SECONDS = Number(flags.seconds ?? process.env.BENCH_STREAM_WRITE_SECONDS ?? 10);
const PORT = Number(process.env.BENCH_STREAMS_PORT ?? 8790);
const SELECTED_DATABASES = flags.database ? flags.database.split(',') : DATABASES;
const COMMENTS_ONLY = flags['comments-only'];
const PROFILE_DIR = join(root, 'bench', '.data', 'profiles');
// The comment phase (issue 17): members whose streams are open, and the tasks five of them watch.
const MEMBERS = 10;
const WATCHED_TASKS = 40;
const PG_SERVER = 'postgres://postgres@127.0.0.1:5432';

if (flags['stream-client']) await streamClient();
else await main();

async function main() {
  const unknown = SELECTED_DATABASES.filter((database) => !DATABASES.includes(database));
  if (unknown.length > 0) throw new Error(`--database: unknown ${unknown.join(', ')} (sqlite or postgres)`);
  if (!(WRITE_SECONDS > 0)) throw new Error('--seconds must be a positive number');
  const partial = COMMENTS_ONLY || flags.dist || SELECTED_DATABASES.length < DATABASES.length || WRITE_SECONDS !== 10 || flags['cpu-prof'] || flags['log-statements'];
  if (flags.write && partial) throw new Error('--write takes a full run only (both databases, 10 s, no profile)');
  // A copy of dist under bench/.data (so that it still finds node_modules): a build started elsewhere during the
  // run would delete the one being measured. The API reads its version from package.json next to dist/.
  mkdirSync(join(root, 'bench', '.data'), { recursive: true });
  const work = mkdtempSync(join(root, 'bench', '.data', 'streams-'));
  cpSync(flags.dist ?? join(root, 'dist'), join(work, 'dist'), { recursive: true });
  copyFileSync(join(root, 'package.json'), join(work, 'package.json'));
  const sections = [];
  try {
    for (const database of SELECTED_DATABASES) sections.push(await measure(database, work));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const markdown = report(sections);
  console.log(markdown);
  if (flags.write) writeIntoResults(markdown);
}

async function measure(database, work) {
  const name = `bench_streams_${process.pid}`;
  let databaseUrl = `sqlite:///${join(work, `${name}.db`)}`;
  if (database === 'postgres') {
    psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    psql(`CREATE DATABASE ${name}`);
    if (flags['log-statements']) {
      psql(`ALTER DATABASE ${name} SET log_min_duration_statement = 0`);
      // And the plan of any statement slower than 2 ms.
      psql(`ALTER DATABASE ${name} SET session_preload_libraries = 'auto_explain'`);
      psql(`ALTER DATABASE ${name} SET auto_explain.log_min_duration = 2`);
      psql(`ALTER DATABASE ${name} SET auto_explain.log_analyze = on`);
    }
    databaseUrl = `${PG_SERVER}/${name}`;
  }
  const profile = flags['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`, `--cpu-prof-name=streams-${database}-${Date.now()}.cpuprofile`] : [];
  const server = await startServer({
    name: `api (${database})`,
    args: [...profile, ...productionNodeFlags(), join(work, 'dist', 'main.js')],
    env: { ...BENCH_AUTH_ENV, ...productionRuntimeEnv(), DATABASE_URL: databaseUrl, NODE_ENV: 'production', LOG_LEVEL: 'warn', CORS_ORIGINS: 'http://localhost:5173' },
    port: PORT,
  });
  try {
    const { accessToken } = await benchCredentials(PORT);
    const meter = () => usage(server, database === 'postgres' ? name : null);
    const tasks = COMMENTS_ONLY ? null : await taskPhases(server, accessToken, meter);
    const comments = await commentPhase(accessToken, meter);
    return { database, ...tasks, comments, peakRssMb: server.peakRssMb() };
  } finally {
    await server.stop();
    if (database === 'postgres') psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

/** Task writes without streams, then with STREAMS streams open: throughput, delivery latency, memory per stream. */
async function taskPhases(server, accessToken, meter) {
  await writeLoad(accessToken, 2); // warm-up
  const withoutStreams = await metered(meter, () => writeLoad(accessToken, WRITE_SECONDS));

  const rssBefore = server.rssMb();
  const client = fork(fileURLToPath(import.meta.url), ['--stream-client'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ready = onceMessage(client, 'ready');
  client.send({ type: 'open', port: PORT, token: accessToken, count: STREAMS });
  await ready;
  await sleep(1000);
  const rssWithStreams = server.rssMb();

  const acks = new Map();
  const withStreams = await metered(meter, () => writeLoad(accessToken, WRITE_SECONDS, acks));
  await sleep(2000); // the last events on their way
  const received = onceMessage(client, 'received');
  client.send({ type: 'report' });
  const { receipts, openStreams, errors } = await received;
  client.kill();

  return {
    streams: openStreams,
    streamErrors: errors,
    withoutStreams,
    withStreams,
    ...deliveries(acks, receipts, '', openStreams),
    memoryPerStreamKb: ((rssWithStreams - rssBefore) * 1024) / openStreams,
  };
}

/** Latencies from each acknowledgement to each receipt of its event (receipts keyed by `prefix` + id). */
function deliveries(acks, receipts, prefix, expectedPerWrite) {
  const latencies = [];
  let missing = 0;
  for (const [id, ackedAt] of acks) {
    const times = receipts[prefix + id] ?? [];
    if (expectedPerWrite !== undefined) missing += expectedPerWrite - times.length;
    for (const receivedAt of times) latencies.push(receivedAt - ackedAt);
  }
  latencies.sort((a, b) => a - b);
  return { deliveries: latencies.length, missing, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99), max: latencies.at(-1) ?? NaN };
}

/** WRITERS closed-loop writers for `seconds`; records each acknowledgement time by task id. */
async function writeLoad(token, seconds, acks, nextWrite) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: WRITERS });
  const deadline = performance.now() + seconds * 1000;
  let done = 0;
  let failed = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, writer) => {
      for (let n = 0; performance.now() < deadline; n++) {
        const write = nextWrite?.() ?? { path: '/tasks', payload: { title: `stream bench ${writer}-${n}`, priority: 'high' } };
        // A connection reset counts as a failed write (reported in the errors column), not the end of the run.
        const { status, body } = await request(agent, token, write.payload, write.path).catch((error) => {
          console.error(`write failed: ${error.code ?? error.message}`);
          return { status: 0, body: '' };
        });
        if (status === 201) {
          done++;
          acks?.set(JSON.parse(body).id, performance.timeOrigin + performance.now());
        } else failed++;
      }
    }),
  );
  agent.destroy();
  const elapsed = (performance.now() - started) / 1000;
  return { writesPerSecond: done / elapsed, done, failed };
}

/**
 * The API's CPU time and write system calls (socket writes: responses and stream events, statements sent),
 * and the CPU time of the database's PostgreSQL backends (read from /proc), at one moment.
 */
function usage(server, pgDatabase) {
  const syscalls = Number(/^syscw:\s+(\d+)/m.exec(readFileSync(`/proc/${server.pid}/io`, 'utf8'))?.[1] ?? NaN);
  const backends = new Map();
  if (pgDatabase) {
    const pids = execFileSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', 'postgres', '-Atc', `SELECT pid FROM pg_stat_activity WHERE datname = '${pgDatabase}'`]);
    for (const pid of pids.toString().split('\n').filter(Boolean)) {
      try {
        backends.set(pid, cpuMs(pid));
      } catch {
        // Ended between the query and the read.
      }
    }
  }
  return { apiCpuMs: server.cpuMs(), syscalls, backends };
}

/** Runs a write load and adds what each acknowledged write cost: API CPU ms, database CPU ms, API write syscalls. */
async function metered(meter, load) {
  const before = meter();
  const startedAt = new Date().toISOString();
  const result = await load();
  const after = meter();
  // For --log-statements: which lines of the server's log belong to the phase.
  if (flags['log-statements']) console.error(`phase from ${startedAt} to ${new Date().toISOString()}: ${result.done} writes`);
  let databaseMs = 0;
  for (const [pid, ms] of after.backends) databaseMs += ms - (before.backends.get(pid) ?? 0);
  const per = (value) => value / Math.max(1, result.done);
  return {
    ...result,
    apiCpuMs: per(after.apiCpuMs - before.apiCpuMs),
    databaseCpuMs: after.backends.size > 0 ? per(databaseMs) : NaN,
    syscalls: per(after.syscalls - before.syscalls),
  };
}

function request(agent, token, payload, path = '/tasks', method = 'POST') {
  const body = payload === undefined ? '' : JSON.stringify(payload);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: PORT,
        path,
        method,
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Issue 17: the same writers post comments instead of tasks, with the streams open again, now those of ten members
 * (50 each), on 40 tasks five members watch, each comment mentioning two members: every comment is a change-log
 * entry for all 500 streams plus up to seven notifications, each on its recipient's 50 streams.
 */
async function commentPhase(adminToken, meter) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: WRITERS });
  const members = [];
  for (let i = 0; i < MEMBERS; i++) {
    const email = `stream-member-${i}-${process.pid}@bench.taskflow.test`;
    const invitation = await request(agent, adminToken, { role: 'member', email }, '/users/invitations');
    const { code } = JSON.parse(invitation.body);
    const { status, body } = await request(agent, null,
      { email, name: `Stream Member ${i + 1}`, password: 'bench-password-1234', invitation: code }, '/auth/register');
    if (status !== 201) throw new Error(`register: HTTP ${status} ${body}`);
    const session = JSON.parse(body);
    members.push({ id: session.user.id, token: session.access_token });
  }
  const taskIds = [];
  for (let i = 0; i < WATCHED_TASKS; i++) {
    const { body } = await request(agent, adminToken, { title: `stream bench watched ${i}` });
    const taskId = JSON.parse(body).id;
    taskIds.push(taskId);
    for (const member of members.slice(0, 5)) await request(agent, member.token, undefined, `/tasks/${taskId}/watch`, 'PUT');
  }
  agent.destroy();

  let next = 0;
  const nextComment = () => {
    const n = next++;
    const [first, second] = [members[n % MEMBERS], members[(n * 7 + 3) % MEMBERS]];
    return { path: `/tasks/${taskIds[n % WATCHED_TASKS]}/comments`, payload: { body: `<@${first.id}> and <@${second.id}>: comment ${n}` } };
  };
  // What a comment costs without any stream to deliver it to.
  const withoutStreams = await metered(meter, () => writeLoad(adminToken, WRITE_SECONDS, undefined, nextComment));

  const client = fork(fileURLToPath(import.meta.url), ['--stream-client'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ready = onceMessage(client, 'ready');
  client.send({ type: 'open', port: PORT, tokens: members.map((member) => member.token), count: STREAMS });
  await ready;
  await sleep(1000);
  const acks = new Map();
  const load = await metered(meter, () => writeLoad(adminToken, WRITE_SECONDS, acks, nextComment));
  await sleep(2000);
  const received = onceMessage(client, 'received');
  client.send({ type: 'report' });
  const { receipts, openStreams, notifications, comments, errors } = await received;
  client.kill();
  return {
    ...load,
    withoutStreams,
    notifications,
    commentEvents: comments,
    streamErrors: errors,
    commentDelivery: deliveries(acks, receipts, 'c:', openStreams),
    notificationDelivery: deliveries(acks, receipts, 'n:'),
  };
}

/** The child process: opens the streams, notes when each task's event reaches each stream. */
async function streamClient() {
  const receipts = {};
  const counts = { notifications: 0, comments: 0 };
  let openStreams = 0;
  let errors = 0;
  process.on('message', async (message) => {
    if (message.type === 'open') {
      const opened = [];
      for (let i = 0; i < message.count; i++) {
        const token = message.tokens ? message.tokens[i % message.tokens.length] : message.token;
        opened.push(openStream({ port: message.port, token }, receipts, counts).then(() => openStreams++, () => errors++));
      }
      await Promise.all(opened);
      process.send({ type: 'ready' });
    } else if (message.type === 'report') {
      process.send({ type: 'received', receipts, openStreams, errors, ...counts });
    }
  });
}

function openStream({ port, token }, receipts, counts) {
  return new Promise((resolve, reject) => {
    const req = http.get(
      { host: '127.0.0.1', port, path: '/tasks/events', agent: false, headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } },
      (res) => {
        if (res.statusCode !== 200) return reject(new Error(`stream: HTTP ${res.statusCode}`));
        res.setEncoding('utf8');
        let buffer = '';
        res.on('data', (chunk) => {
          const receivedAt = performance.timeOrigin + performance.now();
          buffer += chunk;
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            // Receipts by task id (task.created), `c:` + comment id (comment.created), `n:` + comment id (notification).
            let key;
            if (block.includes('event: notification\n')) {
              counts.notifications++;
              key = `n:${/"comment_id":"([0-9a-f-]{36})"/.exec(block)?.[1]}`;
            } else if (block.includes('"kind":"comment_created"')) {
              counts.comments++;
              key = `c:${/"comment":\{"id":"([0-9a-f-]{36})"/.exec(block)?.[1]}`;
            } else key = /"task_id":"([0-9a-f-]{36})","kind":"created"/.exec(block)?.[1];
            if (key) (receipts[key] ??= []).push(receivedAt);
          }
        });
        resolve();
      },
    );
    req.on('error', reject);
  });
}

function onceMessage(child, type) {
  return new Promise((resolve) => {
    const listener = (message) => {
      if (message.type !== type) return;
      child.off('message', listener);
      resolve(message);
    };
    child.on('message', listener);
  });
}

function report(sections) {
  const taskSections = sections.filter((s) => s.withStreams);
  const row = (s) =>
    `| ${s.database} | ${s.streams} | ${s.withoutStreams.writesPerSecond.toFixed(0)} | ${s.withStreams.writesPerSecond.toFixed(0)} | ` +
    `${(s.withStreams.writesPerSecond / s.withoutStreams.writesPerSecond).toFixed(2)}× | ${s.deliveries} | ${s.missing} | ` +
    `${s.p50.toFixed(1)} | ${s.p99.toFixed(1)} | ${s.max.toFixed(1)} | ${s.memoryPerStreamKb.toFixed(1)} | ${s.peakRssMb.toFixed(0)} | ` +
    `${s.withoutStreams.failed + s.withStreams.failed + s.streamErrors} |`;
  const ms = (delivery) => `${delivery.p50.toFixed(0)} / ${delivery.p99.toFixed(0)}`;
  const commentRow = (s) =>
    `| ${s.database} | ${s.withStreams ? s.withStreams.writesPerSecond.toFixed(0) : '-'} | ${s.comments.writesPerSecond.toFixed(0)} | ` +
    `${s.withStreams ? `${(s.withStreams.writesPerSecond / s.comments.writesPerSecond).toFixed(2)}×` : '-'} | ${s.comments.commentEvents} | ` +
    `${s.comments.commentDelivery.missing} | ${ms(s.comments.commentDelivery)} | ${s.comments.notifications} | ${ms(s.comments.notificationDelivery)} | ` +
    `${s.comments.failed + s.comments.streamErrors} |`;
  const costRow = (database, phase, load) =>
    `| ${database} | ${phase} | ${load.writesPerSecond.toFixed(0)} | ${load.apiCpuMs.toFixed(2)} | ${Number.isNaN(load.databaseCpuMs) ? '-' : load.databaseCpuMs.toFixed(2)} | ${load.syscalls.toFixed(0)} |`;
  const costRows = (s) => [
    ...(s.withStreams ? [costRow(s.database, 'tasks, no streams', s.withoutStreams), costRow(s.database, `tasks, ${s.streams} streams`, s.withStreams)] : []),
    costRow(s.database, 'comments, no streams', s.comments.withoutStreams),
    costRow(s.database, `comments, ${STREAMS} streams`, s.comments),
  ];
  return [
    '<!-- STREAMS:BEGIN (written by `npm run bench:streams -- --write`) -->',
    `## Live events: ${STREAMS} open streams during a write load`,
    '',
    `${new Date().toISOString().slice(0, 10)}, \`node bench/streams.mjs\`: the production build with render.yaml's flags and accounts on;`,
    `${WRITERS} closed-loop writers (POST /tasks) for ${WRITE_SECONDS} s without streams, then with ${STREAMS} streams open`,
    '(`GET /tasks/events`, each one a client of its own, read in a separate process). Latency: from the write\'s',
    'acknowledgement (its 201 reaching the writer) to the event reaching a stream, for every (write, stream) pair',
    '(negative when the event arrived before the 201). Memory per stream: the server\'s RSS after opening the streams',
    'minus before, divided by their number.',
    '',
    '| database | streams | writes/s without | writes/s with | ratio | deliveries | missing | p50 ms | p99 ms | max ms | KB per stream | peak RSS MB | errors |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...taskSections.map(row),
    '',
    '### Comments and notifications with the streams open (issue 17)',
    '',
    `The same ${WRITERS} writers post comments instead of tasks for ${WRITE_SECONDS} s, with ${STREAMS} streams open again, now those of`,
    `${MEMBERS} members (${STREAMS / MEMBERS} each), on ${WATCHED_TASKS} tasks that five members watch; each comment mentions two members, so each is`,
    'a change-log entry for every stream plus up to seven notifications, each on its recipient\'s streams. Target: task',
    'writes/s with streams at most 1.25× comment writes/s with streams (the cost of comments and notifications).',
    'Latencies (p50 / p99) from the comment\'s 201 to its `comment.created` event, and to its notifications, on each stream.',
    '',
    '| database | task writes/s with streams | comment writes/s with streams | ratio (target <= 1.25×) | comment events received | missing | comment event ms | notification events received | notification ms | errors |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...sections.map(commentRow),
    '',
    'Cost per acknowledged write in each phase: CPU ms of the API and of the PostgreSQL backends (from /proc), and the',
    'API\'s write system calls (responses, stream events, statements sent).',
    '',
    '| database | phase | writes/s | API CPU ms | database CPU ms | API write syscalls |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
    ...sections.flatMap(costRows),
    '<!-- STREAMS:END -->',
  ].join('\n');
}

function writeIntoResults(markdown) {
  const file = join(root, 'bench', 'RESULTS.md');
  const current = readFileSync(file, 'utf8');
  const pattern = /<!-- STREAMS:BEGIN[\s\S]*?<!-- STREAMS:END -->/;
  writeFileSync(file, pattern.test(current) ? current.replace(pattern, markdown) : `${current.trimEnd()}\n\n${markdown}\n`);
}

function quantile(sorted, q) {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function psql(sql) {
  execFileSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', 'postgres', '-q', '-v', 'ON_ERROR_STOP=1', '-c', sql], { stdio: 'pipe' });
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
