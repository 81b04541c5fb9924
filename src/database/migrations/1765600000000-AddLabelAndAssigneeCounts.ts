import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/** Counter rows per (project, label) and per (project, member) are sharded like task_counts: concurrent writers rarely share one. */
const SHARDS = 16;

/**
 * What makes a list filtered by label or by member assignee cost what the unfiltered list costs (bench/RESULTS.md):
 * - `task_labels` keeps its task's project and creation time (`task_project_id`, `task_created_at`), so that a
 *   label's page is a range of the index (label_id, task_created_at, task_id, task_project_id) in list order, and
 *   its counter can be kept without reading the task (which a deletion has already removed).
 * - `task_label_counts` and `task_assignee_counts` count them per project, as task_counts does per status and
 *   priority, so that `X-Total-Count`, `/tasks/count` and the labels' task counts are sums of a few rows instead of
 *   a count over tens of thousands at 1,000,000 tasks. Kept by triggers in the writing transaction.
 */
export class AddLabelAndAssigneeCounts1765600000000 implements MigrationInterface {
  name = 'AddLabelAndAssigneeCounts1765600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const isPostgres = queryRunner.connection.options.type === 'postgres';
    const timestamp = isPostgres ? 'timestamptz' : 'datetime';

    await queryRunner.query('ALTER TABLE task_labels ADD COLUMN task_project_id varchar(36) NULL');
    await queryRunner.query(`ALTER TABLE task_labels ADD COLUMN task_created_at ${timestamp} NULL`);
    await queryRunner.query(
      isPostgres
        ? 'UPDATE task_labels SET task_project_id = tasks.project_id, task_created_at = tasks.created_at FROM tasks WHERE tasks.id = task_labels.task_id'
        : `UPDATE task_labels SET task_project_id = (SELECT project_id FROM tasks WHERE tasks.id = task_labels.task_id),
             task_created_at = (SELECT created_at FROM tasks WHERE tasks.id = task_labels.task_id)`,
    );
    // A label of a task that no longer exists is nobody's.
    await queryRunner.query('DELETE FROM task_labels WHERE task_project_id IS NULL');
    if (isPostgres) {
      await queryRunner.query('ALTER TABLE task_labels ALTER COLUMN task_project_id SET NOT NULL, ALTER COLUMN task_created_at SET NOT NULL');
    }
    // The new index serves every lookup by label the old one did; with the project last, a label's page in a
    // project (or outside archived ones) is read from the index alone.
    await queryRunner.query('DROP INDEX "IDX_task_labels_label"');
    await queryRunner.createIndex(
      'task_labels',
      new TableIndex({ name: 'IDX_task_labels_label_created', columnNames: ['label_id', 'task_created_at', 'task_id', 'task_project_id'] }),
    );

    const counter = { name: 'count', type: isPostgres ? 'bigint' : 'integer', default: 0 };
    const key = (name: string) => ({ name, type: 'varchar', length: '36', isPrimary: true });
    const shard = { name: 'shard', type: 'smallint', isPrimary: true, default: 0 };
    await queryRunner.createTable(new Table({ name: 'task_label_counts', columns: [key('project_id'), key('label_id'), shard, counter] }));
    await queryRunner.createTable(new Table({ name: 'task_assignee_counts', columns: [key('project_id'), key('assignee_id'), shard, counter] }));
    await queryRunner.query(
      'INSERT INTO task_label_counts (project_id, label_id, shard, count) SELECT task_project_id, label_id, 0, COUNT(*) FROM task_labels GROUP BY task_project_id, label_id',
    );
    await queryRunner.query(
      'INSERT INTO task_assignee_counts (project_id, assignee_id, shard, count) SELECT project_id, assignee_id, 0, COUNT(*) FROM tasks WHERE assignee_id IS NOT NULL GROUP BY project_id, assignee_id',
    );

    if (isPostgres) await this.createPostgresTriggers(queryRunner);
    else await this.createSqliteTriggers(queryRunner);
  }

  async down(): Promise<void> {
    throw new Error('AddLabelAndAssigneeCounts cannot be reverted: restore the backup taken before upgrading');
  }

  private async createPostgresTriggers(queryRunner: QueryRunner): Promise<void> {
    // Summed per counter and applied in key order, so that two writers lock shared rows in the same order.
    const upsert = (table: string, column: string, moves: string) => `
        INSERT INTO ${table} AS c (project_id, ${column}, shard, count)
        SELECT project_id, ${column}, pg_backend_pid() % ${SHARDS}, SUM(n) FROM (${moves}) AS moves
        GROUP BY project_id, ${column} HAVING SUM(n) <> 0 ORDER BY project_id, ${column}
        ON CONFLICT (project_id, ${column}, shard) DO UPDATE SET count = c.count + EXCLUDED.count;`;

    // The task counters' statement triggers (AddProjectsAndLabels) count member assignees too: the same transition
    // tables, no trigger more per write.
    const taskCounts = await queryRunner.query(`SELECT prosrc FROM pg_proc WHERE proname = 'task_counts_inserted'`);
    if (taskCounts.length !== 1) throw new Error('AddLabelAndAssigneeCounts: the task counters\' trigger functions are missing');
    const assigned = 'SELECT project_id, assignee_id, 1 AS n FROM new_rows WHERE assignee_id IS NOT NULL';
    const unassigned = 'SELECT project_id, assignee_id, -1 AS n FROM old_rows WHERE assignee_id IS NOT NULL';
    for (const [name, moves] of [
      ['task_counts_inserted', assigned],
      ['task_counts_deleted', unassigned],
      ['task_counts_updated', `${assigned} UNION ALL ${unassigned}`],
    ]) {
      const [{ prosrc }] = await queryRunner.query(`SELECT prosrc FROM pg_proc WHERE proname = $1`, [name]);
      const body = (prosrc as string).replace(/RETURN NULL;/, `${upsert('task_assignee_counts', 'assignee_id', moves)}\n        RETURN NULL;`);
      await queryRunner.query(`CREATE OR REPLACE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$${body}$$`);
    }
    await queryRunner.query(`CREATE OR REPLACE FUNCTION task_counts_follow_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE task_counts SET count = 0;
        DELETE FROM task_due_days;
        DELETE FROM task_assignee_counts;
        RETURN NULL;
      END $$`);

    const labelled = 'SELECT task_project_id AS project_id, label_id, 1 AS n FROM new_rows';
    const unlabelled = 'SELECT task_project_id AS project_id, label_id, -1 AS n FROM old_rows';
    for (const [name, moves] of [
      ['task_label_counts_inserted', labelled],
      ['task_label_counts_deleted', unlabelled],
      ['task_label_counts_updated', `${labelled} UNION ALL ${unlabelled}`],
    ]) {
      await queryRunner.query(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN ${upsert('task_label_counts', 'label_id', moves)}
        RETURN NULL;
      END $$`);
    }
    await queryRunner.query(`CREATE TRIGGER task_label_counts_insert AFTER INSERT ON task_labels REFERENCING NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION task_label_counts_inserted()`);
    await queryRunner.query(`CREATE TRIGGER task_label_counts_delete AFTER DELETE ON task_labels REFERENCING OLD TABLE AS old_rows
      FOR EACH STATEMENT EXECUTE FUNCTION task_label_counts_deleted()`);
    await queryRunner.query(`CREATE TRIGGER task_label_counts_update AFTER UPDATE ON task_labels REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION task_label_counts_updated()`);
    await queryRunner.query(`CREATE FUNCTION task_label_counts_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM task_label_counts;
        RETURN NULL;
      END $$`);
    await queryRunner.query('CREATE TRIGGER task_label_counts_truncate AFTER TRUNCATE ON task_labels FOR EACH STATEMENT EXECUTE FUNCTION task_label_counts_truncated()');

    // A task moved to another project takes its labels along (after the statement, so a move that also sets
    // labels finds them written); a row trigger, since transition tables rule out a column list.
    await queryRunner.query(`CREATE FUNCTION task_labels_follow_project() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE task_labels SET task_project_id = NEW.project_id WHERE task_id = NEW.id AND task_project_id <> NEW.project_id;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`CREATE TRIGGER task_labels_follow_project AFTER UPDATE OF project_id ON tasks
      FOR EACH ROW WHEN (OLD.project_id IS DISTINCT FROM NEW.project_id) EXECUTE FUNCTION task_labels_follow_project()`);
  }

  private async createSqliteTriggers(queryRunner: QueryRunner): Promise<void> {
    const count = (table: string, column: string, project: string, value: string, sign: '+' | '-', when = '') => `
        INSERT INTO ${table} (project_id, ${column}, shard, count) SELECT ${project}, ${value}, 0, ${sign}1 ${when}
          ON CONFLICT (project_id, ${column}, shard) DO UPDATE SET count = count ${sign} 1;`;
    const assignee = (row: 'NEW' | 'OLD', sign: '+' | '-') =>
      count('task_assignee_counts', 'assignee_id', `${row}.project_id`, `${row}.assignee_id`, sign, `WHERE ${row}.assignee_id IS NOT NULL`);
    await queryRunner.query(`CREATE TRIGGER task_assignee_counts_insert AFTER INSERT ON tasks BEGIN ${assignee('NEW', '+')} END`);
    await queryRunner.query(`CREATE TRIGGER task_assignee_counts_delete AFTER DELETE ON tasks BEGIN ${assignee('OLD', '-')} END`);
    await queryRunner.query(`
      CREATE TRIGGER task_assignee_counts_update AFTER UPDATE OF assignee_id, project_id ON tasks
      WHEN NEW.assignee_id IS NOT OLD.assignee_id OR NEW.project_id IS NOT OLD.project_id
      BEGIN ${assignee('OLD', '-')} ${assignee('NEW', '+')} END`);

    const label = (row: 'NEW' | 'OLD', sign: '+' | '-') => count('task_label_counts', 'label_id', `${row}.task_project_id`, `${row}.label_id`, sign);
    await queryRunner.query(`CREATE TRIGGER task_label_counts_insert AFTER INSERT ON task_labels BEGIN ${label('NEW', '+')} END`);
    await queryRunner.query(`CREATE TRIGGER task_label_counts_delete AFTER DELETE ON task_labels BEGIN ${label('OLD', '-')} END`);
    await queryRunner.query(`
      CREATE TRIGGER task_label_counts_update AFTER UPDATE OF task_project_id ON task_labels
      WHEN NEW.task_project_id IS NOT OLD.task_project_id
      BEGIN ${label('OLD', '-')} ${label('NEW', '+')} END`);
    await queryRunner.query(`
      CREATE TRIGGER task_labels_follow_project AFTER UPDATE OF project_id ON tasks
      WHEN NEW.project_id IS NOT OLD.project_id
      BEGIN UPDATE task_labels SET task_project_id = NEW.project_id WHERE task_id = NEW.id; END`);
  }
}
