// Times the migrations of this round on a database that already holds many tasks: a database at the schema
// before projects is loaded with N tasks (batched SQL, as the benchmark loads its data), then the pending
// migrations run as a deploy runs them, and their time is printed. Uses the built app (dist/): run
// `npm run build` first.
//   node bench/migration-time.mjs --rows=1000000 [--database=postgres|sqlite]
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { DataSource } = require('typeorm');
const { buildDataSourceOptions } = require(join(root, 'dist', 'database', 'data-source.options.js'));

const { values } = parseArgs({ options: { rows: { type: 'string', default: '1000000' }, database: { type: 'string', default: 'postgres' } } });
const rows = Number(values.rows);
/** The migrations of this round; the database is first built with every other one. */
const THIS_ROUND = /^Add(ProjectsAndLabels|Jobs|Email|NotificationEmails|CommentsAndNotifications|Webhooks|LabelAndAssigneeCounts)\d/;
const ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

async function main() {
  const { url, drop } = await freshDatabase(values.database);
  try {
    const options = buildDataSourceOptions(url);
    const before = options.migrations.filter((migration) => !THIS_ROUND.test(migration.name));
    const previous = new DataSource({ ...options, entities: [], migrations: before });
    await previous.initialize();
    await previous.runMigrations({ transaction: 'all' });
    let started = performance.now();
    await load(previous, values.database);
    console.log(`loaded ${rows.toLocaleString('en')} tasks at the previous schema in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    await previous.destroy();

    // MIGRATION_SLOW_MS=500 logs each statement slower than that, to see where the time goes.
    const slow = Number(process.env.MIGRATION_SLOW_MS ?? 0);
    const current = new DataSource({ ...options, ...(slow ? { maxQueryExecutionTime: slow, logging: ['warn'], logger: 'simple-console' } : {}) });
    await current.initialize();
    started = performance.now();
    const ran = await current.runMigrations({ transaction: 'all' });
    const seconds = (performance.now() - started) / 1000;
    const [{ n }] = await current.query('SELECT COUNT(*) AS n FROM task_keys');
    console.log(`migrations: ${ran.map((migration) => migration.name).join(', ')}`);
    console.log(`RESULT ${values.database} ${rows} tasks: migrated in ${seconds.toFixed(1)} s; ${Number(n).toLocaleString('en')} task keys`);
    await current.destroy();
  } finally {
    await drop();
  }
}

/** N tasks in created_at order with a few ties, in one statement per 100,000. */
async function load(dataSource, database) {
  const batch = 100_000;
  for (let done = 0; done < rows; done += batch) {
    const size = Math.min(batch, rows - done);
    if (database === 'postgres') {
      await dataSource.query(
        `INSERT INTO tasks (id, title, status, priority, created_at, updated_at, search_title)
         SELECT gen_random_uuid(), 'Task ' || i, (ARRAY['todo','in_progress','done'])[1 + i % 3], (ARRAY['low','medium','high'])[1 + i % 3],
                timestamptz '2026-01-01' + (i / 2) * interval '1 second', timestamptz '2026-01-01' + (i / 2) * interval '1 second', 'task ' || i
         FROM generate_series($1::int, $2::int) AS i`,
        [done, done + size - 1],
      );
    } else {
      await dataSource.query(
        `WITH RECURSIVE n(i) AS (SELECT ? UNION ALL SELECT i + 1 FROM n WHERE i < ?)
         INSERT INTO tasks (id, title, status, priority, created_at, updated_at, search_title)
         SELECT lower(hex(randomblob(16))), 'Task ' || i, CASE i % 3 WHEN 0 THEN 'todo' WHEN 1 THEN 'in_progress' ELSE 'done' END,
                CASE i % 3 WHEN 0 THEN 'low' WHEN 1 THEN 'medium' ELSE 'high' END,
                strftime('%Y-%m-%d %H:%M:%f', '2026-01-01', '+' || (i / 2) || ' seconds'), strftime('%Y-%m-%d %H:%M:%f', '2026-01-01', '+' || (i / 2) || ' seconds'), 'task ' || i
         FROM n`,
        [done, done + size - 1],
      );
    }
  }
}

async function freshDatabase(database) {
  if (database === 'sqlite') {
    const folder = mkdtempSync(join(tmpdir(), 'taskflow-migration-'));
    return { url: `sqlite:///${join(folder, 'taskflow.db')}`, drop: async () => rmSync(folder, { recursive: true, force: true }) };
  }
  const name = `taskflow_migration_${process.pid}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return {
    url: `postgres://postgres@127.0.0.1:5432/${name}`,
    drop: async () => {
      const client = new pg.Client({ connectionString: ADMIN_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

await main();
