// The shared course of the two database-outage drills (db-outage, pg-restart): mixed load on 32
// connections, the database taken away for a few seconds, /health probed while it is away, then the time
// until /health and /tasks answer 200 again once it is back, and the verdict on what the load received.
import { request, sleep } from './http.mjs';
import { mixedRequest, runLoad } from './load.mjs';
import { credentialHeaders } from './server.mjs';

const DOWN_MS = 3_000;
const RECOVERY_BOUND_MS = 5_000;

export const OUTAGE_CRITERIA =
  'the API stays up; no 5xx other than 503, every 503 with Retry-After, no network error, /health 503 while down, ' +
  'serving again within 5 s of the database, the outage logged once';

/** Every 200 ms while the database is away: /health must say 503. */
async function probeHealthWhileDown(port) {
  const statuses = [];
  const downAt = performance.now();
  while (performance.now() - downAt < DOWN_MS) {
    statuses.push((await request({ port, path: '/health', timeoutMs: 5_000 }).catch(() => ({ status: 'error' }))).status);
    await sleep(200);
  }
  return statuses;
}

/** Milliseconds until /health and a list of tasks both answer 200 again (Infinity if not within `windowMs`). */
async function timeToRecovery(port, headers, windowMs) {
  const upAt = performance.now();
  while (performance.now() - upAt < windowMs) {
    const health = await request({ port, path: '/health', timeoutMs: 5_000 }).catch(() => null);
    const list = await request({ port, path: '/tasks?limit=1', headers, timeoutMs: 5_000 }).catch(() => null);
    if (health?.status === 200 && list?.status === 200) return performance.now() - upAt;
    await sleep(100);
  }
  return Infinity;
}

/**
 * Runs the outage against a started API: `takeDown()` and `bringUp()` are the drill's fault. Returns the
 * drill's { pass, figures }.
 */
export async function runOutage({ api, takeDown, bringUp, loadBeforeMs, loadAfterMs = 0, recoveryWindowMs }) {
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
  await sleep(loadBeforeMs);
  await takeDown();
  const healthWhileDown = await probeHealthWhileDown(api.port);
  await bringUp();
  const recoveredMs = await timeToRecovery(api.port, headers, recoveryWindowMs);
  await sleep(loadAfterMs);
  stopLoad = true;
  const results = await load;

  const exited = api.child.exitCode !== null || api.child.signalCode !== null;
  const count = (predicate) => results.filter(predicate).length;
  const serverErrors = count((r) => r.status >= 500 && r.status !== 503);
  const unavailable = count((r) => r.status === 503);
  const withoutRetryAfter = count((r) => r.status === 503 && !r.headers['retry-after']);
  const networkErrors = count((r) => r.error);
  const healthOk = healthWhileDown.length > 0 && healthWhileDown.every((status) => status === 503);
  const pass = !exited && serverErrors === 0 && withoutRetryAfter === 0 && networkErrors === 0 && healthOk
    && recoveredMs <= RECOVERY_BOUND_MS && outageLines() >= 1 && outageLines() <= 2;
  const lastLog = () => api.log().trim().split('\n').slice(-3).join(' | ').slice(0, 600);
  return {
    pass,
    figures: `${exited ? `THE API EXITED (${api.child.exitCode ?? api.child.signalCode}): ${lastLog()}` : 'the API stayed up'}; ` +
      `${results.length} requests: ${serverErrors} × 5xx other than 503, ${unavailable} × 503 (${withoutRetryAfter} without Retry-After), ` +
      `${networkErrors} network errors; /health while down: ${[...new Set(healthWhileDown)].join('/')} (${healthWhileDown.length} checks); ` +
      `serving again ${Math.round(recoveredMs)} ms after the database; outage logged ${outageLines()} time(s)`,
  };
}
