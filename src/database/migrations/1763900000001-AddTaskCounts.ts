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
    if (queryRunner.connection.options.type === 'postgres') {
      await queryRunner.query('DROP TRIGGER IF EXISTS task_counts_rows ON tasks');
      await queryRunner.query('DROP TRIGGER IF EXISTS task_counts_truncate ON tasks');
      await queryRunner.query('DROP FUNCTION IF EXISTS task_counts_follow_rows()');
      await queryRunner.query('DROP FUNCTION IF EXISTS task_counts_follow_truncate()');
    } else {
      for (const trigger of ['task_counts_insert', 'task_counts_delete', 'task_counts_update']) {
        await queryRunner.query(`DROP TRIGGER IF EXISTS ${trigger}`);
      }
    }
    await queryRunner.dropTable('task_counts');
  }

  private async createPostgresTriggers(queryRunner: QueryRunner): Promise<void> {
    // One UPDATE for both rows of a move, so that concurrent moves lock them in the same (index) order
    // and cannot deadlock; an UPDATE that keeps the pair touches nothing.
    await queryRunner.query(`
      CREATE FUNCTION task_counts_follow_rows() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          UPDATE task_counts SET count = count + 1 WHERE status = NEW.status AND priority = NEW.priority;
        ELSIF TG_OP = 'DELETE' THEN
          UPDATE task_counts SET count = count - 1 WHERE status = OLD.status AND priority = OLD.priority;
        ELSIF (NEW.status, NEW.priority) IS DISTINCT FROM (OLD.status, OLD.priority) THEN
          UPDATE task_counts
          SET count = count + CASE WHEN status = NEW.status AND priority = NEW.priority THEN 1 ELSE -1 END
          WHERE (status = NEW.status AND priority = NEW.priority) OR (status = OLD.status AND priority = OLD.priority);
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER task_counts_rows AFTER INSERT OR DELETE OR UPDATE OF status, priority ON tasks
      FOR EACH ROW EXECUTE FUNCTION task_counts_follow_rows()`);
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
