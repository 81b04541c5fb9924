// Creating, loading and restoring the benchmark databases. Rows go in through batched SQL, never the API:
// loading a million rows through HTTP would take longer than the whole benchmark.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import pg from 'pg';
import { openSqlite as openSqliteFile } from './sqlite.mjs';
import cliProgress from 'cli-progress';
import { taskStream, sqliteDate, searchColumns, BENCH_PROJECTS, BENCH_LABELS, BENCH_MEMBERS } from './datagen.mjs';

const PG_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
export const pgUrl = (database) => `postgres://postgres@127.0.0.1:5432/${database}`;
// Four slashes: "sqlite:///" followed by an absolute path.
export const sqliteUrl = (file) => `sqlite:///${file}`;

const COLUMNS = ['id', 'title', 'description', 'status', 'priority', 'assignee', 'due_date', 'created_at',
  'updated_at', 'search_title', 'search_description', 'assignee_id', 'project_id', 'number'];
const memberId = (task) => (task.memberIndex === null || task.memberIndex === undefined ? null : BENCH_MEMBERS[task.memberIndex].id);
const labelIds = (task) => (task.labelIndexes ?? []).map((index) => BENCH_LABELS[index].id);
// Titles of rows the benchmark itself adds (create scenario, delete pool) start with this, so they can be removed
// afterwards and the data set stays the same from run to run. No generated title starts with it.
export const BENCH_TITLE_PREFIX = 'Bench ';
/**
 * Loaded tasks go to their project (`projectIndex`: 0 is the default project, then BENCH_PROJECTS), numbered after
 * what each holds, as the API would number them: each project's counter moves past them and their keys resolve.
 * `plain_tasks` (the baseline's copy) puts every row in the default project with numbers from 1,000,000,000 up, so
 * that its unique (project, number) index never meets the copied ones.
 */
async function startNumbering(query, table) {
  const [defaultProject] = await query('SELECT id FROM projects WHERE is_default = TRUE', []);
  const projectIds = [defaultProject.id, ...BENCH_PROJECTS.map((project) => project.id)];
  const isTasks = table === 'tasks';
  const next = new Map();
  if (isTasks) {
    for (const row of await query('SELECT id, next_number FROM projects', [])) next.set(row.id, Number(row.next_number));
  } else {
    const [{ n }] = await query(`SELECT COALESCE(MAX(number), 1000000000) + 1 AS n FROM ${table} WHERE number >= 1000000000`, []);
    next.set(defaultProject.id, Number(n));
  }
  const first = new Map(next);
  return {
    /** The project and number of the next row. */
    place(task) {
      const projectId = isTasks ? projectIds[task.projectIndex ?? 0] : defaultProject.id;
      const number = next.get(projectId);
      next.set(projectId, number + 1);
      return { projectId, number };
    },
    async finish() {
      if (!isTasks) return;
      for (const [projectId, number] of next) {
        if (number === first.get(projectId)) continue;
        await query('UPDATE projects SET next_number = $1 WHERE id = $2', [number, projectId]);
        await query('INSERT INTO task_keys (project_id, number, task_id) SELECT project_id, number, id FROM tasks WHERE project_id = $1 AND number >= $2',
          [projectId, first.get(projectId)]);
      }
    },
  };
}

/** The data set's projects and labels (issue 16), inserted once before the first tasks. */
async function ensureProjectsAndLabels(query, isPostgres) {
  const now = new Date().toISOString();
  const when = isPostgres ? now : sqliteDate(new Date(now));
  const no = isPostgres ? false : 0;
  // SQLite's placeholders are positional (each $n becomes ?), so a value used twice is passed twice.
  for (const project of BENCH_PROJECTS) {
    await query(`INSERT INTO projects (id, key, name, description, is_default, archived, next_number, created_at, updated_at)
      VALUES ($1, $2, $3, NULL, $4, $5, 1, $6, $7) ON CONFLICT (id) DO NOTHING`, [project.id, project.key, project.name, no, no, when, when]);
  }
  for (const label of BENCH_LABELS) {
    await query(`INSERT INTO labels (id, name, name_folded, color, created_at) VALUES ($1, $2, $3, $4, $5)
      ON CONFLICT (id) DO NOTHING`, [label.id, label.name, label.name.toLowerCase(), label.color, when]);
  }
}

/**
 * The members tasks are assigned to. Inserted by SQL after the bench admin exists (a user inserted before would
 * end the API's first-run set-up); they never sign in, so their password hash is a placeholder no password matches.
 */
async function ensureMembers(query, isPostgres) {
  const now = new Date().toISOString();
  const when = isPostgres ? now : sqliteDate(new Date(now));
  for (const member of BENCH_MEMBERS) {
    await query(`INSERT INTO users (id, email, email_key, name, role, disabled, password_hash, created_at, updated_at)
      VALUES ($1, $2, $3, $4, 'member', $5, 'bench-no-password', $6, $7) ON CONFLICT (id) DO NOTHING`,
    [member.id, member.email, member.email, member.name, isPostgres ? false : 0, when, when]);
  }
}

// The API's table, and the straightforward baseline's copy of it (same columns, rows and indexes, no triggers).
export const TABLES = ['tasks', 'plain_tasks'];
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** Opens a small uniform interface over either database, used by the loader and the orchestrator. */
export function openDatabase(dataset) {
  return dataset.kind === 'pg' ? openPg(dataset) : openSqlite(dataset);
}

export async function recreateEmpty(dataset) {
  if (dataset.kind === 'pg') {
    // Guard against ever dropping a database this harness does not own.
    if (!dataset.database.startsWith(process.env.BENCH_DB_PREFIX ?? 'taskflow_bench_')) throw new Error(`refusing to drop ${dataset.database}`);
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${dataset.database} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${dataset.database}`);
    } finally {
      await admin.end();
    }
  } else {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${dataset.file}${suffix}`, { force: true });
  }
}

export async function databaseExists(dataset) {
  if (dataset.kind === 'sqlite') return existsSync(dataset.file);
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [dataset.database]);
    return rowCount === 1;
  } finally {
    await admin.end();
  }
}

function progressBar(label) {
  return new cliProgress.SingleBar({
    format: `  ${label} [{bar}] {percentage}% | {value}/{total} rows | {duration_formatted}`,
    hideCursor: true,
  }, cliProgress.Presets.shades_classic);
}

function openPg(dataset) {
  const pool = new pg.Pool({ connectionString: pgUrl(dataset.database), max: 2 });
  let admin = null;
  return {
    kind: 'pg',
    close: async () => {
      await pool.end();
      await admin?.end();
    },
    query: async (sql, params = []) => (await pool.query(sql, params)).rows,
    async migrations() {
      return (await pool.query('SELECT name FROM migrations ORDER BY id')).rows.map((r) => r.name);
    },
    async count(table = 'tasks') {
      return (await pool.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n;
    },
    /** Creation time (ISO) of each id, for cursors that start a page right after that task. */
    async positions(ids) {
      const { rows } = await pool.query('SELECT id, created_at FROM tasks WHERE id = ANY($1)', [ids]);
      return rows.map((r) => ({ id: r.id, createdAt: r.created_at.toISOString() }));
    },
    /** `plain_tasks`: the rows of `tasks` with the same indexes, built after the load as a fresh table. */
    async createPlainTable() {
      const client = await pool.connect();
      try {
        await client.query('DROP TABLE IF EXISTS plain_tasks');
        await client.query('CREATE TABLE plain_tasks (LIKE tasks INCLUDING DEFAULTS INCLUDING CONSTRAINTS)');
        await client.query('INSERT INTO plain_tasks SELECT * FROM tasks');
        await client.query('ALTER TABLE plain_tasks ADD PRIMARY KEY (id)');
        // The straightforward baseline knows nothing of projects: its creations leave them empty.
        await client.query('ALTER TABLE plain_tasks ALTER COLUMN project_id DROP NOT NULL, ALTER COLUMN number DROP NOT NULL');
        await client.query("SET maintenance_work_mem = '512MB'");
        for (const index of await secondaryIndexes(client)) {
          const definition = index.indexdef.replace(/^(CREATE (?:UNIQUE )?INDEX )"?([^" ]+)"? ON (?:public\.)?tasks /,
            (whole, create, name) => `${create}"${name}_plain" ON public.plain_tasks `);
          if (definition === index.indexdef) throw new Error(`cannot copy index: ${index.indexdef}`);
          await client.query(definition);
        }
      } finally {
        client.release();
      }
    },
    async insertApiTokens(rows) {
      for (const row of rows) {
        await pool.query(`INSERT INTO api_tokens (id, user_id, name, scope, token_hash, created_at)
          VALUES ($1, $2, $3, $4, $5, $6)`, row);
      }
    },
    /** CPU time (ms) of each PostgreSQL backend connected to this database, read from /proc. */
    async backendCpuMs() {
      if (!admin) {
        admin = new pg.Client({ connectionString: PG_ADMIN_URL });
        await admin.connect();
      }
      const { rows } = await admin.query('SELECT pid FROM pg_stat_activity WHERE datname = $1', [dataset.database]);
      const cpu = new Map();
      for (const { pid } of rows) {
        try {
          cpu.set(pid, processCpuMs(pid));
        } catch {
          // Ended between the query and the read.
        }
      }
      return cpu;
    },
    async sampleIds(limit) {
      // TABLESAMPLE avoids sorting a million rows by random(); top up with a plain scan on tiny tables.
      const rows = (await pool.query(
        `SELECT id FROM tasks TABLESAMPLE SYSTEM (least(100, $1::float8 * 300 / greatest(1, (SELECT reltuples FROM pg_class WHERE relname = 'tasks'))))
         WHERE title NOT LIKE '${BENCH_TITLE_PREFIX}%' LIMIT $1`, [limit])).rows;
      if (rows.length >= limit / 2) return rows.map((r) => r.id);
      return (await pool.query(`SELECT id FROM tasks WHERE title NOT LIKE '${BENCH_TITLE_PREFIX}%' LIMIT $1`, [limit]))
        .rows.map((r) => r.id);
    },
    async insert(total, nextTask, label, { keepIndexes = false, table = 'tasks' } = {}) {
      const bar = progressBar(label);
      bar.start(total, 0);
      const client = await pool.connect();
      try {
        // Secondary indexes (trigram GIN ones above all) are far cheaper to build once than to maintain row by
        // row, so a large load drops them and recreates them from the definitions the migration created.
        const indexes = !keepIndexes && total >= 50_000 ? await secondaryIndexes(client) : [];
        for (const index of indexes) await client.query(`DROP INDEX "${index.indexname}"`);
        const batchSize = 5_000;
        const castTypes = ['varchar', 'varchar', 'varchar', 'varchar', 'varchar', 'varchar', 'timestamptz',
          'timestamptz', 'timestamptz', 'text', 'text', 'varchar', 'varchar', 'int'];
        const sql = `INSERT INTO ${table} (${COLUMNS.join(', ')})
          SELECT * FROM unnest(${castTypes.map((type, i) => `$${i + 1}::${type}[]`).join(', ')})`;
        const query = (text, params) => client.query(text, params).then((r) => r.rows);
        const isTasks = table === 'tasks';
        if (isTasks) await ensureProjectsAndLabels(query, true);
        const numbering = await startNumbering(query, table);
        for (let done = 0; done < total;) {
          const size = Math.min(batchSize, total - done);
          const columns = castTypes.map(() => new Array(size));
          const taskLabels = [[], [], [], []];
          for (let i = 0; i < size; i++) {
            const task = nextTask();
            const { searchTitle, searchDescription } = searchColumns(task);
            const { projectId, number } = numbering.place(task);
            const values = [task.id, task.title, task.description, task.status, task.priority, task.assignee,
              task.dueDate?.toISOString() ?? null, task.createdAt.toISOString(), task.updatedAt.toISOString(),
              searchTitle, searchDescription, isTasks ? memberId(task) : null, projectId, number];
            for (let c = 0; c < values.length; c++) columns[c][i] = values[c];
            if (isTasks) {
              for (const labelId of labelIds(task)) {
                taskLabels[0].push(task.id);
                taskLabels[1].push(labelId);
                taskLabels[2].push(projectId);
                taskLabels[3].push(task.createdAt.toISOString());
              }
            }
          }
          await client.query(sql, columns);
          if (taskLabels[0].length > 0) {
            await client.query(`INSERT INTO task_labels (task_id, label_id, task_project_id, task_created_at)
              SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::timestamptz[])`, taskLabels);
          }
          done += size;
          bar.update(done);
        }
        bar.stop();
        await numbering.finish();
        if (indexes.length > 0) {
          console.log(`  recreating ${indexes.length} indexes`);
          await client.query("SET maintenance_work_mem = '512MB'");
          for (const index of indexes) await client.query(index.indexdef);
        }
      } finally {
        bar.stop();
        client.release();
      }
    },
    async analyze() {
      await pool.query('VACUUM ANALYZE');
    },
    // The PostgreSQL on the bench machine runs with autovacuum off; production's autovacuum would keep
    // task_counts (nine rows updated by every write) and tasks from bloating, so the bench does it itself.
    async settle() {
      await pool.query('VACUUM');
    },
    ensureMembers: () => ensureMembers((text, params) => pool.query(text, params).then((r) => r.rows), true),
    prepareComments: (options) => prepareComments((text, params) => pool.query(text, params).then((r) => r.rows), true, options),
    async removeBenchRows() {
      for (const sql of BENCH_SIDE_ROWS) await pool.query(sql);
      // In batches, so that no single transaction changes the same counter rows many thousand times.
      let removed = 0;
      const tables = (await pool.query("SELECT to_regclass('plain_tasks') IS NOT NULL AS plain")).rows[0].plain
        ? TABLES : ['tasks'];
      for (const table of tables) {
        for (;;) {
          const { rowCount } = await pool.query(`DELETE FROM ${table} WHERE id IN
            (SELECT id FROM ${table} WHERE title LIKE '${BENCH_TITLE_PREFIX}%' LIMIT 5000)`);
          removed += rowCount;
          if (rowCount === 0) break;
        }
      }
      return removed;
    },
    async benchRowIds(table = 'tasks') {
      return (await pool.query(`SELECT id FROM ${table} WHERE title LIKE '${BENCH_TITLE_PREFIX}%'`)).rows.map((r) => r.id);
    },
  };
}

async function secondaryIndexes(client) {
  const { rows } = await client.query(`
    SELECT indexname, indexdef FROM pg_indexes
    WHERE schemaname = 'public' AND tablename = 'tasks'
      AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = 'public.tasks'::regclass)`);
  return rows;
}

function openSqlite(dataset) {
  const db = openSqliteFile(dataset.file);
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA busy_timeout = 5000');
  const sqliteQuery = async (text, params) => {
    const statement = db.prepare(text.replace(/\$\d+/g, '?'));
    return statement.reader ? statement.all(...params) : (statement.run(...params), []);
  };
  return {
    kind: 'sqlite',
    close: async () => db.close(),
    query: async (sql, params = []) => {
      const statement = db.prepare(sql);
      if (statement.reader) return statement.all(...params);
      statement.run(...params);
      return [];
    },
    async migrations() {
      return db.prepare('SELECT name FROM migrations ORDER BY id').all().map((r) => r.name);
    },
    async count(table = 'tasks') {
      return db.prepare(`SELECT count(*) AS n FROM ${table}`).get().n;
    },
    async positions(ids) {
      const select = db.prepare('SELECT id, created_at FROM tasks WHERE id = ?');
      return ids.map((id) => select.get(id)).filter(Boolean)
        .map((r) => ({ id: r.id, createdAt: `${r.created_at.replace(' ', 'T')}Z` }));
    },
    async createPlainTable() {
      const schema = db.prepare("SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'tasks' AND sql IS NOT NULL").all();
      db.exec('DROP TABLE IF EXISTS plain_tasks');
      const table = schema.find((entry) => entry.type === 'table');
      db.exec(table.sql.replace(/^CREATE TABLE "tasks"/, 'CREATE TABLE "plain_tasks"'));
      db.exec('INSERT INTO plain_tasks SELECT * FROM tasks');
      for (const index of schema.filter((entry) => entry.type === 'index')) {
        const definition = index.sql.replace(`"${index.name}"`, `"${index.name}_plain"`)
          .replace(/ ON "tasks" /, ' ON "plain_tasks" ');
        if (!definition.includes('"plain_tasks"')) throw new Error(`cannot copy index: ${index.sql}`);
        db.exec(definition);
      }
    },
    async insertApiTokens(rows) {
      const insert = db.prepare(`INSERT INTO api_tokens (id, user_id, name, scope, token_hash, created_at)
        VALUES (?, ?, ?, ?, ?, ?)`);
      for (const row of rows) insert.run(...row.slice(0, 5), sqliteDate(row[5]));
    },
    async sampleIds(limit) {
      return db.prepare(`SELECT id FROM tasks WHERE title NOT LIKE '${BENCH_TITLE_PREFIX}%' ORDER BY random() LIMIT ?`)
        .all(limit).map((r) => r.id);
    },
    async insert(total, nextTask, label, { table = 'tasks' } = {}) {
      const bar = progressBar(label);
      bar.start(total, 0);
      const insert = db.prepare(`INSERT INTO ${table} (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`);
      const insertLabel = db.prepare('INSERT INTO task_labels (task_id, label_id, task_project_id, task_created_at) VALUES (?, ?, ?, ?)');
      const isTasks = table === 'tasks';
      if (isTasks) await ensureProjectsAndLabels(sqliteQuery, false);
      const numbering = await startNumbering(sqliteQuery, table);
      // One transaction for the whole load: SQLite commits are the expensive part.
      const load = db.transaction(() => {
        for (let done = 0; done < total; done++) {
          const task = nextTask();
          const { searchTitle, searchDescription } = searchColumns(task);
          const { projectId, number } = numbering.place(task);
          insert.run(task.id, task.title, task.description, task.status, task.priority, task.assignee,
            sqliteDate(task.dueDate), sqliteDate(task.createdAt), sqliteDate(task.updatedAt), searchTitle,
            searchDescription, isTasks ? memberId(task) : null, projectId, number);
          if (isTasks) for (const labelId of labelIds(task)) insertLabel.run(task.id, labelId, projectId, sqliteDate(task.createdAt));
          if (done % 1000 === 0) bar.update(done);
        }
      });
      try {
        load();
        bar.update(total);
      } finally {
        bar.stop();
      }
      await numbering.finish();
    },
    async analyze() {
      db.exec('VACUUM');
      db.exec('ANALYZE');
      db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    },
    async settle() {
      db.exec('PRAGMA wal_checkpoint(PASSIVE)');
    },
    ensureMembers: () => ensureMembers(sqliteQuery, false),
    prepareComments: (options) => prepareComments(sqliteQuery, false, options),
    async removeBenchRows() {
      for (const sql of BENCH_SIDE_ROWS) db.exec(sql);
      const hasPlain = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'plain_tasks'").get() !== undefined;
      return (hasPlain ? TABLES : ['tasks']).reduce((removed, table) =>
        removed + db.prepare(`DELETE FROM ${table} WHERE title LIKE '${BENCH_TITLE_PREFIX}%'`).run().changes, 0);
    },
    async benchRowIds(table = 'tasks') {
      return db.prepare(`SELECT id FROM ${table} WHERE title LIKE '${BENCH_TITLE_PREFIX}%'`).all().map((r) => r.id);
    },
  };
}

/** Rows the comment scenarios need: five member watchers on each watched task, `perTask` comments on each listed one. */
async function prepareComments(query, isPostgres, { watchedTaskIds, listedTaskIds, authorId, perTask }) {
  const yes = isPostgres ? true : 1;
  for (const taskId of watchedTaskIds) {
    for (const member of BENCH_MEMBERS.slice(0, 5)) {
      await query('INSERT INTO task_watchers (task_id, user_id, watching) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
        [taskId, member.id, yes]);
    }
  }
  for (const taskId of listedTaskIds) {
    const [{ n }] = await query('SELECT count(*) AS n FROM comments WHERE task_id = $1', [taskId]);
    for (let i = Number(n); i < perTask; i++) {
      const at = new Date(Date.UTC(2026, 10, 1) + i * 60_000);
      await query('INSERT INTO comments (id, task_id, author_id, body, created_at, edited_at) VALUES ($1, $2, $3, $4, $5, NULL)',
        [crypto.randomUUID(), taskId, authorId, `Comment ${i + 1}: ${i % 3 === 0 ? `<@${BENCH_MEMBERS[i % 10].id}> ` : ''}please have a look at the logs.`,
          isPostgres ? at.toISOString() : sqliteDate(at)]);
    }
  }
}

/** What the scenarios wrote besides tasks: comments, notifications and webhook deliveries of the bench's rows. */
const BENCH_SIDE_ROWS = [
  `DELETE FROM task_labels WHERE task_id IN (SELECT id FROM tasks WHERE title LIKE '${BENCH_TITLE_PREFIX}%')`,
  `DELETE FROM comments WHERE body LIKE '${BENCH_TITLE_PREFIX}%'`,
  'DELETE FROM notifications',
];

function processCpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

/** Tasks for the delete scenario's pool: same shape as the data set, titled so they can be told apart. */
export function poolTaskStream(seed) {
  const next = taskStream(seed);
  return () => {
    const task = next();
    task.id = crypto.randomUUID();
    task.title = `${BENCH_TITLE_PREFIX}delete pool: ${task.title}`;
    return task;
  };
}
