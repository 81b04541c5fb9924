// SIGTERM during load: every request fully sent before the signal gets a real answer (no reset, no
// 5xx), every acknowledged creation is in the database afterwards, and the process exits 0 within 2 s,
// although a few clients hold connections that never send anything (as browsers' preconnections do).
import { connect } from 'node:net';
import { freshDatabase } from './lib/databases.mjs';
import { request, sleep } from './lib/http.mjs';
import { mixedRequest, runLoad } from './lib/load.mjs';
import { credentialHeaders, startApi } from './lib/server.mjs';

export const drill = {
  name: 'sigterm',
  criteria: 'no failed in-flight request, acknowledged creations kept, exit 0 within 2 s (with 8 silent connections open)',
  databases: ['sqlite', 'postgres'],
  quick: true,
  async run({ appDir, database, quick }) {
    const db = await freshDatabase(database, 'sigterm');
    try {
      let api = await startApi({ appDir, databaseUrl: db.url });
      const headers = await credentialHeaders(api);
      const seeded = await request({ port: api.port, method: 'POST', path: '/tasks', json: { title: 'seed' }, headers });
      const ids = [seeded.json.id];
      const counter = { next: 0 };
      let signalAt = Infinity;
      let answered = 0;
      const loadMs = quick ? 1_500 : 4_000;
      const load = runLoad({
        port: api.port,
        headers,
        concurrency: 64,
        until: () => performance.now() > signalAt + 3_000,
        makeRequest: () => mixedRequest(ids, counter),
        onResult: (result) => {
          if (result.status) answered++;
        },
      });
      // Every loop's connection first carries one answer: the signal then falls on established, kept-alive
      // connections, as behind Render's proxy (a connection still in its TCP handshake when the machine
      // is starved of CPU is reported apart below).
      while (answered < 64 * 3) await sleep(20);
      const silent = Array.from({ length: 8 }, () => connect({ host: '127.0.0.1', port: api.port }).on('error', () => undefined));
      await sleep(loadMs);
      signalAt = performance.now();
      api.signal('SIGTERM');
      const exit = await api.exited;
      const results = await load;
      for (const socket of silent) socket.destroy();

      const inFlight = results.filter((r) => r.sentAt !== undefined && r.sentAt < signalAt);
      const failedAll = inFlight.filter((r) => r.error || r.status >= 500);
      const failed = failedAll.filter((r) => r.reused || !r.error);
      const failedOnNewConnections = failedAll.length - failed.length;
      const created = inFlight.filter((r) => r.spec.method === 'POST' && r.status === 201).map((r) => r.json.id);
      api = await startApi({ appDir, databaseUrl: db.url, port: api.port });
      const authHeaders = await credentialHeaders(api);
      let missing = 0;
      for (const id of created) {
        if ((await request({ port: api.port, path: `/tasks/${id}`, headers: authHeaders })).status !== 200) missing++;
      }
      await api.stop();
      const exitMs = exit.at - signalAt;
      const pass = failed.length === 0 && missing === 0 && exit.code === 0 && exitMs <= 2_000;
      const failures = [...new Set(failed.map((r) => r.error ?? r.status))].join('/');
      if (failedAll.length > 0 && process.env.DRILLS_DEBUG) {
        console.error(failedAll.map((r) => `${r.spec.method ?? 'GET'} ${r.spec.path} sent ${(signalAt - r.sentAt).toFixed(1)} ms before the signal, failed ${(r.failedAt - signalAt).toFixed(1)} ms after it: ${r.error ?? r.status}`).join('\n'));
      }
      return {
        pass,
        figures: `${inFlight.length} requests in flight or done before the signal, ${failed.length} failed${failures ? ` (${failures})` : ''}` +
          `${failedOnNewConnections ? ` (and ${failedOnNewConnections} first requests of connections the server never accepted)` : ''}, ` +
          `${created.length} creations acknowledged, ${missing} missing; exit code ${exit.code ?? exit.signal} after ${Math.round(exitMs)} ms`,
      };
    } finally {
      await db.drop();
    }
  },
};
