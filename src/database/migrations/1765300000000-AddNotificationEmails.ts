import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/** Notifications waiting to be emailed: combined per user (`instant`) or in the 07:00 UTC digest (`daily`). */
export class AddNotificationEmails1765300000000 implements MigrationInterface {
  name = 'AddNotificationEmails1765300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const timestamp = queryRunner.connection.options.type === 'postgres' ? 'timestamptz' : 'datetime';
    await queryRunner.createTable(
      new Table({
        name: 'notification_emails',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'user_id', type: 'varchar', length: '36' },
          { name: 'item', type: 'text' },
          { name: 'created_at', type: timestamp },
          // The outbox email that carried it; null while it waits.
          { name: 'email_id', type: 'varchar', length: '36', isNullable: true },
        ],
        foreignKeys: [{ columnNames: ['user_id'], referencedTableName: 'users', referencedColumnNames: ['id'], onDelete: 'CASCADE' }],
        indices: [new TableIndex({ name: 'IDX_notification_emails_user_email', columnNames: ['user_id', 'email_id', 'created_at'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('notification_emails');
  }
}
