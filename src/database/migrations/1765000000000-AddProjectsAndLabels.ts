import { randomUUID } from 'node:crypto';
import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/** Counter rows per (project, status, priority) on PostgreSQL, as in ShardTaskCounts: writers add to different ones. */
const SHARDS = 16;

/**
 * Projects, labels and member assignees (docs/API.md).
 * - `projects` keeps each project's next task number (`next_number`): a creation takes it by updating that row in
 *   its own transaction, so numbers are unique per project on any number of instances, and only creations in the
 *   same project wait for each other.
 * - `task_keys` keeps every (project, number) a task was given, so that the old key of a moved task still finds it.
 * - Every existing task moves into the default project (`TF`, "General"), numbered in created_at order (ties by
 *   id), with one UPDATE driven by a window function: a million tasks take seconds, not a write per task.
 * - The counters (task_counts, task_due_days) gain the project, so that a project's figures and the figures without
 *   archived projects are still read from a few rows; they are rebuilt from the tasks and their triggers replaced.
 */
export class AddProjectsAndLabels1765000000000 implements MigrationInterface {
  name = 'AddProjectsAndLabels1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const isPostgres = queryRunner.connection.options.type === 'postgres';
    const timestamp = isPostgres ? 'timestamptz' : 'datetime';
    const boolean = isPostgres ? 'boolean' : 'integer';
    const falseValue = isPostgres ? 'false' : '0';

    await queryRunner.createTable(
      new Table({
        name: 'projects',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'key', type: 'varchar', length: '10', isUnique: true },
          { name: 'name', type: 'varchar', length: '100' },
          { name: 'description', type: 'varchar', length: '1000', isNullable: true },
          { name: 'is_default', type: boolean, default: falseValue },
          { name: 'archived', type: boolean, default: falseValue },
          { name: 'next_number', type: 'integer', default: 1 },
          { name: 'created_at', type: timestamp },
          { name: 'updated_at', type: timestamp },
        ],
      }),
    );
    // At most one default project, enforced by the database.
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_projects_one_default" ON "projects" ("is_default") WHERE is_default = ${isPostgres ? 'true' : '1'}`);

    await queryRunner.createTable(
      new Table({
        name: 'labels',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'name', type: 'varchar', length: '50' },
          // Lower-cased name: unique, so that names differing only in case are one label.
          { name: 'name_folded', type: 'varchar', length: '50', isUnique: true },
          { name: 'color', type: 'varchar', length: '7' },
          { name: 'created_at', type: timestamp },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'task_labels',
        columns: [
          { name: 'task_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'label_id', type: 'varchar', length: '36', isPrimary: true },
        ],
        // The label filter reads (label, task); the primary key serves a task's labels.
        indices: [new TableIndex({ name: 'IDX_task_labels_label', columnNames: ['label_id', 'task_id'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'task_keys',
        columns: [
          { name: 'project_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'number', type: 'integer', isPrimary: true },
          { name: 'task_id', type: 'varchar', length: '36' },
        ],
        indices: [new TableIndex({ name: 'IDX_task_keys_task', columnNames: ['task_id'] })],
      }),
    );

    for (const column of ['project_id', 'assignee_id']) {
      await queryRunner.query(`ALTER TABLE "tasks" ADD COLUMN "${column}" varchar(36) NULL`);
    }
    await queryRunner.query('ALTER TABLE "tasks" ADD COLUMN "number" integer NULL');

    await this.dropCounterTriggers(queryRunner, isPostgres);

    const defaultProject = await this.defaultProjectId(queryRunner, isPostgres);
    // Every row is rewritten: on PostgreSQL each secondary index (the trigram ones above all) would take a new entry
    // per row, which costs far more than building it again afterwards (measured: bench/migration-time.mjs).
    const secondaryIndexes = isPostgres ? await this.dropSecondaryIndexes(queryRunner) : [];
    await queryRunner.query(
      `UPDATE tasks SET project_id = ${isPostgres ? '$1' : '?'}, number = numbered.n
       FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY created_at, id) AS n FROM tasks) AS numbered
       WHERE tasks.id = numbered.id`,
      [defaultProject],
    );
    if (secondaryIndexes.length > 0) await queryRunner.query("SET LOCAL maintenance_work_mem = '256MB'");
    for (const definition of secondaryIndexes) await queryRunner.query(definition);
    await queryRunner.query(
      `UPDATE projects SET next_number = (SELECT COALESCE(MAX(number), 0) + 1 FROM tasks WHERE project_id = projects.id)`,
    );
    await queryRunner.query('INSERT INTO task_keys (project_id, number, task_id) SELECT project_id, number, id FROM tasks');
    if (isPostgres) {
      // SQLite cannot add NOT NULL to an existing column without copying the table; TaskFlow always sets them.
      await queryRunner.query('ALTER TABLE tasks ALTER COLUMN project_id SET NOT NULL, ALTER COLUMN number SET NOT NULL');
    }

    const indexes: Array<[string, string[], boolean?]> = [
      ['IDX_tasks_project_number', ['project_id', 'number'], true],
      ['IDX_tasks_project_created_at', ['project_id', 'created_at', 'id']],
      ['IDX_tasks_assignee_id', ['assignee_id', 'created_at', 'id']],
    ];
    for (const [name, columnNames, isUnique] of indexes) {
      await queryRunner.createIndex('tasks', new TableIndex({ name, columnNames, isUnique }));
    }

    await this.rebuildCounters(queryRunner, isPostgres);
    if (isPostgres) await this.createPostgresTriggers(queryRunner);
    else await this.createSqliteTriggers(queryRunner);
  }

  async down(): Promise<void> {
    throw new Error('AddProjectsAndLabels cannot be reverted: restore the backup taken before upgrading');
  }

  /** Drops the indexes of `tasks` other than its primary key; returns their definitions, to create them again. */
  private async dropSecondaryIndexes(queryRunner: QueryRunner): Promise<string[]> {
    const indexes: Array<{ indexname: string; indexdef: string }> = await queryRunner.query(
      `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'tasks'
         AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = 'tasks'::regclass)`,
    );
    for (const index of indexes) await queryRunner.query(`DROP INDEX "${index.indexname}"`);
    return indexes.map((index) => index.indexdef);
  }

  /** The default project: one that already exists (a re-run on a copy), else a new `TF` "General". */
  private async defaultProjectId(queryRunner: QueryRunner, isPostgres: boolean): Promise<string> {
    const existing: Array<{ id: string }> = await queryRunner.query(`SELECT id FROM projects WHERE is_default = ${isPostgres ? 'true' : '1'}`);
    if (existing.length > 0) return existing[0].id;
    const id = randomUUID();
    const now = isPostgres ? new Date() : new Date().toISOString().replace('T', ' ').replace('Z', '');
    const placeholders = isPostgres ? '$1, $2, $3, $4, $5' : '?, ?, ?, ?, ?';
    await queryRunner.query(
      `INSERT INTO projects (id, key, name, is_default, created_at, updated_at) VALUES (${placeholders}, ${isPostgres ? '$5' : '?'})`,
      isPostgres ? [id, 'TF', 'General', true, now] : [id, 'TF', 'General', 1, now, now],
    );
    return id;
  }

  private async dropCounterTriggers(queryRunner: QueryRunner, isPostgres: boolean): Promise<void> {
    for (const trigger of ['task_counts_insert', 'task_counts_delete', 'task_counts_update']) {
      await queryRunner.query(`DROP TRIGGER IF EXISTS ${trigger}${isPostgres ? ' ON tasks' : ''}`);
    }
    if (isPostgres) {
      for (const name of ['task_counts_inserted', 'task_counts_deleted', 'task_counts_updated']) {
        await queryRunner.query(`DROP FUNCTION IF EXISTS ${name}()`);
      }
    }
  }

  /** task_counts and task_due_days keyed by project too, filled from the tasks as they now are. */
  private async rebuildCounters(queryRunner: QueryRunner, isPostgres: boolean): Promise<void> {
    const counter = { name: 'count', type: isPostgres ? 'bigint' : 'integer', default: 0 };
    const project = { name: 'project_id', type: 'varchar', length: '36', isPrimary: true };
    await queryRunner.dropTable('task_counts');
    await queryRunner.dropTable('task_due_days');
    await queryRunner.createTable(
      new Table({
        name: 'task_counts',
        columns: [
          project,
          { name: 'status', type: 'varchar', length: '20', isPrimary: true },
          { name: 'priority', type: 'varchar', length: '20', isPrimary: true },
          { name: 'shard', type: 'smallint', isPrimary: true, default: 0 },
          counter,
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({ name: 'task_due_days', columns: [project, { name: 'day', type: 'varchar', length: '10', isPrimary: true }, counter] }),
    );
    await queryRunner.query(`
      INSERT INTO task_counts (project_id, status, priority, shard, count)
      SELECT project_id, status, priority, 0, COUNT(*) FROM tasks GROUP BY project_id, status, priority`);
    const dueDay = isPostgres ? `to_char(due_date AT TIME ZONE 'UTC', 'YYYY-MM-DD')` : 'substr(due_date, 1, 10)';
    await queryRunner.query(`
      INSERT INTO task_due_days (project_id, day, count)
      SELECT project_id, ${dueDay}, COUNT(*) FROM tasks WHERE status <> 'done' AND due_date IS NOT NULL GROUP BY project_id, ${dueDay}`);
    if (isPostgres) {
      // The TRUNCATE trigger of AddTaskCounts still zeroes task_counts and empties task_due_days.
      await queryRunner.query('CREATE INDEX "IDX_task_due_days_day" ON task_due_days (day)');
    }
  }

  /** Statement triggers with static SQL, as ShardTaskCounts wrote them, now per project. */
  private async createPostgresTriggers(queryRunner: QueryRunner): Promise<void> {
    // Summed per counter and applied in key order, so two writers lock shared rows in the same order.
    const apply = (moves: string) => `
        INSERT INTO task_counts AS c (project_id, status, priority, shard, count)
        SELECT project_id, status, priority, pg_backend_pid() % ${SHARDS}, SUM(n) FROM (${moves}) AS moves
        GROUP BY project_id, status, priority HAVING SUM(n) <> 0 ORDER BY project_id, status, priority
        ON CONFLICT (project_id, status, priority, shard) DO UPDATE SET count = c.count + EXCLUDED.count;
        INSERT INTO task_due_days AS d (project_id, day, count)
        SELECT project_id, to_char(due_date AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, SUM(n) FROM (${moves}) AS moves
        WHERE status <> 'done' AND due_date IS NOT NULL GROUP BY project_id, day HAVING SUM(n) <> 0 ORDER BY project_id, day
        ON CONFLICT (project_id, day) DO UPDATE SET count = d.count + EXCLUDED.count;`;
    const inserted = 'SELECT project_id, status, priority, due_date, 1 AS n FROM new_rows';
    const deleted = 'SELECT project_id, status, priority, due_date, -1 AS n FROM old_rows';
    const functions: Array<[string, string]> = [
      ['task_counts_inserted', apply(inserted)],
      ['task_counts_deleted', apply(deleted)],
      ['task_counts_updated', apply(`${inserted} UNION ALL ${deleted}`)],
    ];
    for (const [name, body] of functions) {
      await queryRunner.query(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN ${body}
        RETURN NULL;
      END $$`);
    }
    await queryRunner.query(`
      CREATE TRIGGER task_counts_insert AFTER INSERT ON tasks REFERENCING NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION task_counts_inserted()`);
    await queryRunner.query(`
      CREATE TRIGGER task_counts_delete AFTER DELETE ON tasks REFERENCING OLD TABLE AS old_rows
      FOR EACH STATEMENT EXECUTE FUNCTION task_counts_deleted()`);
    await queryRunner.query(`
      CREATE TRIGGER task_counts_update AFTER UPDATE ON tasks REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION task_counts_updated()`);
  }

  private async createSqliteTriggers(queryRunner: QueryRunner): Promise<void> {
    // Row triggers (all SQLite has); upserts, since a project's first task of a (status, priority) has no row yet.
    const add = (row: 'NEW' | 'OLD', sign: '+' | '-') => `
        INSERT INTO task_counts (project_id, status, priority, shard, count) VALUES (${row}.project_id, ${row}.status, ${row}.priority, 0, ${sign}1)
          ON CONFLICT (project_id, status, priority, shard) DO UPDATE SET count = count ${sign} 1;
        INSERT INTO task_due_days (project_id, day, count)
          SELECT ${row}.project_id, substr(${row}.due_date, 1, 10), ${sign}1 WHERE ${row}.due_date IS NOT NULL AND ${row}.status <> 'done'
          ON CONFLICT (project_id, day) DO UPDATE SET count = count ${sign} 1;`;
    await queryRunner.query(`CREATE TRIGGER task_counts_insert AFTER INSERT ON tasks BEGIN ${add('NEW', '+')} END`);
    await queryRunner.query(`CREATE TRIGGER task_counts_delete AFTER DELETE ON tasks BEGIN ${add('OLD', '-')} END`);
    await queryRunner.query(`
      CREATE TRIGGER task_counts_update AFTER UPDATE OF status, priority, due_date, project_id ON tasks
      WHEN NEW.status IS NOT OLD.status OR NEW.priority IS NOT OLD.priority OR NEW.due_date IS NOT OLD.due_date
        OR NEW.project_id IS NOT OLD.project_id
      BEGIN ${add('OLD', '-')} ${add('NEW', '+')} END`);
  }
}
