import { MigrationInterface, QueryRunner } from 'typeorm';

/** Counter rows per (status, priority) on PostgreSQL: concurrent writers add to different ones. */
const SHARDS = 16;

/**
 * PostgreSQL only (SQLite runs one write at a time, so its row triggers have nobody to wait for).
 * - Concurrent writes of tasks with the same status and priority all updated one task_counts row and queued on
 *   its lock; each (status, priority) now has up to 16 rows, one per backend (pid modulo 16), summed on read.
 * - The trigger function built its statements with EXECUTE format(...), so PostgreSQL parsed and planned them on
 *   every write (about 1 ms, ten times the insert itself). One function per operation with static SQL lets
 *   PL/pgSQL keep their plans. They stay statement triggers with transition tables, so a bulk write still
 *   updates each counter row once (bench/analysis.md, "Bulk writes").
 */
export class ShardTaskCounts1764700000001 implements MigrationInterface {
  name = 'ShardTaskCounts1764700000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type !== 'postgres') return;
    for (const trigger of ['task_counts_insert', 'task_counts_delete', 'task_counts_update']) {
      await queryRunner.query(`DROP TRIGGER ${trigger} ON tasks`);
    }
    await queryRunner.query('DROP FUNCTION task_counts_follow()');
    await queryRunner.query('ALTER TABLE task_counts ADD COLUMN shard smallint NOT NULL DEFAULT 0');
    await this.replacePrimaryKey(queryRunner, ['status', 'priority', 'shard']);
    await this.createTriggers(queryRunner, `pg_backend_pid() % ${SHARDS}`);
  }

  /** Folds the shards back into one row per pair; the triggers keep their static SQL. */
  async down(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type !== 'postgres') return;
    await this.dropTriggers(queryRunner);
    await queryRunner.query(`
      CREATE TEMPORARY TABLE task_counts_folded AS
      SELECT status, priority, SUM(count)::bigint AS count FROM task_counts GROUP BY status, priority`);
    await queryRunner.query('DELETE FROM task_counts');
    await this.replacePrimaryKey(queryRunner, ['status', 'priority']);
    await queryRunner.query('ALTER TABLE task_counts DROP COLUMN shard');
    await queryRunner.query('INSERT INTO task_counts (status, priority, count) SELECT status, priority, count FROM task_counts_folded');
    await queryRunner.query('DROP TABLE task_counts_folded');
    await this.createTriggers(queryRunner, null);
  }

  /** Statement triggers, one function per operation; `shard` is the shard expression, or null for none. */
  private async createTriggers(queryRunner: QueryRunner, shard: string | null): Promise<void> {
    const [shardColumn, shardValue] = shard === null ? ['', ''] : [', shard', `, ${shard}`];
    // Moves of one statement, summed per counter and applied in key order, so that two writers lock the rows
    // they share in the same order and cannot deadlock; a change that moves nothing (most updates) writes none.
    const apply = (moves: string) => `
        INSERT INTO task_counts AS c (status, priority${shardColumn}, count)
        SELECT status, priority${shardValue}, SUM(n) FROM (${moves}) AS moves
        GROUP BY status, priority HAVING SUM(n) <> 0 ORDER BY status, priority
        ON CONFLICT (status, priority${shardColumn}) DO UPDATE SET count = c.count + EXCLUDED.count;
        INSERT INTO task_due_days AS d (day, count)
        SELECT to_char(due_date AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, SUM(n) FROM (${moves}) AS moves
        WHERE status <> 'done' AND due_date IS NOT NULL GROUP BY day HAVING SUM(n) <> 0 ORDER BY day
        ON CONFLICT (day) DO UPDATE SET count = d.count + EXCLUDED.count;`;
    const inserted = 'SELECT status, priority, due_date, 1 AS n FROM new_rows';
    const deleted = 'SELECT status, priority, due_date, -1 AS n FROM old_rows';
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

  private async dropTriggers(queryRunner: QueryRunner): Promise<void> {
    for (const trigger of ['task_counts_insert', 'task_counts_delete', 'task_counts_update']) {
      await queryRunner.query(`DROP TRIGGER ${trigger} ON tasks`);
    }
    for (const name of ['task_counts_inserted', 'task_counts_deleted', 'task_counts_updated']) {
      await queryRunner.query(`DROP FUNCTION ${name}()`);
    }
  }

  private async replacePrimaryKey(queryRunner: QueryRunner, columns: string[]): Promise<void> {
    const [{ name }] = await queryRunner.query(
      "SELECT conname AS name FROM pg_constraint WHERE conrelid = 'task_counts'::regclass AND contype = 'p'",
    );
    await queryRunner.query(`ALTER TABLE task_counts DROP CONSTRAINT "${name}"`);
    await queryRunner.query(`ALTER TABLE task_counts ADD CONSTRAINT "PK_task_counts" PRIMARY KEY (${columns.join(', ')})`);
  }
}
