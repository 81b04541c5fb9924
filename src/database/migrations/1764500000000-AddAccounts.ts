import { MigrationInterface, QueryRunner, Table, TableColumnOptions, TableIndex } from 'typeorm';

/**
 * Users, sessions, API tokens, invitations and sign-in counters, and who created and last changed each
 * task. Tasks written before this migration keep `created_by_id` / `updated_by_id` null.
 */
export class AddAccounts1764500000000 implements MigrationInterface {
  name = 'AddAccounts1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const isPostgres = queryRunner.connection.options.type === 'postgres';
    const timestamp = isPostgres ? 'timestamptz' : 'datetime';
    const id = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'varchar', length: '36', isNullable: nullable });
    const time = (name: string, nullable = false): TableColumnOptions => ({ name, type: timestamp, isNullable: nullable });
    const userKey = (columnName: string) => ({
      columnNames: [columnName],
      referencedTableName: 'users',
      referencedColumnNames: ['id'],
    });

    await queryRunner.createTable(
      new Table({
        name: 'users',
        columns: [
          { ...id('id'), isPrimary: true },
          { name: 'email', type: 'varchar', length: '254' },
          { name: 'email_key', type: 'varchar', length: '254', isUnique: true },
          { name: 'name', type: 'varchar', length: '100' },
          { name: 'role', type: 'varchar', length: '20' },
          { name: 'disabled', type: 'boolean', default: isPostgres ? 'false' : '0' },
          { name: 'password_hash', type: 'varchar', length: '255' },
          time('created_at'),
          time('updated_at'),
        ],
        checks: [{ name: 'CHK_users_role', expression: "role IN ('admin', 'member')" }],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'sessions',
        columns: [
          { ...id('id'), isPrimary: true },
          id('user_id'),
          { name: 'token_hash', type: 'varchar', length: '64', isUnique: true },
          { name: 'user_agent', type: 'varchar', length: '500', isNullable: true },
          time('created_at'),
          time('last_used_at'),
          time('ended_at', true),
        ],
        foreignKeys: [userKey('user_id')],
        indices: [new TableIndex({ name: 'IDX_sessions_user', columnNames: ['user_id'] })],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'retired_session_tokens',
        columns: [
          { name: 'token_hash', type: 'varchar', length: '64', isPrimary: true },
          id('session_id'),
          time('retired_at'),
        ],
        foreignKeys: [{ columnNames: ['session_id'], referencedTableName: 'sessions', referencedColumnNames: ['id'] }],
        indices: [new TableIndex({ name: 'IDX_retired_session_tokens_session', columnNames: ['session_id'] })],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'api_tokens',
        columns: [
          { ...id('id'), isPrimary: true },
          id('user_id'),
          { name: 'name', type: 'varchar', length: '100' },
          { name: 'scope', type: 'varchar', length: '10' },
          { name: 'token_hash', type: 'varchar', length: '64', isUnique: true },
          time('created_at'),
          time('expires_at', true),
          time('last_used_at', true),
        ],
        checks: [{ name: 'CHK_api_tokens_scope', expression: "scope IN ('read', 'write')" }],
        foreignKeys: [userKey('user_id')],
        indices: [new TableIndex({ name: 'IDX_api_tokens_user', columnNames: ['user_id'] })],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'invitations',
        columns: [
          { ...id('id'), isPrimary: true },
          { name: 'code_hash', type: 'varchar', length: '64', isUnique: true },
          { name: 'role', type: 'varchar', length: '20' },
          { name: 'email', type: 'varchar', length: '254', isNullable: true },
          id('created_by_id'),
          time('created_at'),
          time('expires_at'),
          time('used_at', true),
          id('used_by_id', true),
        ],
        checks: [{ name: 'CHK_invitations_role', expression: "role IN ('admin', 'member')" }],
        foreignKeys: [userKey('created_by_id'), userKey('used_by_id')],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'sign_in_counters',
        columns: [
          { name: 'key', type: 'varchar', length: '300', isPrimary: true },
          { name: 'failures', type: 'integer' },
          { name: 'window_started_at', type: 'bigint' },
          { name: 'locked_until', type: 'bigint', isNullable: true },
        ],
      }),
    );

    // Plain ALTER TABLE on both databases: TypeORM's addColumn rebuilds a SQLite table, which would drop
    // the counter triggers of `tasks`.
    for (const column of ['created_by_id', 'updated_by_id']) {
      await queryRunner.query(`ALTER TABLE "tasks" ADD COLUMN "${column}" varchar(36) NULL REFERENCES "users" ("id")`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const column of ['created_by_id', 'updated_by_id']) {
      await queryRunner.query(`ALTER TABLE "tasks" DROP COLUMN "${column}"`);
    }
    for (const table of ['sign_in_counters', 'invitations', 'api_tokens', 'retired_session_tokens', 'sessions', 'users']) {
      await queryRunner.dropTable(table);
    }
  }
}
