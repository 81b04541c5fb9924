// SQLite side of the baseline: the API's statements, hand-written, prepared once on better-sqlite3.
import { openSqlite } from '../lib/sqlite.mjs';
import { countedByStatusAndPriority, statsFromGroups } from './stats.mjs';

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
  // The API syncs every commit (src/database/data-source.options.ts); the baseline must pay the same price.
  db.exec('PRAGMA synchronous = FULL');
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
      // As the API: counts filtered by status and priority alone come from the trigger-kept task_counts table.
      const params = [];
      if (countedByStatusAndPriority(filters)) {
        return prepare(`SELECT COALESCE(SUM(count), 0) AS total FROM task_counts ${where(filters, params)}`).get(...params).total;
      }
      return prepare(`SELECT count(*) AS total FROM tasks ${where(filters, params)}`).get(...params).total;
    },
    async ping() {
      prepare('SELECT 1').get();
    },
    async stats() {
      // As the API: the nine status/priority counters, and overdue as whole past days from the task_due_days
      // counters plus today's open tasks due before now.
      const now = new Date();
      const today = now.toISOString().slice(0, 10);
      const groups = prepare('SELECT status, priority, count FROM task_counts').all();
      const pastDays = prepare('SELECT COALESCE(SUM(count), 0) AS total FROM task_due_days WHERE day < ?').get(today).total;
      const earlierToday = prepare("SELECT count(*) AS total FROM tasks WHERE due_date >= ? AND due_date < ? AND status <> 'done'")
        .get(toText(new Date(`${today}T00:00:00.000Z`)), toText(now)).total;
      return statsFromGroups(groups, pastDays + earlierToday);
    },
    async create(changes) {
      const now = toText(new Date());
      const task = { id: crypto.randomUUID(), title: changes.title, description: changes.description ?? null,
        status: changes.status ?? 'todo', priority: changes.priority ?? 'medium', assignee: changes.assignee ?? null,
        due_date: changes.dueDate ? toText(changes.dueDate) : null, created_at: now, updated_at: now };
      prepare(`INSERT INTO tasks (id, title, description, status, priority, assignee, due_date, created_at, updated_at,
          search_title, search_description) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(task.id, task.title, task.description, task.status, task.priority, task.assignee, task.due_date, now, now,
          task.title.toLowerCase(), task.description?.toLowerCase() ?? null);
      return toResponse(task);
    },
    // Update and delete read the current version and write only if it is unchanged, as the API does for If-Match.
    async update(id, changes) {
      const current = prepare(`SELECT ${COLUMNS} FROM tasks WHERE id = ?`).get(id);
      if (!current) return null;
      const previous = Date.parse(`${current.updated_at.replace(' ', 'T')}Z`);
      const updatedAt = toText(new Date(Math.max(Date.now(), previous + 1)));
      const sets = [];
      const params = [];
      const next = { ...current, updated_at: updatedAt };
      const set = (column, value) => {
        sets.push(`${column} = ?`);
        params.push(value);
      };
      if (changes.title !== undefined) {
        set('title', changes.title);
        set('search_title', changes.title.toLowerCase());
        next.title = changes.title;
      }
      if (changes.description !== undefined) {
        set('description', changes.description);
        set('search_description', changes.description?.toLowerCase() ?? null);
        next.description = changes.description;
      }
      for (const name of ['status', 'priority', 'assignee']) {
        if (changes[name] === undefined) continue;
        set(name, changes[name]);
        next[name] = changes[name];
      }
      if (changes.dueDate !== undefined) {
        next.due_date = changes.dueDate ? toText(changes.dueDate) : null;
        set('due_date', next.due_date);
      }
      set('updated_at', updatedAt);
      const { changes: written } = prepare(`UPDATE tasks SET ${sets.join(', ')} WHERE id = ? AND updated_at = ?`)
        .run(...params, id, current.updated_at);
      return written === 1 ? toResponse(next) : this.update(id, changes);
    },
    async remove(id) {
      const current = prepare(`SELECT ${COLUMNS} FROM tasks WHERE id = ?`).get(id);
      if (!current) return false;
      return prepare('DELETE FROM tasks WHERE id = ? AND updated_at = ?').run(id, current.updated_at).changes === 1
        || this.remove(id);
    },
  };
}
