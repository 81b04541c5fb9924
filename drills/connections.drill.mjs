// 1,000 concurrent keep-alive connections (autocannon) against the API and against the hand-written
// node:http baseline of bench/ on the same database: the API must give no client timeout, no
// connection error and no 5xx other than load shedding's 503 (with Retry-After), with a p99 latency
// within 3x of the baseline's.
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './lib/build.mjs';
import { freshDatabase } from './lib/databases.mjs';
import { request, sleep } from './lib/http.mjs';
import { allocatePort, credentialHeaders, startApi } from './lib/server.mjs';

const CONNECTIONS = 1_000;
const CLIENT_TIMEOUT_S = 5;

function blast({ port, headers, paths, seconds, connections = CONNECTIONS }) {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: `http://127.0.0.1:${port}`,
        connections,
        duration: seconds,
        timeout: CLIENT_TIMEOUT_S,
        headers,
        requests: paths.map((path) => ({ method: 'GET', path })),
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}

async function startBaseline(databaseUrl) {
  const port = allocatePort();
  const child = spawn(process.execPath, [join(ROOT, 'bench', 'baseline', 'server.mjs')], {
    // mirror: the API's own SQL on the API's tables (the plain baseline needs the benchmark's own table).
    env: { ...process.env, NODE_ENV: 'production', DATABASE_URL: databaseUrl, PORT: String(port), BASELINE: 'mirror' },
    stdio: 'ignore',
  });
  for (let i = 0; i < 200; i++) {
    if ((await request({ port, path: '/health' }).catch(() => null))?.status === 200) break;
    await sleep(50);
  }
  return { port, stop: () => new Promise((resolve) => child.once('exit', resolve).kill('SIGTERM')) };
}

function summary(result) {
  const shed = result.statusCodeStats?.['503']?.count ?? 0;
  const serverErrors = result['5xx'] - shed;
  return { p99: result.latency.p99, timeouts: result.timeouts, errors: result.errors - result.timeouts, serverErrors, shed, total: result.requests.total };
}

export const drill = {
  name: 'connections',
  criteria: `${CONNECTIONS} connections: 0 client timeouts (${CLIENT_TIMEOUT_S} s), 0 connection errors, 0 × 5xx other than 503, p99 <= 3x the baseline's`,
  databases: ['postgres'],
  quick: true,
  async run({ appDir, database, quick }) {
    const db = await freshDatabase(database, 'connections');
    const seconds = quick ? 5 : 10;
    try {
      const api = await startApi({ appDir, databaseUrl: db.url });
      const headers = await credentialHeaders(api);
      const task = await request({ port: api.port, method: 'POST', path: '/tasks', json: { title: 'target' }, headers });
      for (let i = 0; i < 50; i++) await request({ port: api.port, method: 'POST', path: '/tasks', json: { title: `filler ${i}` }, headers });
      const paths = [`/tasks/${task.json.id}`, '/tasks?limit=10'];
      // Both servers are measured warm (JIT-compiled, pools filled), as a server in service is.
      await blast({ port: api.port, headers, paths, seconds: 2, connections: 32 });
      const apiResult = summary(await blast({ port: api.port, headers, paths, seconds }));
      await api.stop();
      const baseline = await startBaseline(db.url);
      await blast({ port: baseline.port, headers: {}, paths, seconds: 2, connections: 32 });
      const baselineResult = summary(await blast({ port: baseline.port, headers: {}, paths, seconds }));
      await baseline.stop();
      const ratio = apiResult.p99 / baselineResult.p99;
      const pass = apiResult.timeouts === 0 && apiResult.errors === 0 && apiResult.serverErrors === 0 && ratio <= 3;
      return {
        pass,
        figures: `API: ${apiResult.total} answers, p99 ${apiResult.p99} ms, ${apiResult.timeouts} timeouts, ${apiResult.errors} connection errors, ` +
          `${apiResult.shed} × 503 shed, ${apiResult.serverErrors} other 5xx; baseline: ${baselineResult.total} answers, p99 ${baselineResult.p99} ms, ` +
          `${baselineResult.timeouts} timeouts; p99 ratio ${ratio.toFixed(2)}`,
      };
    } finally {
      await db.drop();
    }
  },
};
