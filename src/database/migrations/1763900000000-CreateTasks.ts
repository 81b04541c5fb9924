import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

const STATUS_RANK = "(CASE status WHEN 'todo' THEN 0 WHEN 'in_progress' THEN 1 ELSE 2 END)";
const PRIORITY_RANK = "(CASE priority WHEN 'low' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END)";

/**
 * The tasks table with an index for every filter and sort order of `GET /tasks` (id breaks ties).
 * The rank expressions must stay identical to the ones in tasks.query.ts, or the planner cannot use them.
 */
export class CreateTasks1763900000000 implements MigrationInterface {
  name = 'CreateTasks1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const isPostgres = queryRunner.connection.options.type === 'postgres';
    const timestamp = isPostgres ? 'timestamptz' : 'datetime';

    await queryRunner.createTable(
      new Table({
        name: 'tasks',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'title', type: 'varchar', length: '200' },
          { name: 'description', type: 'varchar', length: '1000', isNullable: true },
          { name: 'status', type: 'varchar', length: '20', default: "'todo'" },
          { name: 'priority', type: 'varchar', length: '20', default: "'medium'" },
          { name: 'assignee', type: 'varchar', length: '100', isNullable: true },
          { name: 'due_date', type: timestamp, isNullable: true },
          { name: 'created_at', type: timestamp },
          { name: 'updated_at', type: timestamp },
          { name: 'search_title', type: 'text' },
          { name: 'search_description', type: 'text', isNullable: true },
        ],
        checks: [
          { name: 'CHK_tasks_status', expression: "status IN ('todo', 'in_progress', 'done')" },
          { name: 'CHK_tasks_priority', expression: "priority IN ('low', 'medium', 'high')" },
        ],
      }),
    );

    const indexes: Array<[string, string[]]> = [
      ['IDX_tasks_created_at', ['created_at', 'id']],
      ['IDX_tasks_updated_at', ['updated_at', 'id']],
      ['IDX_tasks_due_date', ['due_date', 'id']],
      ['IDX_tasks_title', ['title', 'id']],
      ['IDX_tasks_status_priority', ['status', 'priority', 'created_at', 'id']],
      ['IDX_tasks_priority', ['priority', 'created_at', 'id']],
      ['IDX_tasks_assignee', ['assignee', 'created_at', 'id']],
    ];
    for (const [name, columnNames] of indexes) {
      await queryRunner.createIndex('tasks', new TableIndex({ name, columnNames }));
    }

    // Expression and partial indexes have no TableIndex form that both drivers accept.
    await queryRunner.query(`CREATE INDEX "IDX_tasks_status_rank" ON "tasks" (${STATUS_RANK}, "id")`);
    await queryRunner.query(`CREATE INDEX "IDX_tasks_priority_rank" ON "tasks" (${PRIORITY_RANK}, "id")`);
    await queryRunner.query(`CREATE INDEX "IDX_tasks_open_due_date" ON "tasks" ("due_date") WHERE status <> 'done'`);
    if (isPostgres) {
      // Descending scans of (due_date, id) would put tasks without a due date first.
      await queryRunner.query(`CREATE INDEX "IDX_tasks_due_date_desc" ON "tasks" ("due_date" DESC NULLS LAST, "id" DESC)`);
      await this.createTrigramIndexes(queryRunner);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('tasks');
  }

  /** Substring search on a million rows needs trigram indexes; pg_trgm ships with PostgreSQL's contrib. */
  private async createTrigramIndexes(queryRunner: QueryRunner): Promise<void> {
    const available = await queryRunner.query(`SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'`);
    if (available.length === 0) return;
    // A role that may not create extensions still gets a working (slower) search: the savepoint keeps
    // the migration's transaction alive when CREATE EXTENSION is refused.
    await queryRunner.query('SAVEPOINT create_pg_trgm');
    try {
      await queryRunner.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
    } catch {
      await queryRunner.query('ROLLBACK TO SAVEPOINT create_pg_trgm');
      return;
    }
    await queryRunner.query('CREATE INDEX "IDX_tasks_search_title" ON "tasks" USING gin ("search_title" gin_trgm_ops)');
    await queryRunner.query(
      'CREATE INDEX "IDX_tasks_search_description" ON "tasks" USING gin ("search_description" gin_trgm_ops)',
    );
  }
}
