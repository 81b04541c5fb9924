import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/**
 * Webhooks (docs/API.md).
 * - `webhooks`: `events` is a JSON list; `secret` is kept as shown (the HMAC key must be the string itself);
 *   `counting_since` is when the webhook was created or last reactivated: only deliveries attempted since count
 *   toward auto-disabling it.
 * - `webhook_deliveries`: one row per (webhook, change-log entry), unique, so that several instances fanning
 *   out the same entry make one delivery; pings have no change (`change_seq` null). `body` is fixed when the
 *   delivery is made, so that every attempt sends the same bytes. `last_chance`: a redelivery's one attempt.
 * - `webhook_fanout`: one row, the change-log position up to which deliveries were made.
 */
export class AddWebhooks1765500000000 implements MigrationInterface {
  name = 'AddWebhooks1765500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const isPostgres = queryRunner.connection.options.type === 'postgres';
    const timestamp = isPostgres ? 'timestamptz' : 'datetime';
    const boolean = isPostgres ? 'boolean' : 'integer';

    await queryRunner.createTable(
      new Table({
        name: 'webhooks',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'url', type: 'varchar', length: '2000' },
          { name: 'events', type: 'text' },
          { name: 'description', type: 'varchar', length: '500', isNullable: true },
          { name: 'active', type: boolean },
          { name: 'secret', type: 'varchar', length: '100' },
          { name: 'counting_since', type: timestamp },
          { name: 'created_at', type: timestamp },
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'webhook_deliveries',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'webhook_id', type: 'varchar', length: '36' },
          { name: 'change_seq', type: 'bigint', isNullable: true },
          { name: 'event', type: 'varchar', length: '30' },
          { name: 'body', type: 'text' },
          { name: 'status', type: 'varchar', length: '10' },
          { name: 'attempts', type: 'integer' },
          { name: 'last_chance', type: boolean },
          { name: 'response_status', type: 'integer', isNullable: true },
          { name: 'error', type: 'varchar', length: '500', isNullable: true },
          { name: 'created_at', type: timestamp },
          { name: 'last_attempt_at', type: timestamp, isNullable: true },
          { name: 'next_attempt_at', type: timestamp, isNullable: true },
        ],
        checks: [{ name: 'CHK_webhook_deliveries_status', expression: "status IN ('pending', 'succeeded', 'failed')" }],
        indices: [
          new TableIndex({ name: 'IDX_webhook_deliveries_change', columnNames: ['webhook_id', 'change_seq'], isUnique: true }),
          new TableIndex({ name: 'IDX_webhook_deliveries_webhook', columnNames: ['webhook_id', 'created_at'] }),
          new TableIndex({ name: 'IDX_webhook_deliveries_due', columnNames: ['status', 'next_attempt_at'] }),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'webhook_fanout',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true },
          { name: 'last_seq', type: 'bigint' },
        ],
      }),
    );
    // From the log's current end: a new webhook is not sent what happened before the feature existed.
    await queryRunner.query('INSERT INTO webhook_fanout (id, last_seq) SELECT 1, COALESCE(MAX(seq), 0) FROM task_changes');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('webhook_fanout');
    await queryRunner.dropTable('webhook_deliveries');
    await queryRunner.dropTable('webhooks');
  }
}
