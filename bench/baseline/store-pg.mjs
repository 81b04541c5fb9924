// PostgreSQL side of the baseline: the API's statements, hand-written, over a pg Pool the size of the API's.
import pg from 'pg';
import { countedByStatusAndPriority, statsFromGroups } from './stats.mjs';

const COLUMNS = 'id, title, description, status, priority, assignee, due_date, created_at, updated_at';

function toResponse(row) {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    status: row.status,
    priority: row.priority,
    assignee: row.assignee,
    due_date: row.due_date?.toISOString() ?? null,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

function where(filters, params) {
  const clauses = [];
  for (const name of ['status', 'priority', 'assignee']) {
    if (filters[name] === undefined) continue;
    params.push(filters[name]);
    clauses.push(`${name} = $${params.length}`);
  }
  if (filters.pattern !== undefined) {
    params.push(filters.pattern);
    const p = `$${params.length}`;
    clauses.push(`(search_title LIKE ${p} ESCAPE '\\' OR search_description LIKE ${p} ESCAPE '\\')`);
  }
  return clauses.length === 0 ? '' : `WHERE ${clauses.join(' AND ')}`;
}

export function openPgStore(url) {
  // The API's pool size (src/database/data-source.options.ts), so both can keep as many queries in flight.
  const pool = new pg.Pool({ connectionString: url, max: 15 });
  return {
    close: () => pool.end(),
    async get(id) {
      const { rows } = await pool.query(`SELECT ${COLUMNS} FROM tasks WHERE id = $1`, [id]);
      return rows[0] ? toResponse(rows[0]) : null;
    },
    async list(filters, { skip, limit }) {
      const params = [];
      const clause = where(filters, params);
      params.push(limit, skip);
      const { rows } = await pool.query(
        `SELECT ${COLUMNS} FROM tasks ${clause} ORDER BY created_at ASC, id ASC LIMIT $${params.length - 1} OFFSET $${params.length}`,
        params);
      return rows.map(toResponse);
    },
    async count(filters) {
      // As the API: counts filtered by status and priority alone come from the trigger-kept task_counts table.
      if (countedByStatusAndPriority(filters)) {
        const params = [];
        const { rows } = await pool.query(`SELECT COALESCE(SUM(count), 0) AS total FROM task_counts ${where(filters, params)}`,
          params);
        return Number(rows[0].total);
      }
      const params = [];
      const { rows } = await pool.query(`SELECT count(*) AS total FROM tasks ${where(filters, params)}`, params);
      return Number(rows[0].total);
    },
    async ping() {
      await pool.query('SELECT 1');
    },
    async stats() {
      // As the API: the nine status/priority counters, and overdue as whole past days from the task_due_days
      // counters plus today's open tasks due before now, all three on separate connections at once.
      const now = new Date();
      const today = now.toISOString().slice(0, 10);
      const [groups, pastDays, earlierToday] = await Promise.all([
        pool.query('SELECT status, priority, count FROM task_counts'),
        pool.query('SELECT COALESCE(SUM(count), 0) AS total FROM task_due_days WHERE day < $1', [today]),
        pool.query("SELECT count(*) AS total FROM tasks WHERE due_date >= $1 AND due_date < $2 AND status <> 'done'",
          [new Date(`${today}T00:00:00.000Z`), now]),
      ]);
      return statsFromGroups(groups.rows, Number(pastDays.rows[0].total) + Number(earlierToday.rows[0].total));
    },
    async create(changes) {
      const now = new Date();
      const task = { id: crypto.randomUUID(), title: changes.title, description: changes.description ?? null,
        status: changes.status ?? 'todo', priority: changes.priority ?? 'medium', assignee: changes.assignee ?? null,
        due_date: changes.dueDate ?? null, created_at: now, updated_at: now };
      // Into the default project, numbered by its counter row, in one statement as the API does.
      await pool.query(
        `WITH project AS (UPDATE projects SET next_number = next_number + 1 WHERE is_default = TRUE RETURNING id, next_number - 1 AS number)
         INSERT INTO tasks (id, title, description, status, priority, assignee, due_date, created_at, updated_at,
           search_title, search_description, project_id, number)
         SELECT $1, $2, $3, $4, $5, $6, $7::timestamptz, $8::timestamptz, $9::timestamptz, $10, $11, project.id, project.number FROM project`,
        [task.id, task.title, task.description, task.status, task.priority, task.assignee, task.due_date, now, now,
          task.title.toLowerCase(), task.description?.toLowerCase() ?? null]);
      return toResponse(task);
    },
    // Update and delete read the current version and write only if it is unchanged, as the API does for If-Match.
    async update(id, changes) {
      const { rows } = await pool.query(`SELECT ${COLUMNS} FROM tasks WHERE id = $1`, [id]);
      const current = rows[0];
      if (!current) return null;
      const updatedAt = new Date(Math.max(Date.now(), current.updated_at.getTime() + 1));
      const sets = [];
      const params = [id, current.updated_at];
      const set = (column, value) => {
        params.push(value);
        sets.push(`${column} = $${params.length}`);
      };
      const next = { ...current, updated_at: updatedAt };
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
      for (const [key, column] of [['status', 'status'], ['priority', 'priority'], ['assignee', 'assignee'],
        ['dueDate', 'due_date']]) {
        if (changes[key] === undefined) continue;
        set(column, changes[key]);
        next[column] = changes[key];
      }
      set('updated_at', updatedAt);
      const { rowCount } = await pool.query(
        `UPDATE tasks SET ${sets.join(', ')} WHERE id = $1 AND updated_at = $2`, params);
      return rowCount === 1 ? toResponse(next) : this.update(id, changes);
    },
    async remove(id) {
      const { rows } = await pool.query(`SELECT ${COLUMNS} FROM tasks WHERE id = $1`, [id]);
      if (!rows[0]) return false;
      const { rowCount } = await pool.query('DELETE FROM tasks WHERE id = $1 AND updated_at = $2',
        [id, rows[0].updated_at]);
      return rowCount === 1 || this.remove(id);
    },
  };
}
