// The database of this instance alone becomes unreachable under load, without touching the rest of the
// PostgreSQL server (so it can run in CI beside other tests): connections are refused
// (ALLOW_CONNECTIONS false) and the open ones terminated (pg_terminate_backend), for 3 s. Same course
// and criteria as pg-restart (lib/outage.mjs).
import { freshDatabase, PG_ADMIN_URL, queryDatabase } from './lib/databases.mjs';
import { sleep } from './lib/http.mjs';
import { OUTAGE_CRITERIA, runOutage } from './lib/outage.mjs';
import { startApi } from './lib/server.mjs';

export const drill = {
  name: 'db-outage',
  criteria: OUTAGE_CRITERIA,
  databases: ['postgres'],
  quick: true,
  async run({ appDir, database }) {
    const db = await freshDatabase(database, 'db-outage');
    const name = new URL(db.url).pathname.slice(1);
    const allowConnections = (allow) => queryDatabase(PG_ADMIN_URL, `ALTER DATABASE ${name} ALLOW_CONNECTIONS ${allow}`);
    let api;
    try {
      api = await startApi({ appDir, databaseUrl: db.url });
      return await runOutage({
        api,
        loadBeforeMs: 1_000,
        recoveryWindowMs: 10_000,
        takeDown: async () => {
          await allowConnections(false);
          await queryDatabase(PG_ADMIN_URL, 'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
          await sleep(300); // the backends take a moment to go
        },
        bringUp: () => allowConnections(true),
      });
    } finally {
      await allowConnections(true).catch(() => undefined);
      await api?.stop();
      await db.drop();
    }
  },
};
