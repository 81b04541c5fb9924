import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/** The durable background jobs of src/jobs/ (emails now; due-date checks and webhooks reuse them). */
export class AddJobs1765100000000 implements MigrationInterface {
  name = 'AddJobs1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'jobs',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'kind', type: 'varchar', length: '100' },
          { name: 'payload', type: 'text' },
          { name: 'dedupe_key', type: 'varchar', length: '200', isNullable: true },
          { name: 'status', type: 'varchar', length: '10' },
          { name: 'run_at', type: 'bigint' },
          { name: 'attempts', type: 'integer', default: 0 },
          { name: 'locked_until', type: 'bigint', isNullable: true },
          { name: 'locked_by', type: 'varchar', length: '36', isNullable: true },
          { name: 'last_error', type: 'text', isNullable: true },
          { name: 'created_at', type: 'bigint' },
          { name: 'finished_at', type: 'bigint', isNullable: true },
        ],
        checks: [{ name: 'CHK_jobs_status', expression: `"status" IN ('pending', 'done', 'failed')` }],
        indices: [
          // The insert that wins this index creates the job; NULL keys never collide.
          new TableIndex({ name: 'IDX_jobs_dedupe_key', columnNames: ['dedupe_key'], isUnique: true }),
          // The claim reads due pending jobs in run_at order.
          new TableIndex({ name: 'IDX_jobs_status_run_at', columnNames: ['status', 'run_at'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('jobs');
  }
}
