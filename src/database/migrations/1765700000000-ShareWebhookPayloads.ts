import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A change's webhook body is kept once, not once per delivery (issue 19): `webhook_payloads` holds, per change-log
 * entry, the body's text after its `id` (`"event":…,"created_at":…,"data":…}`), the same for every webhook that
 * receives the entry; a delivery's body is its own id followed by that text. New deliveries of an entry store an
 * empty `body`, so that their rows stay narrow and each rewrite (the claim, the outcome) copies ~150 bytes rather
 * than 1-2 kB; pings and the deliveries made before this migration keep their body in the row, unchanged.
 * On SQLite the key is an `integer` primary key, the table's rowid: no index besides the table itself.
 */
export class ShareWebhookPayloads1765700000000 implements MigrationInterface {
  name = 'ShareWebhookPayloads1765700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const isPostgres = queryRunner.connection.options.type === 'postgres';
    await queryRunner.query(`CREATE TABLE webhook_payloads (change_seq ${isPostgres ? 'bigint' : 'integer'} PRIMARY KEY NOT NULL, body_rest text NOT NULL)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Deliveries that share a payload get their whole body back before the payloads go.
    await queryRunner.query(
      `UPDATE webhook_deliveries SET body = '{"id":"' || id || '",' || (SELECT body_rest FROM webhook_payloads WHERE webhook_payloads.change_seq = webhook_deliveries.change_seq)
       WHERE body = '' AND change_seq IN (SELECT change_seq FROM webhook_payloads)`,
    );
    await queryRunner.query('DROP TABLE webhook_payloads');
  }
}
