import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Change notifications leave the write's transaction: the instance that wrote sends them after its
 * commit (ChangeFeed). A NOTIFY inside each write took PostgreSQL's global notification lock at commit,
 * which serialised concurrent writes.
 */
export class NotifyAfterCommit1764800000000 implements MigrationInterface {
  name = 'NotifyAfterCommit1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type !== 'postgres') return;
    await queryRunner.query('DROP TRIGGER IF EXISTS task_changes_notify ON task_changes');
    await queryRunner.query('DROP FUNCTION IF EXISTS task_changes_notify()');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type !== 'postgres') return;
    await queryRunner.query(`CREATE FUNCTION task_changes_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_notify('task_changes', ''); RETURN NULL; END $$`);
    await queryRunner.query(
      'CREATE TRIGGER task_changes_notify AFTER INSERT ON task_changes FOR EACH STATEMENT EXECUTE FUNCTION task_changes_notify()',
    );
  }
}
