// The request mix of each scenario. Imported by the load worker, which builds every request from these
// functions, and by the orchestrator, which only needs the names and order.
import { NOUNS, taskStream } from './datagen.mjs';
import { BENCH_TITLE_PREFIX } from './databases.mjs';

const STATUSES = ['todo', 'in_progress', 'done'];
const PRIORITIES = ['low', 'medium', 'high'];
const json = { 'content-type': 'application/json' };

// Reads first; then the writes, ordered so the rows "create" adds become the pool "delete" consumes.
export const SCENARIOS = [
  { key: 'get', title: 'get by id', request: (f, r) => ({ method: 'GET', path: `/tasks/${r.pick(f.ids)}` }) },
  { key: 'list', title: 'list page (limit=50, skip 0-1000)',
    request: (f, r) => ({ method: 'GET', path: `/tasks?limit=50&skip=${r.int(0, 1000)}` }) },
  { key: 'filtered', title: 'filtered list (status+priority)',
    request: (f, r) => ({ method: 'GET', path: `/tasks?status=${r.pick(STATUSES)}&priority=${r.pick(PRIORITIES)}&limit=50` }) },
  { key: 'search', title: 'search (q)',
    request: (f, r) => ({ method: 'GET', path: `/tasks?q=${encodeURIComponent(r.pick(NOUNS))}&limit=50` }) },
  { key: 'count', title: 'count', request: () => ({ method: 'GET', path: '/tasks/count' }) },
  { key: 'stats', title: 'stats', request: () => ({ method: 'GET', path: '/tasks/stats' }) },
  { key: 'health', title: 'health', request: () => ({ method: 'GET', path: '/health' }) },
  { key: 'update', title: 'update (PUT)', request: (f, r, next) => {
    const task = next();
    const body = { title: task.title, description: task.description, assignee: task.assignee };
    return { method: 'PUT', path: `/tasks/${r.pick(f.ids)}`, headers: json, body: JSON.stringify(body) };
  } },
  { key: 'create', title: 'create (POST)', request: (f, r, next) => {
    const task = next();
    const body = { title: `${BENCH_TITLE_PREFIX}${task.title}`, description: task.description, status: task.status,
      priority: task.priority, assignee: task.assignee, due_date: task.dueDate?.toISOString() ?? null };
    return { method: 'POST', path: '/tasks', headers: json, body: JSON.stringify(body) };
  } },
  // Each id is used exactly once, so every delete finds its row; an exhausted pool shows up as 404s.
  { key: 'delete', title: 'delete', request: (f) => ({ method: 'DELETE',
    path: `/tasks/${f.deleteIds[f.cursor++] ?? 'pool-exhausted'}` }) },
];

export const scenarioByKey = (key) => SCENARIOS.find((s) => s.key === key);

/** Builds the per-request generator for one scenario, used inside the load worker. */
export function requestFactory(key, fixtures, random) {
  const scenario = scenarioByKey(key);
  const next = taskStream(random.int(1, 2 ** 31));
  return () => scenario.request(fixtures, random, next);
}
