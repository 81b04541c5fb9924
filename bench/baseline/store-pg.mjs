// PostgreSQL side of the baseline: the API's statements, hand-written, over a pg Pool the size of TypeORM's default.
import pg from 'pg';

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
  const pool = new pg.Pool({ connectionString: url, max: 10 });
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
      const params = [];
      const { rows } = await pool.query(`SELECT count(*)::int AS total FROM tasks ${where(filters, params)}`, params);
      return rows[0].total;
    },
    async stats() {
      const { rows } = await pool.query(`
        SELECT count(*)::int AS total,
          count(*) FILTER (WHERE status = 'todo')::int AS todo,
          count(*) FILTER (WHERE status = 'in_progress')::int AS in_progress,
          count(*) FILTER (WHERE status = 'done')::int AS done,
          count(*) FILTER (WHERE priority = 'low')::int AS low,
          count(*) FILTER (WHERE priority = 'medium')::int AS medium,
          count(*) FILTER (WHERE priority = 'high')::int AS high
        FROM tasks`);
      const overdue = await pool.query(
        "SELECT count(*)::int AS n FROM tasks WHERE due_date < now() AND status <> 'done'");
      const s = rows[0];
      return {
        total: s.total,
        by_status: { todo: s.todo, in_progress: s.in_progress, done: s.done },
        by_priority: { low: s.low, medium: s.medium, high: s.high },
        overdue: overdue.rows[0].n,
      };
    },
    async create(changes) {
      const now = new Date();
      const { rows } = await pool.query(
        `INSERT INTO tasks (id, title, description, status, priority, assignee, due_date, created_at, updated_at,
           search_title, search_description)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, $10) RETURNING ${COLUMNS}`,
        [crypto.randomUUID(), changes.title, changes.description ?? null, changes.status ?? 'todo',
          changes.priority ?? 'medium', changes.assignee ?? null, changes.dueDate ?? null, now,
          changes.title.toLowerCase(), changes.description?.toLowerCase() ?? null]);
      return toResponse(rows[0]);
    },
    async update(id, changes) {
      const sets = [];
      const params = [id];
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
      // updated_at must strictly increase even when the clock has not moved (CONTRACT.md).
      params.push(new Date());
      sets.push(`updated_at = greatest($${params.length}::timestamptz, updated_at + interval '1 millisecond')`);
      const { rows } = await pool.query(`UPDATE tasks SET ${sets.join(', ')} WHERE id = $1 RETURNING ${COLUMNS}`, params);
      return rows[0] ? toResponse(rows[0]) : null;
    },
    async remove(id) {
      const { rowCount } = await pool.query('DELETE FROM tasks WHERE id = $1', [id]);
      return rowCount === 1;
    },
  };
}
