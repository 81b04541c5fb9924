import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/** The change log of tasks (history, incremental sync, live events) and the tickets of event streams. */
export class AddTaskChanges1764650000000 implements MigrationInterface {
  name = 'AddTaskChanges1764650000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const isPostgres = queryRunner.connection.options.type === 'postgres';
    const timestamp = isPostgres ? 'timestamptz' : 'datetime';
    await queryRunner.createTable(
      new Table({
        name: 'task_changes',
        columns: [
          // SQLite: INTEGER PRIMARY KEY AUTOINCREMENT never reuses a number, even after pruning.
          isPostgres
            ? { name: 'seq', type: 'bigint', isPrimary: true, isGenerated: true, generationStrategy: 'identity' }
            : { name: 'seq', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'task_id', type: 'varchar', length: '36' },
          { name: 'kind', type: 'varchar', length: '10' },
          { name: 'fields', type: 'text' },
          { name: 'snapshot', type: 'text', isNullable: true },
          { name: 'user_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'changed_at', type: timestamp },
        ],
        checks: [{ name: 'CHK_task_changes_kind', expression: "kind IN ('created', 'updated', 'deleted')" }],
        indices: [
          new TableIndex({ name: 'IDX_task_changes_task', columnNames: ['task_id', 'seq'] }),
          new TableIndex({ name: 'IDX_task_changes_changed_at', columnNames: ['changed_at'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'change_log_state',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true },
          { name: 'pruned_through', type: 'bigint' },
        ],
      }),
    );
    await queryRunner.query('INSERT INTO change_log_state (id, pruned_through) VALUES (1, 0)');
    if (isPostgres) {
      // Wakes every instance's LISTEN connection when changes commit (one notification per transaction).
      await queryRunner.query(`CREATE FUNCTION task_changes_notify() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN PERFORM pg_notify('task_changes', ''); RETURN NULL; END $$`);
      await queryRunner.query(
        'CREATE TRIGGER task_changes_notify AFTER INSERT ON task_changes FOR EACH STATEMENT EXECUTE FUNCTION task_changes_notify()',
      );
    }
    await queryRunner.createTable(
      new Table({
        name: 'stream_tickets',
        columns: [
          { name: 'ticket_hash', type: 'varchar', length: '64', isPrimary: true },
          { name: 'credential', type: 'varchar', length: '80' },
          { name: 'user_id', type: 'varchar', length: '36' },
          { name: 'credential_expires_at', type: timestamp, isNullable: true },
          { name: 'expires_at', type: timestamp },
          { name: 'used_at', type: timestamp, isNullable: true },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['stream_tickets', 'change_log_state', 'task_changes']) await queryRunner.dropTable(table);
    if (queryRunner.connection.options.type === 'postgres') await queryRunner.query('DROP FUNCTION task_changes_notify()');
  }
}
