// kill -9 during writes: every creation and update the API acknowledged (201/200) before it died is
// in the database after a restart, on both databases (SQLite: WAL with synchronous=FULL).
import { freshDatabase } from './lib/databases.mjs';
import { request, sleep } from './lib/http.mjs';
import { runLoad } from './lib/load.mjs';
import { credentialHeaders, startApi } from './lib/server.mjs';

export const drill = {
  name: 'kill9',
  criteria: '0 acknowledged writes lost',
  databases: ['sqlite', 'postgres'],
  quick: true,
  async run({ appDir, database, quick }) {
    const db = await freshDatabase(database, 'kill9');
    try {
      let api = await startApi({ appDir, databaseUrl: db.url });
      const headers = await credentialHeaders(api);
      const seeded = await request({ port: api.port, method: 'POST', path: '/tasks', json: { title: 'seed' }, headers });
      const updateTarget = seeded.json.id;
      let killed = false;
      let i = 0;
      // Half creations, half updates of one task whose description counts up: the last acknowledged
      // update's value (or a later one, whose answer was lost in the kill) must be the one stored.
      const load = runLoad({
        port: api.port,
        headers,
        concurrency: 32,
        timeoutMs: 5_000,
        until: () => killed,
        makeRequest: () => {
          const n = i++;
          return n % 2 === 0
            ? { method: 'POST', path: '/tasks', json: { title: `kill9 ${n}` } }
            : { method: 'PATCH', path: `/tasks/${updateTarget}`, json: { description: String(n) } };
        },
      });
      await sleep(quick ? 1_500 : 5_000);
      api.signal('SIGKILL');
      await api.exited;
      killed = true;
      const results = await load;

      api = await startApi({ appDir, databaseUrl: db.url, port: api.port });
      const authHeaders = await credentialHeaders(api);
      const created = results.filter((r) => r.spec.method === 'POST' && r.status === 201).map((r) => r.json.id);
      let lost = 0;
      for (const id of created) {
        if ((await request({ port: api.port, path: `/tasks/${id}`, headers: authHeaders })).status !== 200) lost++;
      }
      const acknowledgedUpdates = results.filter((r) => r.spec.method === 'PATCH' && r.status === 200);
      const lastAcknowledged = Math.max(-1, ...acknowledgedUpdates.map((r) => Number(r.spec.json.description)));
      const stored = await request({ port: api.port, path: `/tasks/${updateTarget}`, headers: authHeaders });
      // Updates race, so the stored one may be any acknowledged or unanswered one, but never an older
      // version than an acknowledged one: its updated_at must be at least the newest acknowledged.
      const newestAckedAt = Math.max(0, ...acknowledgedUpdates.map((r) => Date.parse(r.json.updated_at)));
      const updateLost = Date.parse(stored.json.updated_at) < newestAckedAt;
      await api.stop();
      const errors = results.filter((r) => r.error).length;
      return {
        pass: lost === 0 && !updateLost && created.length > 0,
        figures: `${created.length} creations and ${acknowledgedUpdates.length} updates acknowledged before kill -9, ${lost} creations lost, ` +
          `newest acknowledged update ${updateLost ? 'LOST' : 'kept'} (last acknowledged #${lastAcknowledged}); ${errors} requests cut by the kill`,
      };
    } finally {
      await db.drop();
    }
  },
};
