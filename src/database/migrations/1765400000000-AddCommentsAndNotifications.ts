import { MigrationInterface, QueryRunner, Table, TableCheck, TableIndex } from 'typeorm';

const KINDS = ['created', 'updated', 'deleted', 'comment_created', 'comment_updated', 'comment_deleted'];

/**
 * Comments, watchers and notifications (docs/API.md).
 * - `comments`: a task's thread, read oldest first by (task, created_at, id).
 * - `task_watchers`: one row per (task, user) whose watching was decided: by being the creator, the member
 *   assignee, a commenter or a mentioned user (watching), or by asking (watching or not). Watchers are the rows
 *   with `watching` true. Existing tasks' creators are watchers.
 * - `notifications`: `seq` orders them for the live streams (as the change log's seq does for changes); `id` is
 *   what clients see; `dedupe_key` is unique, so that a periodic job on several instances notifies once.
 *   The task's key and title are kept as they were, for a deleted task's notification.
 * - `task_changes` gains `comment` (the comment an entry is about, JSON) and a `kind` long enough for
 *   `comment_created`.
 */
export class AddCommentsAndNotifications1765400000000 implements MigrationInterface {
  name = 'AddCommentsAndNotifications1765400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const isPostgres = queryRunner.connection.options.type === 'postgres';
    const timestamp = isPostgres ? 'timestamptz' : 'datetime';
    const boolean = isPostgres ? 'boolean' : 'integer';

    await queryRunner.createTable(
      new Table({
        name: 'comments',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'task_id', type: 'varchar', length: '36' },
          { name: 'author_id', type: 'varchar', length: '36' },
          { name: 'body', type: 'text' },
          { name: 'created_at', type: timestamp },
          { name: 'edited_at', type: timestamp, isNullable: true },
        ],
        indices: [new TableIndex({ name: 'IDX_comments_task', columnNames: ['task_id', 'created_at', 'id'] })],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'task_watchers',
        columns: [
          { name: 'task_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'user_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'watching', type: boolean },
        ],
        indices: [new TableIndex({ name: 'IDX_task_watchers_user', columnNames: ['user_id'] })],
      }),
    );
    await queryRunner.query(
      `INSERT INTO task_watchers (task_id, user_id, watching) SELECT id, created_by_id, ${isPostgres ? 'TRUE' : '1'} FROM tasks WHERE created_by_id IS NOT NULL`,
    );

    await queryRunner.createTable(
      new Table({
        name: 'notifications',
        columns: [
          isPostgres
            ? { name: 'seq', type: 'bigint', isPrimary: true, isGenerated: true, generationStrategy: 'increment' }
            : { name: 'seq', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'id', type: 'varchar', length: '36', isUnique: true },
          { name: 'user_id', type: 'varchar', length: '36' },
          { name: 'kind', type: 'varchar', length: '20' },
          { name: 'task_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'task_key', type: 'varchar', length: '24', isNullable: true },
          { name: 'task_title', type: 'varchar', length: '200', isNullable: true },
          { name: 'actor_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'comment_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'webhook_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'webhook_url', type: 'varchar', length: '2000', isNullable: true },
          { name: 'dedupe_key', type: 'varchar', length: '200', isNullable: true, isUnique: true },
          { name: 'created_at', type: timestamp },
          { name: 'read_at', type: timestamp, isNullable: true },
        ],
        indices: [new TableIndex({ name: 'IDX_notifications_user', columnNames: ['user_id', 'seq'] })],
      }),
    );

    await queryRunner.query('ALTER TABLE task_changes ADD COLUMN comment text NULL');
    if (isPostgres) await queryRunner.query('ALTER TABLE task_changes ALTER COLUMN kind TYPE varchar(20)');
    // The kinds of comment entries join the task ones (on SQLite, TypeORM rebuilds the table to change a check).
    await queryRunner.dropCheckConstraint('task_changes', 'CHK_task_changes_kind');
    await queryRunner.createCheckConstraint('task_changes', new TableCheck({ name: 'CHK_task_changes_kind', expression: `kind IN (${KINDS.map((kind) => `'${kind}'`).join(', ')})` }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DELETE FROM task_changes WHERE kind LIKE 'comment_%'");
    await queryRunner.dropCheckConstraint('task_changes', 'CHK_task_changes_kind');
    await queryRunner.createCheckConstraint('task_changes', new TableCheck({ name: 'CHK_task_changes_kind', expression: "kind IN ('created', 'updated', 'deleted')" }));
    await queryRunner.query('ALTER TABLE task_changes DROP COLUMN comment');
    await queryRunner.dropTable('notifications');
    await queryRunner.dropTable('task_watchers');
    await queryRunner.dropTable('comments');
  }
}
