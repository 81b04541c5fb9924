// The database of this instance alone becomes unreachable under load, without touching the rest of the
// PostgreSQL server (so it can run in CI beside other tests): connections are refused
// (ALLOW_CONNECTIONS false) and the open ones terminated (pg_terminate_backend), for 3 s. Same
// criteria as pg-restart: the process stays up, no 5xx other than 503, every 503 with Retry-After,
// /health 503 while down, serving again within 5 s, the outage logged once.
import { freshDatabase, PG_ADMIN_URL, queryDatabase } from './lib/databases.mjs';
import { request, sleep } from './lib/http.mjs';
import { mixedRequest, runLoad } from './lib/load.mjs';
import { credentialHeaders, startApi } from './lib/server.mjs';

const DOWN_MS = 3_000;

export const drill = {
  name: 'db-outage',
  criteria: 'the API stays up; no 5xx other than 503, every 503 with Retry-After, /health 503 while down, serving again within 5 s, outage logged once',
  databases: ['postgres'],
  quick: true,
  async run({ appDir, database }) {
    const db = await freshDatabase(database, 'db-outage');
    const name = new URL(db.url).pathname.slice(1);
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
        until: () => stopLoad,
        makeRequest: () => mixedRequest([seeded.json.id], counter),
      });
      await sleep(1_000);
      await queryDatabase(PG_ADMIN_URL, `ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
      await queryDatabase(PG_ADMIN_URL, 'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
      const downAt = performance.now();
      const healthWhileDown = [];
      await sleep(300);
      while (performance.now() - downAt < DOWN_MS) {
        healthWhileDown.push((await request({ port: api.port, path: '/health', timeoutMs: 5_000 }).catch(() => ({ status: 'error' }))).status);
        await sleep(200);
      }
      await queryDatabase(PG_ADMIN_URL, `ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
      const upAt = performance.now();
      let recoveredMs = Infinity;
      while (performance.now() - upAt < 10_000) {
        const health = await request({ port: api.port, path: '/health', timeoutMs: 5_000 }).catch(() => null);
        const list = await request({ port: api.port, path: '/tasks?limit=1', headers, timeoutMs: 5_000 }).catch(() => null);
        if (health?.status === 200 && list?.status === 200) {
          recoveredMs = performance.now() - upAt;
          break;
        }
        await sleep(100);
      }
      stopLoad = true;
      const results = await load;
      const alive = api.child.exitCode === null && api.child.signalCode === null;
      const count = (predicate) => results.filter(predicate).length;
      const serverErrors = count((r) => r.status >= 500 && r.status !== 503);
      const unavailable = count((r) => r.status === 503);
      const withoutRetryAfter = count((r) => r.status === 503 && !r.headers['retry-after']);
      const networkErrors = count((r) => r.error);
      const healthOk = healthWhileDown.length > 0 && healthWhileDown.every((status) => status === 503);
      const pass = alive && serverErrors === 0 && withoutRetryAfter === 0 && networkErrors === 0 && healthOk && recoveredMs <= 5_000
        && outageLines() >= 1 && outageLines() <= 2;
      return {
        pass,
        figures: `${alive ? 'the API stayed up' : `THE API EXITED (${api.child.exitCode ?? api.child.signalCode})`}; ${results.length} requests: ` +
          `${serverErrors} × 5xx other than 503, ${unavailable} × 503 (${withoutRetryAfter} without Retry-After), ${networkErrors} network errors; ` +
          `/health while down: ${[...new Set(healthWhileDown)].join('/')} (${healthWhileDown.length} checks); serving again ${Math.round(recoveredMs)} ms ` +
          `after the database; outage logged ${outageLines()} time(s)`,
      };
    } finally {
      await queryDatabase(PG_ADMIN_URL, `ALTER DATABASE ${name} ALLOW_CONNECTIONS true`).catch(() => undefined);
      await api?.stop();
      await db.drop();
    }
  },
};
