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

function createBody(task, sameKind, extra = {}) {
  return JSON.stringify({ title: `${BENCH_TITLE_PREFIX}${task.title}`, description: task.description,
    status: sameKind ? 'todo' : task.status, priority: sameKind ? 'medium' : task.priority, assignee: task.assignee,
    due_date: task.dueDate?.toISOString() ?? null, ...extra });
}

// Issue 16's filters and issue 17's comments. Filtered pages are compared with `list-top`, the unfiltered list over
// the same range of offsets: at 10,000 tasks a label holds about 380 of them, so offsets stay under 300.
const topSkip = (r) => r.int(0, 300);
const twoLabels = (f, r) => {
  const first = r.pick(f.labelIds);
  let second = r.pick(f.labelIds);
  while (second === first) second = r.pick(f.labelIds);
  return [first, second];
};
const mention = (id) => `<@${id}>`;
const updateRequest = (f, r, next) => {
  const body = { title: next().title, status: r.pick(STATUSES) };
  return { method: 'PUT', path: `/tasks/${nextId(f)}`, headers: { ...json, ...bearer(f) }, body: JSON.stringify(body) };
};
const createRequest = (f, r, next) => ({
  method: 'POST', path: '/tasks', headers: { ...json, ...bearer(f) }, body: createBody(next(), false) });

/**
 * Scenario fields: `connections` overrides the default; `api` names the API variant that answers it (`open`:
 * AUTH_MODE=off); `apiOnly` skips the baselines (nothing to compare with); `mirror` also runs the mirrored baseline
 * where it is started; `versus` names the API scenario of the same run it is compared with (and `cpuLimit` the
 * target on CPU per request against it); `webhooks` is the number of active webhooks during the scenario. Reads first; then the writes, ordered so the rows "create" adds become the pool "delete"
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
  { key: 'list-top', title: 'list page (limit=50, skip 0-300), unfiltered', apiOnly: true,
    request: (f, r) => ({ method: 'GET', path: `/tasks?limit=50&skip=${topSkip(r)}`, headers: bearer(f) }) },
  { key: 'list-project', title: 'list page filtered by project (skip 0-300)', apiOnly: true, versus: 'list-top', cpuLimit: 1.25,
    request: (f, r) => ({ method: 'GET', path: `/tasks?project_id=${r.pick(f.projectKeys)}&limit=50&skip=${topSkip(r)}`, headers: bearer(f) }) },
  { key: 'list-label', title: 'list page filtered by label (skip 0-300)', apiOnly: true, versus: 'list-top', cpuLimit: 1.25,
    request: (f, r) => ({ method: 'GET', path: `/tasks?label_ids=${r.pick(f.labelIds)}&limit=50&skip=${topSkip(r)}`, headers: bearer(f) }) },
  { key: 'list-assignee', title: 'list page filtered by member assignee (skip 0-300)', apiOnly: true, versus: 'list-top', cpuLimit: 1.25,
    request: (f, r) => ({ method: 'GET', path: `/tasks?assignee_id=${r.pick(f.memberIds)}&limit=50&skip=${topSkip(r)}`, headers: bearer(f) }) },
  { key: 'comment-list', title: 'list 50 comments of a task', apiOnly: true, versus: 'list',
    request: (f, r) => ({ method: 'GET', path: `/tasks/${r.pick(f.commentedTaskIds)}/comments?limit=50`, headers: bearer(f) }) },
  { key: 'search', title: 'search (q)', mirror: true,
    request: (f, r) => ({ method: 'GET', path: `/tasks?q=${encodeURIComponent(r.pick(NOUNS))}&limit=50`, headers: bearer(f) }) },
  { key: 'search-1', title: 'search (q), one client', connections: 1,
    request: (f, r) => ({ method: 'GET', path: `/tasks?q=${encodeURIComponent(r.pick(NOUNS))}&limit=50`, headers: bearer(f) }) },
  { key: 'count', title: 'count', mirror: true, request: get('/tasks/count') },
  { key: 'stats', title: 'stats', mirror: true, request: get('/tasks/stats') },
  { key: 'health', title: 'health', mirror: true, request: () => ({ method: 'GET', path: '/health' }) },
  { key: 'update', title: 'update status and title (PUT)', mirror: true, request: updateRequest },
  { key: 'update-64', title: 'update status, 64 at once on different tasks', connections: 64, request: (f, r) => ({
    method: 'PUT', path: `/tasks/${nextId(f)}`, headers: { ...json, ...bearer(f) },
    body: JSON.stringify({ status: r.pick(STATUSES) }) }) },
  { key: 'update-webhooks', title: 'update status and title, 5 active webhooks', apiOnly: true, webhooks: 5,
    versus: 'update', cpuLimit: 1.15, request: updateRequest },
  { key: 'create', title: 'create (POST)', mirror: true, request: createRequest },
  { key: 'create-64', title: 'create, 64 at once, same status and priority', connections: 64, request: (f, r, next) => ({
    method: 'POST', path: '/tasks', headers: { ...json, ...bearer(f) }, body: createBody(next(), true) }) },
  { key: 'create-labels', title: 'create with two labels', apiOnly: true, versus: 'create', cpuLimit: 1.1,
    request: (f, r, next) => ({ method: 'POST', path: '/tasks', headers: { ...json, ...bearer(f) },
      body: createBody(next(), false, { label_ids: twoLabels(f, r) }) }) },
  { key: 'create-webhooks', title: 'create, 5 active webhooks', apiOnly: true, webhooks: 5, versus: 'create',
    cpuLimit: 1.15, request: createRequest },
  // Each comment mentions two members on a task five members watch: a comment, its change-log entry and up to
  // seven notifications in one transaction.
  { key: 'comment-create', title: 'comment with 2 mentions on a task with 5 watchers', apiOnly: true, versus: 'create',
    request: (f, r) => {
      const [first, second] = [r.pick(f.memberIds), r.pick(f.memberIds)];
      return { method: 'POST', path: `/tasks/${f.watchedTaskIds[f.cursor++ % f.watchedTaskIds.length]}/comments`,
        headers: { ...json, ...bearer(f) },
        body: JSON.stringify({ body: `${BENCH_TITLE_PREFIX}comment: ${mention(first)} and ${mention(second)}, can you look at this?` }) };
    } },
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
