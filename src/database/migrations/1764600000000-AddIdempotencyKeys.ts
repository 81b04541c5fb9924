import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/** Keys and stored answers of idempotent `POST /tasks` (CONTRACT.md, "Idempotent creation"). */
export class AddIdempotencyKeys1764600000000 implements MigrationInterface {
  name = 'AddIdempotencyKeys1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const timestamp = queryRunner.connection.options.type === 'postgres' ? 'timestamptz' : 'datetime';
    await queryRunner.createTable(
      new Table({
        name: 'idempotency_keys',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'scope', type: 'varchar', length: '100' },
          { name: 'key', type: 'varchar', length: '255' },
          { name: 'request_hash', type: 'varchar', length: '64' },
          { name: 'lease_token', type: 'varchar', length: '36', isNullable: true },
          { name: 'locked_until', type: timestamp, isNullable: true },
          { name: 'response_status', type: 'integer', isNullable: true },
          { name: 'response_headers', type: 'text', isNullable: true },
          { name: 'response_body', type: 'text', isNullable: true },
          { name: 'created_at', type: timestamp },
          { name: 'expires_at', type: timestamp },
        ],
        indices: [
          // One row per key and scope: the insert that wins this index owns the key.
          new TableIndex({ name: 'IDX_idempotency_keys_scope_key', columnNames: ['scope', 'key'], isUnique: true }),
          // The pruning job reads expired rows by this index, a few hundred at a time.
          new TableIndex({ name: 'IDX_idempotency_keys_expires_at', columnNames: ['expires_at'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('idempotency_keys');
  }
}
