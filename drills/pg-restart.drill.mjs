// PostgreSQL stopped and started again under load: no 500 at any time, every refusal a 503 with
// Retry-After, /health 503 while the database is down, and the API serving again within 5 s of the
// database being back, by itself. Restarts the machine's PostgreSQL, so it is not in the quick mode.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { freshDatabase } from './lib/databases.mjs';
import { request, sleep } from './lib/http.mjs';
import { mixedRequest, runLoad } from './lib/load.mjs';
import { credentialHeaders, startApi } from './lib/server.mjs';

const DOWN_MS = 3_000;

function pgctl(action) {
  const version = readdirSync('/etc/postgresql')[0];
  execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', action, ...(action === 'stop' ? ['-m', 'fast'] : [])]);
}

export const drill = {
  name: 'pg-restart',
  criteria: 'no 500, every 503 with Retry-After, /health 503 while down, serving again within 5 s of the database, outage logged once',
  databases: ['postgres'],
  quick: false,
  async run({ appDir, database }) {
    const db = await freshDatabase(database, 'pg-restart');
    let api;
    try {
      api = await startApi({ appDir, databaseUrl: db.url });
      const headers = await credentialHeaders(api);
      const outageLines = api.countLines(/Database unavailable/);
      const seeded = await request({ port: api.port, method: 'POST', path: '/tasks', json: { title: 'seed' }, headers });
      const counter = { next: 0 };
      let stopLoad = false;
      const load = runLoad({
        port: api.port,
        headers,
        concurrency: 32,
        timeoutMs: 10_000,
        until: () => stopLoad,
        makeRequest: () => mixedRequest([seeded.json.id], counter),
      });
      await sleep(1_500);
      pgctl('stop');
      const downAt = performance.now();
      const healthWhileDown = [];
      while (performance.now() - downAt < DOWN_MS) {
        healthWhileDown.push((await request({ port: api.port, path: '/health', timeoutMs: 5_000 }).catch(() => ({ status: 'error' }))).status);
        await sleep(200);
      }
      pgctl('start');
      const upAt = performance.now();
      let recoveredMs = Infinity;
      while (performance.now() - upAt < 15_000) {
        const health = await request({ port: api.port, path: '/health', timeoutMs: 5_000 }).catch(() => null);
        const list = await request({ port: api.port, path: '/tasks?limit=1', headers, timeoutMs: 5_000 }).catch(() => null);
        if (health?.status === 200 && list?.status === 200) {
          recoveredMs = performance.now() - upAt;
          break;
        }
        await sleep(100);
      }
      await sleep(1_000);
      stopLoad = true;
      const results = await load;
      const count = (predicate) => results.filter(predicate).length;
      const serverErrors = count((r) => r.status >= 500 && r.status !== 503);
      const unavailable = count((r) => r.status === 503);
      const withoutRetryAfter = count((r) => r.status === 503 && !r.headers['retry-after']);
      const networkErrors = count((r) => r.error);
      const healthOk = healthWhileDown.length > 0 && healthWhileDown.every((status) => status === 503);
      const pass = !(api.child.exitCode !== null || api.child.signalCode !== null) && serverErrors === 0 && withoutRetryAfter === 0 && networkErrors === 0 && healthOk && recoveredMs <= 5_000
        && outageLines() >= 1 && outageLines() <= 2;
      const exited = api.child.exitCode !== null || api.child.signalCode !== null;
      const lastLog = api.log().trim().split('\n').slice(process.env.DRILLS_DEBUG ? -40 : -3).join(' | ').slice(0, process.env.DRILLS_DEBUG ? 6000 : 600);
      return {
        pass,
        figures: `${results.length} requests: ${serverErrors} × 5xx other than 503, ${unavailable} × 503 (${withoutRetryAfter} without Retry-After), ` +
          `${networkErrors} network errors; /health while down: ${[...new Set(healthWhileDown)].join('/')} (${healthWhileDown.length} checks); ` +
          `serving again ${Math.round(recoveredMs)} ms after the database; outage logged ${outageLines()} time(s)` +
          `${exited ? `; THE API EXITED (${api.child.exitCode ?? api.child.signalCode}): ${lastLog}` : ''}`,
      };
    } finally {
      try {
        pgctl('start');
      } catch {
        // already running
      }
      await api?.stop();
      await db.drop();
    }
  },
};
