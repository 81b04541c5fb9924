import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A claim of webhook deliveries that touches no index (issue 19):
 * - `claimed_until`, not indexed: a claim sets it instead of moving `next_attempt_at`, so that on PostgreSQL the
 *   claim is a HOT update (no new index entries), given room on the page: `fillfactor` 70 leaves it.
 * - The due index covers only deliveries with a due time (`next_attempt_at` is set only while a delivery is pending),
 *   on that column alone: a delivery that succeeds leaves it instead of getting a new entry there, and the index holds
 *   the pending deliveries only, not 30 days of settled ones.
 */
export class ClaimWebhookDeliveriesInPlace1765800000000 implements MigrationInterface {
  name = 'ClaimWebhookDeliveriesInPlace1765800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const isPostgres = queryRunner.connection.options.type === 'postgres';
    await queryRunner.query(`ALTER TABLE webhook_deliveries ADD COLUMN claimed_until ${isPostgres ? 'timestamptz' : 'datetime'} NULL`);
    await queryRunner.query('DROP INDEX "IDX_webhook_deliveries_due"');
    await queryRunner.query('CREATE INDEX "IDX_webhook_deliveries_due" ON webhook_deliveries (next_attempt_at) WHERE next_attempt_at IS NOT NULL');
    if (isPostgres) await queryRunner.query('ALTER TABLE webhook_deliveries SET (fillfactor = 70)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const isPostgres = queryRunner.connection.options.type === 'postgres';
    if (isPostgres) await queryRunner.query('ALTER TABLE webhook_deliveries RESET (fillfactor)');
    await queryRunner.query('DROP INDEX "IDX_webhook_deliveries_due"');
    await queryRunner.query('CREATE INDEX "IDX_webhook_deliveries_due" ON webhook_deliveries (status, next_attempt_at)');
    // A claim in flight keeps its deliveries from being claimed again, as the old claim did by moving their due time.
    await queryRunner.query('UPDATE webhook_deliveries SET next_attempt_at = claimed_until WHERE claimed_until IS NOT NULL AND next_attempt_at IS NOT NULL');
    await queryRunner.query('ALTER TABLE webhook_deliveries DROP COLUMN claimed_until');
  }
}
