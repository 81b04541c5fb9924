import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/**
 * Keeps the number of tasks per (status, priority) in `task_counts`, maintained by triggers in the
 * same transaction as each write. `X-Total-Count`, `/tasks/count` and `/tasks/stats` then read nine
 * rows instead of counting a million: a count cannot use an index to skip rows, so it grows with the
 * table. Being triggers, the counters also follow writes that do not come through the API.
 */
export class AddTaskCounts1763900000001 implements MigrationInterface {
  name = 'AddTaskCounts1763900000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    const isPostgres = queryRunner.connection.options.type === 'postgres';
    await queryRunner.createTable(
      new Table({
        name: 'task_counts',
        columns: [
          { name: 'status', type: 'varchar', length: '20', isPrimary: true },
          { name: 'priority', type: 'varchar', length: '20', isPrimary: true },
          { name: 'count', type: isPostgres ? 'bigint' : 'integer', default: 0 },
        ],
      }),
    );
    // Every pair exists from the start, so the triggers only ever update.
    await queryRunner.query(`
      INSERT INTO task_counts (status, priority, count)
      SELECT statuses.status, priorities.priority,
             (SELECT COUNT(*) FROM tasks WHERE tasks.status = statuses.status AND tasks.priority = priorities.priority)
      FROM (SELECT 'todo' AS status UNION ALL SELECT 'in_progress' UNION ALL SELECT 'done') AS statuses
      CROSS JOIN (SELECT 'low' AS priority UNION ALL SELECT 'medium' UNION ALL SELECT 'high') AS priorities`);
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
    await queryRunner.dropTable('task_counts');
  }

  private async createPostgresTriggers(queryRunner: QueryRunner): Promise<void> {
    // Statement triggers with transition tables: a bulk INSERT or DELETE updates each counter once,
    // where row triggers would update the same counter row once per row, which PostgreSQL makes
    // quadratic inside one transaction. Counters are locked in a fixed order, so concurrent moves
    // (todo -> done and done -> todo) cannot deadlock; an UPDATE that moves nothing touches none.
    await queryRunner.query(`
      CREATE FUNCTION task_counts_follow() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        delta record;
      BEGIN
        IF TG_OP = 'INSERT' THEN
          FOR delta IN SELECT status, priority, COUNT(*) AS n FROM new_rows GROUP BY 1, 2 ORDER BY 1, 2 LOOP
            UPDATE task_counts SET count = count + delta.n WHERE status = delta.status AND priority = delta.priority;
          END LOOP;
        ELSIF TG_OP = 'DELETE' THEN
          FOR delta IN SELECT status, priority, COUNT(*) AS n FROM old_rows GROUP BY 1, 2 ORDER BY 1, 2 LOOP
            UPDATE task_counts SET count = count - delta.n WHERE status = delta.status AND priority = delta.priority;
          END LOOP;
        ELSE
          FOR delta IN
            SELECT status, priority, SUM(n) AS n
            FROM (SELECT status, priority, 1 AS n FROM new_rows UNION ALL SELECT status, priority, -1 FROM old_rows) AS moves
            GROUP BY 1, 2 HAVING SUM(n) <> 0 ORDER BY 1, 2
          LOOP
            UPDATE task_counts SET count = count + delta.n WHERE status = delta.status AND priority = delta.priority;
          END LOOP;
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER task_counts_insert AFTER INSERT ON tasks REFERENCING NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION task_counts_follow()`);
    await queryRunner.query(`
      CREATE TRIGGER task_counts_delete AFTER DELETE ON tasks REFERENCING OLD TABLE AS old_rows
      FOR EACH STATEMENT EXECUTE FUNCTION task_counts_follow()`);
    // Transition tables rule out a column list (UPDATE OF status, priority); the HAVING above does its work.
    await queryRunner.query(`
      CREATE TRIGGER task_counts_update AFTER UPDATE ON tasks REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION task_counts_follow()`);
    await queryRunner.query(`
      CREATE FUNCTION task_counts_follow_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE task_counts SET count = 0;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER task_counts_truncate AFTER TRUNCATE ON tasks
      FOR EACH STATEMENT EXECUTE FUNCTION task_counts_follow_truncate()`);
  }

  private async createSqliteTriggers(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TRIGGER task_counts_insert AFTER INSERT ON tasks BEGIN
        UPDATE task_counts SET count = count + 1 WHERE status = NEW.status AND priority = NEW.priority;
      END`);
    await queryRunner.query(`
      CREATE TRIGGER task_counts_delete AFTER DELETE ON tasks BEGIN
        UPDATE task_counts SET count = count - 1 WHERE status = OLD.status AND priority = OLD.priority;
      END`);
    await queryRunner.query(`
      CREATE TRIGGER task_counts_update AFTER UPDATE OF status, priority ON tasks
      WHEN NEW.status IS NOT OLD.status OR NEW.priority IS NOT OLD.priority BEGIN
        UPDATE task_counts SET count = count - 1 WHERE status = OLD.status AND priority = OLD.priority;
        UPDATE task_counts SET count = count + 1 WHERE status = NEW.status AND priority = NEW.priority;
      END`);
  }
}
