// SQLite side of the baseline: the API's statements, hand-written, prepared once on better-sqlite3.
import { openSqlite } from '../lib/sqlite.mjs';

const COLUMNS = 'id, title, description, status, priority, assignee, due_date, created_at, updated_at';
// TypeORM stores SQLite dates as UTC text 'YYYY-MM-DD HH:MM:SS.mmm'.
const toText = (date) => date.toISOString().replace('T', ' ').replace('Z', '');
const toIso = (text) => (text === null ? null : new Date(`${text.replace(' ', 'T')}Z`).toISOString());

function toResponse(row) {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    status: row.status,
    priority: row.priority,
    assignee: row.assignee,
    due_date: toIso(row.due_date),
    created_at: toIso(row.created_at),
    updated_at: toIso(row.updated_at),
  };
}

function where(filters, params) {
  const clauses = [];
  for (const name of ['status', 'priority', 'assignee']) {
    if (filters[name] === undefined) continue;
    params.push(filters[name]);
    clauses.push(`${name} = ?`);
  }
  if (filters.pattern !== undefined) {
    params.push(filters.pattern, filters.pattern);
    clauses.push("(search_title LIKE ? ESCAPE '\\' OR search_description LIKE ? ESCAPE '\\')");
  }
  return clauses.length === 0 ? '' : `WHERE ${clauses.join(' AND ')}`;
}

export function openSqliteStore(url) {
  const db = openSqlite(url.replace(/^sqlite:\/\//, ''));
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA busy_timeout = 5000');
  // Filters vary per request, so statements are prepared on first use and cached by their text.
  const prepare = (sql) => db.prepare(sql);
  return {
    close: async () => db.close(),
    async get(id) {
      const row = prepare(`SELECT ${COLUMNS} FROM tasks WHERE id = ?`).get(id);
      return row ? toResponse(row) : null;
    },
    async list(filters, { skip, limit }) {
      const params = [];
      const clause = where(filters, params);
      return prepare(`SELECT ${COLUMNS} FROM tasks ${clause} ORDER BY created_at ASC, id ASC LIMIT ? OFFSET ?`)
        .all(...params, limit, skip).map(toResponse);
    },
    async count(filters) {
      const params = [];
      return prepare(`SELECT count(*) AS total FROM tasks ${where(filters, params)}`).get(...params).total;
    },
    async stats() {
      const s = prepare(`
        SELECT count(*) AS total,
          coalesce(sum(status = 'todo'), 0) AS todo, coalesce(sum(status = 'in_progress'), 0) AS in_progress,
          coalesce(sum(status = 'done'), 0) AS done, coalesce(sum(priority = 'low'), 0) AS low,
          coalesce(sum(priority = 'medium'), 0) AS medium, coalesce(sum(priority = 'high'), 0) AS high
        FROM tasks`).get();
      const overdue = prepare("SELECT count(*) AS n FROM tasks WHERE due_date < ? AND status <> 'done'")
        .get(toText(new Date())).n;
      return {
        total: s.total,
        by_status: { todo: s.todo, in_progress: s.in_progress, done: s.done },
        by_priority: { low: s.low, medium: s.medium, high: s.high },
        overdue,
      };
    },
    async create(changes) {
      const now = toText(new Date());
      const row = prepare(`INSERT INTO tasks (id, title, description, status, priority, assignee, due_date,
          created_at, updated_at, search_title, search_description)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING ${COLUMNS}`)
        .get(crypto.randomUUID(), changes.title, changes.description ?? null, changes.status ?? 'todo',
          changes.priority ?? 'medium', changes.assignee ?? null, changes.dueDate ? toText(changes.dueDate) : null,
          now, now, changes.title.toLowerCase(), changes.description?.toLowerCase() ?? null);
      return toResponse(row);
    },
    async update(id, changes) {
      const sets = [];
      const params = [];
      const set = (column, value) => {
        sets.push(`${column} = ?`);
        params.push(value);
      };
      if (changes.title !== undefined) {
        set('title', changes.title);
        set('search_title', changes.title.toLowerCase());
      }
      if (changes.description !== undefined) {
        set('description', changes.description);
        set('search_description', changes.description?.toLowerCase() ?? null);
      }
      if (changes.status !== undefined) set('status', changes.status);
      if (changes.priority !== undefined) set('priority', changes.priority);
      if (changes.assignee !== undefined) set('assignee', changes.assignee);
      if (changes.dueDate !== undefined) set('due_date', changes.dueDate ? toText(changes.dueDate) : null);
      // updated_at must strictly increase even when the clock has not moved (CONTRACT.md).
      const now = toText(new Date());
      sets.push("updated_at = CASE WHEN ? > updated_at THEN ? ELSE strftime('%Y-%m-%d %H:%M:%f', updated_at, '+0.001 seconds') END");
      params.push(now, now);
      const row = prepare(`UPDATE tasks SET ${sets.join(', ')} WHERE id = ? RETURNING ${COLUMNS}`).get(...params, id);
      return row ? toResponse(row) : null;
    },
    async remove(id) {
      return prepare('DELETE FROM tasks WHERE id = ?').run(id).changes === 1;
    },
  };
}
