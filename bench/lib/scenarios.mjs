// The request mix of each scenario. Imported by the load worker, which builds every request from these
// functions, and by the orchestrator, which needs the names, order, connection counts and servers.
import { NOUNS, taskStream } from './datagen.mjs';
import { BENCH_TITLE_PREFIX } from './databases.mjs';
import { encodeCursor } from './cursor.mjs';

const STATUSES = ['todo', 'in_progress', 'done'];
const PRIORITIES = ['low', 'medium', 'high'];
const json = { 'content-type': 'application/json' };

// Every request carries the bench admin's access token unless the scenario says otherwise; the baselines
// receive the same header and ignore it.
const bearer = (f) => ({ authorization: `Bearer ${f.auth.accessToken}` });
const get = (path) => (f) => ({ method: 'GET', path, headers: bearer(f) });
// Ids taken in turn rather than at random, so that concurrent writes touch different tasks.
const nextId = (f) => f.ids[f.cursor++ % f.ids.length];

function createBody(task, sameKind) {
  return JSON.stringify({ title: `${BENCH_TITLE_PREFIX}${task.title}`, description: task.description,
    status: sameKind ? 'todo' : task.status, priority: sameKind ? 'medium' : task.priority, assignee: task.assignee,
    due_date: task.dueDate?.toISOString() ?? null });
}

/**
 * Scenario fields: `connections` overrides the default; `api` names the API variant that answers it (`open`:
 * AUTH_MODE=off); `apiOnly` skips the baselines (nothing to compare with); `mirror` also runs the mirrored baseline
 * where it is started. Reads first; then the writes, ordered so the rows "create" adds become the pool "delete"
 * consumes.
 */
export const SCENARIOS = [
  { key: 'get', title: 'get by id (access token)', mirror: true,
    request: (f, r) => ({ method: 'GET', path: `/tasks/${r.pick(f.ids)}`, headers: bearer(f) }) },
  { key: 'get-token', title: 'get by id (API token)',
    request: (f, r) => ({ method: 'GET', path: `/tasks/${r.pick(f.ids)}`, headers: { authorization: `Bearer ${f.auth.apiToken}` } }) },
  { key: 'get-open', title: 'get by id (AUTH_MODE=off, no credential)', api: 'open',
    request: (f, r) => ({ method: 'GET', path: `/tasks/${r.pick(f.ids)}` }) },
  { key: 'get-recheck', title: 'get by id, 1,000 API tokens in turn', apiOnly: true, smallOnly: true,
    request: (f, r) => ({ method: 'GET', path: `/tasks/${r.pick(f.ids)}`,
      headers: { authorization: `Bearer ${f.auth.manyTokens[f.tokenCursor++ % f.auth.manyTokens.length]}` } }) },
  { key: 'list', title: 'list page (limit=50, skip 0-1000)', mirror: true,
    request: (f, r) => ({ method: 'GET', path: `/tasks?limit=50&skip=${r.int(0, 1000)}`, headers: bearer(f) }) },
  { key: 'list-cursor', title: 'list page by cursor (limit=50, random position)',
    request: (f, r) => {
      const after = r.pick(f.positions);
      return { method: 'GET', path: `/tasks?limit=50&cursor=${encodeCursor('created_at', 'asc', after.createdAt, after.id)}`,
        headers: bearer(f) };
    } },
  { key: 'filtered', title: 'filtered list (status+priority)', mirror: true,
    request: (f, r) => ({ method: 'GET', path: `/tasks?status=${r.pick(STATUSES)}&priority=${r.pick(PRIORITIES)}&limit=50`,
      headers: bearer(f) }) },
  { key: 'search', title: 'search (q)', mirror: true,
    request: (f, r) => ({ method: 'GET', path: `/tasks?q=${encodeURIComponent(r.pick(NOUNS))}&limit=50`, headers: bearer(f) }) },
  { key: 'search-1', title: 'search (q), one client', connections: 1,
    request: (f, r) => ({ method: 'GET', path: `/tasks?q=${encodeURIComponent(r.pick(NOUNS))}&limit=50`, headers: bearer(f) }) },
  { key: 'count', title: 'count', mirror: true, request: get('/tasks/count') },
  { key: 'stats', title: 'stats', mirror: true, request: get('/tasks/stats') },
  { key: 'health', title: 'health', mirror: true, request: () => ({ method: 'GET', path: '/health' }) },
  { key: 'update', title: 'update status and title (PUT)', mirror: true, request: (f, r, next) => {
    const body = { title: next().title, status: r.pick(STATUSES) };
    return { method: 'PUT', path: `/tasks/${nextId(f)}`, headers: { ...json, ...bearer(f) }, body: JSON.stringify(body) };
  } },
  { key: 'update-64', title: 'update status, 64 at once on different tasks', connections: 64, request: (f, r) => ({
    method: 'PUT', path: `/tasks/${nextId(f)}`, headers: { ...json, ...bearer(f) },
    body: JSON.stringify({ status: r.pick(STATUSES) }) }) },
  { key: 'create', title: 'create (POST)', mirror: true, request: (f, r, next) => ({
    method: 'POST', path: '/tasks', headers: { ...json, ...bearer(f) }, body: createBody(next(), false) }) },
  { key: 'create-64', title: 'create, 64 at once, same status and priority', connections: 64, request: (f, r, next) => ({
    method: 'POST', path: '/tasks', headers: { ...json, ...bearer(f) }, body: createBody(next(), true) }) },
  // Each id is used exactly once, so every delete finds its row; an exhausted pool shows up as 404s.
  { key: 'delete', title: 'delete', mirror: true, request: (f) => ({ method: 'DELETE',
    path: `/tasks/${f.deleteIds[f.deleteCursor++] ?? 'pool-exhausted'}`, headers: bearer(f) }) },
];

export const scenarioByKey = (key) => SCENARIOS.find((s) => s.key === key);

/** Builds the per-request generator for one scenario, used inside the load worker. */
export function requestFactory(key, fixtures, random) {
  const scenario = scenarioByKey(key);
  const next = taskStream(random.int(1, 2 ** 31));
  return () => scenario.request(fixtures, random, next);
}
