// Soak: steady mixed load (reads, creations, updates, idempotent creations) for a while; the RSS of the
// API, sampled every second, must not grow after warm-up: the median of the last quarter of the run
// is within 15% (or 10 MB) of the median of the second quarter.
import { freshDatabase } from './lib/databases.mjs';
import { percentile, sleep } from './lib/http.mjs';
import { mixedRequest, runLoad } from './lib/load.mjs';
import { credentialHeaders, startApi } from './lib/server.mjs';
import { request } from './lib/http.mjs';

export const drill = {
  name: 'soak',
  criteria: 'RSS median of the last quarter within max(15%, 10 MB) of the second quarter\'s; no 5xx other than 503',
  databases: ['sqlite', 'postgres'],
  quick: false,
  async run({ appDir, database }) {
    const db = await freshDatabase(database, 'soak');
    const seconds = Number(process.env.DRILLS_SOAK_SECONDS ?? 240);
    try {
      const api = await startApi({ appDir, databaseUrl: db.url });
      const headers = await credentialHeaders(api);
      const seeded = await request({ port: api.port, method: 'POST', path: '/tasks', json: { title: 'seed' }, headers });
      const counter = { next: 0 };
      const started = performance.now();
      let serverErrors = 0;
      let answers = 0;
      const load = runLoad({
        port: api.port,
        headers,
        concurrency: 16,
        until: () => performance.now() - started > seconds * 1000,
        makeRequest: () => {
          const spec = mixedRequest([seeded.json.id], counter);
          // Every tenth creation carries a fresh Idempotency-Key, so stored answers are part of the soak.
          return spec.method === 'POST' && counter.next % 10 === 1 ? { ...spec, headers: { 'idempotency-key': `soak-${counter.next}` } } : spec;
        },
        onResult: (result) => {
          answers++;
          if (result.error || (result.status >= 500 && result.status !== 503)) serverErrors++;
        },
      });
      const samples = [];
      while (performance.now() - started < seconds * 1000) {
        samples.push(api.rssMb());
        await sleep(1_000);
      }
      await load;
      await api.stop();
      const quarter = Math.floor(samples.length / 4);
      const warm = percentile(samples.slice(quarter, 2 * quarter), 50);
      const last = percentile(samples.slice(3 * quarter), 50);
      const growth = last - warm;
      return {
        pass: growth <= Math.max(10, warm * 0.15) && serverErrors === 0,
        figures: `${seconds} s, ${answers} requests, ${serverErrors} failures; RSS median ${warm.toFixed(0)} MB after warm-up, ` +
          `${last.toFixed(0)} MB in the last quarter (${growth >= 0 ? '+' : ''}${growth.toFixed(1)} MB), peak ${Math.max(...samples).toFixed(0)} MB`,
      };
    } finally {
      await db.drop();
    }
  },
};
