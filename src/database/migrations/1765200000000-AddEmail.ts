import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/** Email (docs/API.md, Email): the outbox, password resets, and each user's language and email preference. */
export class AddEmail1765200000000 implements MigrationInterface {
  name = 'AddEmail1765200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const timestamp = queryRunner.connection.options.type === 'postgres' ? 'timestamptz' : 'datetime';
    // Plain ALTER TABLE on both databases, as in AddAccounts: TypeORM's addColumn rebuilds a SQLite table.
    await queryRunner.query(`ALTER TABLE "users" ADD COLUMN "locale" varchar(2) NOT NULL DEFAULT 'en' CHECK ("locale" IN ('en', 'fr'))`);
    await queryRunner.query(
      `ALTER TABLE "users" ADD COLUMN "email_notifications" varchar(10) NOT NULL DEFAULT 'instant' CHECK ("email_notifications" IN ('off', 'instant', 'daily'))`,
    );

    await queryRunner.createTable(
      new Table({
        name: 'emails',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'kind', type: 'varchar', length: '30' },
          { name: 'recipient', type: 'varchar', length: '254' },
          // Lower-cased recipient: the per-address hourly limit counts by it.
          { name: 'recipient_key', type: 'varchar', length: '254' },
          { name: 'subject', type: 'varchar', length: '300' },
          { name: 'text_body', type: 'text' },
          { name: 'html_body', type: 'text' },
          { name: 'status', type: 'varchar', length: '10' },
          { name: 'created_at', type: timestamp },
          { name: 'sent_at', type: timestamp, isNullable: true },
        ],
        checks: [{ name: 'CHK_emails_status', expression: `"status" IN ('pending', 'sent', 'failed')` }],
        indices: [new TableIndex({ name: 'IDX_emails_recipient_kind_created', columnNames: ['recipient_key', 'kind', 'created_at'] })],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'password_resets',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'user_id', type: 'varchar', length: '36' },
          { name: 'token_hash', type: 'varchar', length: '64' },
          { name: 'created_by_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'created_at', type: timestamp },
          { name: 'expires_at', type: timestamp },
          { name: 'used_at', type: timestamp, isNullable: true },
        ],
        foreignKeys: [{ columnNames: ['user_id'], referencedTableName: 'users', referencedColumnNames: ['id'], onDelete: 'CASCADE' }],
        indices: [new TableIndex({ name: 'IDX_password_resets_token_hash', columnNames: ['token_hash'], isUnique: true })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('password_resets');
    await queryRunner.dropTable('emails');
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "email_notifications"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "locale"`);
  }
}
