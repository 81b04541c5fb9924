// PostgreSQL side of the straightforward baseline: what a careful hand-written service would do with no
// counters at all. Its own table, `plain_tasks` (a copy of `tasks` with the same indexes and no triggers), named
// prepared statements (each planned once per connection), counts by COUNT(*), one statement per write.
import pg from 'pg';
import { statsFromGroups } from './stats.mjs';

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

function where(filters, params, after) {
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
  if (after) {
    params.push(new Date(after.value), after.id);
    clauses.push(`(created_at, id) > ($${params.length - 1}, $${params.length})`);
  }
  return clauses.length === 0 ? '' : `WHERE ${clauses.join(' AND ')}`;
}

export function openPlainPgStore(url) {
  const pool = new pg.Pool({ connectionString: url, max: 15 });
  // One name per statement text: pg prepares a named statement once per connection and reuses its plan.
  const names = new Map();
  const query = (text, values = []) => {
    let name = names.get(text);
    if (name === undefined) {
      name = `plain_${names.size}`;
      names.set(text, name);
    }
    return pool.query({ name, text, values });
  };
  return {
    close: () => pool.end(),
    async get(id) {
      const { rows } = await query(`SELECT ${COLUMNS} FROM plain_tasks WHERE id = $1`, [id]);
      return rows[0] ? toResponse(rows[0]) : null;
    },
    async list(filters, { skip, limit, after }) {
      const params = [];
      const clause = where(filters, params, after);
      params.push(limit, skip);
      const { rows } = await query(`SELECT ${COLUMNS} FROM plain_tasks ${clause} ORDER BY created_at ASC, id ASC
        LIMIT $${params.length - 1} OFFSET $${params.length}`, params);
      return rows.map(toResponse);
    },
    async count(filters) {
      const params = [];
      const { rows } = await query(`SELECT count(*) AS total FROM plain_tasks ${where(filters, params)}`, params);
      return Number(rows[0].total);
    },
    async ping() {
      await query('SELECT 1');
    },
    async stats() {
      const [groups, overdue] = await Promise.all([
        query('SELECT status, priority, count(*) AS count FROM plain_tasks GROUP BY status, priority'),
        query("SELECT count(*) AS total FROM plain_tasks WHERE due_date < $1 AND status <> 'done'", [new Date()]),
      ]);
      return statsFromGroups(groups.rows, Number(overdue.rows[0].total));
    },
    async create(changes) {
      const now = new Date();
      const task = { id: crypto.randomUUID(), title: changes.title, description: changes.description ?? null,
        status: changes.status ?? 'todo', priority: changes.priority ?? 'medium', assignee: changes.assignee ?? null,
        due_date: changes.dueDate ?? null, created_at: now, updated_at: now };
      await query(`INSERT INTO plain_tasks (id, title, description, status, priority, assignee, due_date, created_at,
          updated_at, search_title, search_description) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [task.id, task.title, task.description, task.status, task.priority, task.assignee, task.due_date, now, now,
        task.title.toLowerCase(), task.description?.toLowerCase() ?? null]);
      return toResponse(task);
    },
    // One statement: updated_at moves forward by at least a millisecond, as the contract requires.
    async update(id, changes) {
      const params = [id, new Date()];
      const sets = [];
      const set = (column, value) => {
        params.push(value);
        sets.push(`${column} = $${params.length}`);
      };
      if (changes.title !== undefined) {
        set('title', changes.title);
        set('search_title', changes.title.toLowerCase());
      }
      if (changes.description !== undefined) {
        set('description', changes.description);
        set('search_description', changes.description?.toLowerCase() ?? null);
      }
      for (const [key, column] of [['status', 'status'], ['priority', 'priority'], ['assignee', 'assignee'],
        ['dueDate', 'due_date']]) {
        if (changes[key] !== undefined) set(column, changes[key]);
      }
      const { rows } = await query(`UPDATE plain_tasks SET ${[...sets, "updated_at = GREATEST($2, updated_at + interval '1 millisecond')"].join(', ')}
        WHERE id = $1 RETURNING ${COLUMNS}`, params);
      return rows[0] ? toResponse(rows[0]) : null;
    },
    async remove(id) {
      return (await query('DELETE FROM plain_tasks WHERE id = $1', [id])).rowCount === 1;
    },
  };
}
