// Creating, loading and restoring the benchmark databases. Rows go in through batched SQL, never the API:
// loading a million rows through HTTP would take longer than the whole benchmark.
import { existsSync, rmSync } from 'node:fs';
import pg from 'pg';
import { openSqlite as openSqliteFile } from './sqlite.mjs';
import cliProgress from 'cli-progress';
import { taskStream, sqliteDate, searchColumns } from './datagen.mjs';

const PG_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
export const pgUrl = (database) => `postgres://postgres@127.0.0.1:5432/${database}`;
// Four slashes: "sqlite:///" followed by an absolute path.
export const sqliteUrl = (file) => `sqlite:///${file}`;

const COLUMNS = ['id', 'title', 'description', 'status', 'priority', 'assignee', 'due_date', 'created_at',
  'updated_at', 'search_title', 'search_description'];
// Titles of rows the benchmark itself adds (create scenario, delete pool) start with this, so they can be removed
// afterwards and the data set stays the same from run to run. No generated title starts with it.
export const BENCH_TITLE_PREFIX = 'Bench ';

/** Opens a small uniform interface over either database, used by the loader and the orchestrator. */
export function openDatabase(dataset) {
  return dataset.kind === 'pg' ? openPg(dataset) : openSqlite(dataset);
}

export async function recreateEmpty(dataset) {
  if (dataset.kind === 'pg') {
    // Guard against ever dropping a database this harness does not own.
    if (!dataset.database.startsWith('taskflow_bench_')) throw new Error(`refusing to drop ${dataset.database}`);
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
  return {
    kind: 'pg',
    close: () => pool.end(),
    query: async (sql, params = []) => (await pool.query(sql, params)).rows,
    async migrations() {
      return (await pool.query('SELECT name FROM migrations ORDER BY id')).rows.map((r) => r.name);
    },
    async count() {
      return (await pool.query('SELECT count(*)::int AS n FROM tasks')).rows[0].n;
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
    async insert(total, nextTask, label, { keepIndexes = false } = {}) {
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
          'timestamptz', 'timestamptz', 'text', 'text'];
        const sql = `INSERT INTO tasks (${COLUMNS.join(', ')})
          SELECT * FROM unnest(${castTypes.map((type, i) => `$${i + 1}::${type}[]`).join(', ')})`;
        for (let done = 0; done < total;) {
          const size = Math.min(batchSize, total - done);
          const columns = COLUMNS.map(() => new Array(size));
          for (let i = 0; i < size; i++) {
            const task = nextTask();
            const { searchTitle, searchDescription } = searchColumns(task);
            const values = [task.id, task.title, task.description, task.status, task.priority, task.assignee,
              task.dueDate?.toISOString() ?? null, task.createdAt.toISOString(), task.updatedAt.toISOString(),
              searchTitle, searchDescription];
            for (let c = 0; c < values.length; c++) columns[c][i] = values[c];
          }
          await client.query(sql, columns);
          done += size;
          bar.update(done);
        }
        bar.stop();
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
    async removeBenchRows() {
      // In batches: the API's row-level trigger on tasks updates one of nine task_counts rows per deleted row,
      // and PostgreSQL slows down quadratically when one transaction updates the same row that many times.
      let removed = 0;
      for (;;) {
        const { rowCount } = await pool.query(`DELETE FROM tasks WHERE id IN
          (SELECT id FROM tasks WHERE title LIKE '${BENCH_TITLE_PREFIX}%' LIMIT 5000)`);
        removed += rowCount;
        if (rowCount === 0) return removed;
      }
    },
    async benchRowIds() {
      return (await pool.query(`SELECT id FROM tasks WHERE title LIKE '${BENCH_TITLE_PREFIX}%'`)).rows.map((r) => r.id);
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
  return {
    kind: 'sqlite',
    close: async () => db.close(),
    query: async (sql, params = []) => db.prepare(sql).all(...params),
    async migrations() {
      return db.prepare('SELECT name FROM migrations ORDER BY id').all().map((r) => r.name);
    },
    async count() {
      return db.prepare('SELECT count(*) AS n FROM tasks').get().n;
    },
    async sampleIds(limit) {
      return db.prepare(`SELECT id FROM tasks WHERE title NOT LIKE '${BENCH_TITLE_PREFIX}%' ORDER BY random() LIMIT ?`)
        .all(limit).map((r) => r.id);
    },
    async insert(total, nextTask, label) {
      const bar = progressBar(label);
      bar.start(total, 0);
      const insert = db.prepare(`INSERT INTO tasks (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`);
      // One transaction for the whole load: SQLite commits are the expensive part.
      const load = db.transaction(() => {
        for (let done = 0; done < total; done++) {
          const task = nextTask();
          const { searchTitle, searchDescription } = searchColumns(task);
          insert.run(task.id, task.title, task.description, task.status, task.priority, task.assignee,
            sqliteDate(task.dueDate), sqliteDate(task.createdAt), sqliteDate(task.updatedAt), searchTitle,
            searchDescription);
          if (done % 1000 === 0) bar.update(done);
        }
      });
      try {
        load();
        bar.update(total);
      } finally {
        bar.stop();
      }
    },
    async analyze() {
      db.exec('VACUUM');
      db.exec('ANALYZE');
      db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    },
    async settle() {
      db.exec('PRAGMA wal_checkpoint(PASSIVE)');
    },
    async removeBenchRows() {
      return db.prepare(`DELETE FROM tasks WHERE title LIKE '${BENCH_TITLE_PREFIX}%'`).run().changes;
    },
    async benchRowIds() {
      return db.prepare(`SELECT id FROM tasks WHERE title LIKE '${BENCH_TITLE_PREFIX}%'`).all().map((r) => r.id);
    },
  };
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
