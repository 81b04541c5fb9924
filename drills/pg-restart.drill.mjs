// PostgreSQL stopped and started again under load: no 500 at any time, every refusal a 503 with
// Retry-After, /health 503 while the database is down, and the API serving again within 5 s of the
// database being back, by itself (lib/outage.mjs). Restarts the machine's PostgreSQL, so it is not in
// the quick mode.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { freshDatabase } from './lib/databases.mjs';
import { OUTAGE_CRITERIA, runOutage } from './lib/outage.mjs';
import { startApi } from './lib/server.mjs';

function pgctl(action) {
  const version = readdirSync('/etc/postgresql')[0];
  execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', action, ...(action === 'stop' ? ['-m', 'fast'] : [])]);
}

export const drill = {
  name: 'pg-restart',
  criteria: OUTAGE_CRITERIA,
  databases: ['postgres'],
  quick: false,
  async run({ appDir, database }) {
    const db = await freshDatabase(database, 'pg-restart');
    let api;
    try {
      api = await startApi({ appDir, databaseUrl: db.url });
      return await runOutage({
        api,
        loadBeforeMs: 1_500,
        loadAfterMs: 1_000,
        recoveryWindowMs: 15_000,
        takeDown: async () => pgctl('stop'),
        bringUp: async () => pgctl('start'),
      });
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
