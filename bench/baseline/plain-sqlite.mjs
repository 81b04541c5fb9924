// SQLite side of the straightforward baseline (see plain-pg.mjs): `plain_tasks` without triggers, statements
// prepared once on better-sqlite3, counts by COUNT(*).
import { openSqlite } from '../lib/sqlite.mjs';
import { statsFromGroups } from './stats.mjs';

const COLUMNS = 'id, title, description, status, priority, assignee, due_date, created_at, updated_at';
// TypeORM stores SQLite dates as UTC text 'YYYY-MM-DD HH:MM:SS.mmm'; the copy keeps that format.
const toText = (date) => date.toISOString().replace('T', ' ').replace('Z', '');
const toIso = (text) => (text === null ? null : `${text.replace(' ', 'T')}Z`);

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

function where(filters, params, after) {
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
  if (after) {
    params.push(toText(new Date(after.value)), after.id);
    clauses.push('(created_at, id) > (?, ?)');
  }
  return clauses.length === 0 ? '' : `WHERE ${clauses.join(' AND ')}`;
}

export function openPlainSqliteStore(url) {
  const db = openSqlite(url.replace(/^sqlite:\/\//, ''));
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA busy_timeout = 5000');
  // The API syncs every commit (src/database/data-source.options.ts); the baseline must pay the same price.
  db.exec('PRAGMA synchronous = FULL');
  const prepare = (sql) => db.prepare(sql); // cached by text in lib/sqlite.mjs
  return {
    close: async () => db.close(),
    async get(id) {
      const row = prepare(`SELECT ${COLUMNS} FROM plain_tasks WHERE id = ?`).get(id);
      return row ? toResponse(row) : null;
    },
    async list(filters, { skip, limit, after }) {
      const params = [];
      const clause = where(filters, params, after);
      return prepare(`SELECT ${COLUMNS} FROM plain_tasks ${clause} ORDER BY created_at ASC, id ASC LIMIT ? OFFSET ?`)
        .all(...params, limit, skip).map(toResponse);
    },
    async count(filters) {
      const params = [];
      return prepare(`SELECT count(*) AS total FROM plain_tasks ${where(filters, params)}`).get(...params).total;
    },
    async ping() {
      prepare('SELECT 1').get();
    },
    async stats() {
      const groups = prepare('SELECT status, priority, count(*) AS count FROM plain_tasks GROUP BY status, priority').all();
      const overdue = prepare("SELECT count(*) AS total FROM plain_tasks WHERE due_date < ? AND status <> 'done'")
        .get(toText(new Date())).total;
      return statsFromGroups(groups, overdue);
    },
    async create(changes) {
      const now = toText(new Date());
      const task = { id: crypto.randomUUID(), title: changes.title, description: changes.description ?? null,
        status: changes.status ?? 'todo', priority: changes.priority ?? 'medium', assignee: changes.assignee ?? null,
        due_date: changes.dueDate ? toText(changes.dueDate) : null, created_at: now, updated_at: now };
      prepare(`INSERT INTO plain_tasks (id, title, description, status, priority, assignee, due_date, created_at,
          updated_at, search_title, search_description) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(task.id, task.title, task.description, task.status, task.priority, task.assignee, task.due_date, now, now,
          task.title.toLowerCase(), task.description?.toLowerCase() ?? null);
      return toResponse(task);
    },
    // One connection and synchronous calls: nothing can run between the read and the write.
    async update(id, changes) {
      const current = prepare('SELECT updated_at FROM plain_tasks WHERE id = ?').get(id);
      if (!current) return null;
      const previous = Date.parse(`${current.updated_at.replace(' ', 'T')}Z`);
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
      for (const name of ['status', 'priority', 'assignee']) {
        if (changes[name] !== undefined) set(name, changes[name]);
      }
      if (changes.dueDate !== undefined) set('due_date', changes.dueDate ? toText(changes.dueDate) : null);
      set('updated_at', toText(new Date(Math.max(Date.now(), previous + 1))));
      const row = prepare(`UPDATE plain_tasks SET ${sets.join(', ')} WHERE id = ? RETURNING ${COLUMNS}`).get(...params, id);
      return row ? toResponse(row) : null;
    },
    async remove(id) {
      return prepare('DELETE FROM plain_tasks WHERE id = ?').run(id).changes === 1;
    },
  };
}
