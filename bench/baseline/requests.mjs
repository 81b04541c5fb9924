// What the baselines read from a request and how they answer, shared by the node:http server (server.mjs) and the
// plain Nest app (nest-server.mjs) so that the two differ only in the framework. `params` is anything with
// URLSearchParams' get(name) (null when absent).
import { decodeCursor } from '../lib/cursor.mjs';

const STATUSES = ['todo', 'in_progress', 'done'];
const PRIORITIES = ['low', 'medium', 'high'];
const LIST_SORTS = new Set(['created_at']); // the only sort the benchmark uses

export class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export const etag = (task) => `W/"${Date.parse(task.updated_at)}"`;

export function readFilters(params) {
  const filters = {};
  for (const [name, allowed] of [['status', STATUSES], ['priority', PRIORITIES]]) {
    const value = params.get(name);
    if (value === null) continue;
    if (!allowed.includes(value)) throw new HttpError(422, `${name} must be one of ${allowed.join(', ')}`);
    filters[name] = value;
  }
  if (params.get('assignee') !== null) filters.assignee = params.get('assignee');
  const q = params.get('q');
  if (q !== null) {
    if (q === '') throw new HttpError(422, 'q must not be empty');
    // Lower-cased in JavaScript like the stored search columns, with LIKE's wildcards made literal.
    filters.pattern = `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  }
  return filters;
}

export function readPage(params) {
  const int = (name, fallback, min, max) => {
    const raw = params.get(name);
    if (raw === null) return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max) throw new HttpError(422, `${name} is out of range`);
    return value;
  };
  const sort = params.get('sort') ?? 'created_at';
  if (!LIST_SORTS.has(sort)) throw new HttpError(422, 'unsupported sort');
  const page = { skip: int('skip', 0, 0, Number.MAX_SAFE_INTEGER), limit: int('limit', 100, 1, 1000) };
  const cursor = params.get('cursor');
  if (cursor !== null) {
    const decoded = decodeCursor(cursor);
    if (!decoded || decoded[0] !== sort || decoded[1] !== 'asc') throw new HttpError(422, 'cursor is not valid here');
    page.after = { value: decoded[2], id: decoded[3] };
  }
  return page;
}

export function readChanges(body, creating) {
  const changes = {};
  if (body.title !== undefined || creating) {
    if (typeof body.title !== 'string' || body.title.trim() === '' || [...body.title.trim()].length > 200) {
      throw new HttpError(422, 'title must be 1 to 200 characters');
    }
    changes.title = body.title.trim();
  }
  for (const [name, allowed] of [['status', STATUSES], ['priority', PRIORITIES]]) {
    if (body[name] === undefined) continue;
    if (!allowed.includes(body[name])) throw new HttpError(422, `${name} must be one of ${allowed.join(', ')}`);
    changes[name] = body[name];
  }
  for (const name of ['description', 'assignee']) {
    if (body[name] === undefined) continue;
    if (body[name] !== null && typeof body[name] !== 'string') throw new HttpError(422, `${name} must be a string`);
    changes[name] = body[name];
  }
  if (body.due_date !== undefined) {
    const due = body.due_date === null ? null : new Date(body.due_date);
    if (due !== null && Number.isNaN(due.getTime())) throw new HttpError(422, 'due_date must be a timestamp');
    changes.dueDate = due;
  }
  return changes;
}
