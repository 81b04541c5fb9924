import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/**
 * Counters kept by triggers in the same transaction as each write, so that `X-Total-Count`,
 * `/tasks/count` and `/tasks/stats` read a few rows instead of counting a million (a count cannot
 * skip rows, so it grows with the table). Being triggers, they also follow writes that bypass the API.
 * - `task_counts`: tasks per (status, priority).
 * - `task_due_days`: open tasks (not done) with a due date, per UTC day of that date; overdue tasks
 *   are the days before today plus today's tasks due before now, a short index range.
 */
export class AddTaskCounts1763900000001 implements MigrationInterface {
  name = 'AddTaskCounts1763900000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    const isPostgres = queryRunner.connection.options.type === 'postgres';
    const counter = { name: 'count', type: isPostgres ? 'bigint' : 'integer', default: 0 };
    await queryRunner.createTable(
      new Table({
        name: 'task_counts',
        columns: [
          { name: 'status', type: 'varchar', length: '20', isPrimary: true },
          { name: 'priority', type: 'varchar', length: '20', isPrimary: true },
          counter,
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({ name: 'task_due_days', columns: [{ name: 'day', type: 'varchar', length: '10', isPrimary: true }, counter] }),
    );

    // Every (status, priority) pair exists from the start, so its triggers only ever update.
    await queryRunner.query(`
      INSERT INTO task_counts (status, priority, count)
      SELECT statuses.status, priorities.priority,
             (SELECT COUNT(*) FROM tasks WHERE tasks.status = statuses.status AND tasks.priority = priorities.priority)
      FROM (SELECT 'todo' AS status UNION ALL SELECT 'in_progress' UNION ALL SELECT 'done') AS statuses
      CROSS JOIN (SELECT 'low' AS priority UNION ALL SELECT 'medium' UNION ALL SELECT 'high') AS priorities`);
    const dueDay = isPostgres ? `to_char(due_date AT TIME ZONE 'UTC', 'YYYY-MM-DD')` : 'substr(due_date, 1, 10)';
    await queryRunner.query(`
      INSERT INTO task_due_days (day, count)
      SELECT ${dueDay}, COUNT(*) FROM tasks WHERE status <> 'done' AND due_date IS NOT NULL GROUP BY ${dueDay}`);

    if (isPostgres) {
      await this.createPostgresTriggers(queryRunner);
    } else {
      await this.createSqliteTriggers(queryRunner);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const isPostgres = queryRunner.connection.options.type === 'postgres';
    for (const trigger of ['task_counts_insert', 'task_counts_delete', 'task_counts_update', 'task_counts_truncate']) {
      await queryRunner.query(`DROP TRIGGER IF EXISTS ${trigger}${isPostgres ? ' ON tasks' : ''}`);
    }
    if (isPostgres) {
      await queryRunner.query('DROP FUNCTION IF EXISTS task_counts_follow()');
      await queryRunner.query('DROP FUNCTION IF EXISTS task_counts_follow_truncate()');
    }
    await queryRunner.dropTable('task_due_days');
    await queryRunner.dropTable('task_counts');
  }

  private async createPostgresTriggers(queryRunner: QueryRunner): Promise<void> {
    // Statement triggers with transition tables: a bulk INSERT or DELETE updates each counter once,
    // where row triggers would update the same counter row once per row, which PostgreSQL makes
    // quadratic inside one transaction. Counters are changed in a fixed order (task_counts by key,
    // then task_due_days by day), so concurrent writes cannot deadlock on them; a change that moves
    // nothing (most updates) touches none.
    await queryRunner.query(`
      CREATE FUNCTION task_counts_follow() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        moves text := CASE TG_OP
          WHEN 'INSERT' THEN 'SELECT status, priority, due_date, 1 AS n FROM new_rows'
          WHEN 'DELETE' THEN 'SELECT status, priority, due_date, -1 AS n FROM old_rows'
          ELSE 'SELECT status, priority, due_date, 1 AS n FROM new_rows
                UNION ALL SELECT status, priority, due_date, -1 FROM old_rows'
        END;
        delta record;
      BEGIN
        FOR delta IN EXECUTE format(
          'SELECT status, priority, SUM(n) AS n FROM (%s) AS moves
           GROUP BY 1, 2 HAVING SUM(n) <> 0 ORDER BY 1, 2', moves)
        LOOP
          UPDATE task_counts SET count = count + delta.n WHERE status = delta.status AND priority = delta.priority;
        END LOOP;
        FOR delta IN EXECUTE format(
          'SELECT to_char(due_date AT TIME ZONE ''UTC'', ''YYYY-MM-DD'') AS day, SUM(n) AS n FROM (%s) AS moves
           WHERE status <> ''done'' AND due_date IS NOT NULL GROUP BY 1 HAVING SUM(n) <> 0 ORDER BY 1', moves)
        LOOP
          INSERT INTO task_due_days (day, count) VALUES (delta.day, delta.n)
          ON CONFLICT (day) DO UPDATE SET count = task_due_days.count + EXCLUDED.count;
        END LOOP;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER task_counts_insert AFTER INSERT ON tasks REFERENCING NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION task_counts_follow()`);
    await queryRunner.query(`
      CREATE TRIGGER task_counts_delete AFTER DELETE ON tasks REFERENCING OLD TABLE AS old_rows
      FOR EACH STATEMENT EXECUTE FUNCTION task_counts_follow()`);
    // Transition tables rule out a column list (UPDATE OF status, ...); the HAVING clauses do its work.
    await queryRunner.query(`
      CREATE TRIGGER task_counts_update AFTER UPDATE ON tasks REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION task_counts_follow()`);
    await queryRunner.query(`
      CREATE FUNCTION task_counts_follow_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE task_counts SET count = 0;
        DELETE FROM task_due_days;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER task_counts_truncate AFTER TRUNCATE ON tasks
      FOR EACH STATEMENT EXECUTE FUNCTION task_counts_follow_truncate()`);
  }

  private async createSqliteTriggers(queryRunner: QueryRunner): Promise<void> {
    // SQLite has row triggers only, which is fine there: updating a row again is cheap in its b-tree.
    const add = (row: 'NEW' | 'OLD', sign: '+' | '-') => `
        UPDATE task_counts SET count = count ${sign} 1 WHERE status = ${row}.status AND priority = ${row}.priority;
        INSERT INTO task_due_days (day, count)
          SELECT substr(${row}.due_date, 1, 10), ${sign}1 WHERE ${row}.due_date IS NOT NULL AND ${row}.status <> 'done'
          ON CONFLICT (day) DO UPDATE SET count = count ${sign} 1;`;
    await queryRunner.query(`CREATE TRIGGER task_counts_insert AFTER INSERT ON tasks BEGIN ${add('NEW', '+')} END`);
    await queryRunner.query(`CREATE TRIGGER task_counts_delete AFTER DELETE ON tasks BEGIN ${add('OLD', '-')} END`);
    await queryRunner.query(`
      CREATE TRIGGER task_counts_update AFTER UPDATE OF status, priority, due_date ON tasks
      WHEN NEW.status IS NOT OLD.status OR NEW.priority IS NOT OLD.priority OR NEW.due_date IS NOT OLD.due_date
      BEGIN ${add('OLD', '-')} ${add('NEW', '+')} END`);
  }
}
