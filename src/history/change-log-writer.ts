import type { Database, Statement as SqliteStatement } from 'better-sqlite3';
import { CannotExecuteNotConnectedError, DataSource } from 'typeorm';
import { announceQuery } from '../database/query-events';

/** A statement TypeORM built (`getQueryAndParameters()`), in the driver's own placeholder style. */
export interface BuiltStatement {
  sql: string;
  parameters: unknown[];
}

/** The change-log row to add when the write changed its task. */
export interface ChangeRow {
  taskId: string;
  kind: string;
  fields: string;
  snapshot: string | null;
  userId: string | null;
  changedAt: Date;
}

export interface LoggedWrite {
  /** Rows the write changed: 0 when its condition (the version read) no longer held. */
  affected: number;
}

const CHANGE_COLUMNS = 'task_id, kind, fields, snapshot, user_id, changed_at';

/**
 * Runs a write of one task and adds its change-log row in the same transaction, so that the log never
 * misses or invents a change. PostgreSQL: one statement (`WITH written AS (<write> RETURNING id)
 * INSERT ...`), one round trip; a trigger on task_changes notifies the other instances. SQLite: a
 * synchronous better-sqlite3 transaction, which nothing else can interleave with.
 */
export function writeWithChange(dataSource: DataSource, write: BuiltStatement, change: ChangeRow): Promise<LoggedWrite> {
  return dataSource.options.type === 'postgres' ? writeOnPostgres(dataSource, write, change) : Promise.resolve(writeOnSqlite(dataSource, write, change));
}

async function writeOnPostgres(dataSource: DataSource, write: BuiltStatement, change: ChangeRow): Promise<LoggedWrite> {
  const next = write.parameters.length;
  const sql =
    `WITH written AS (${write.sql} RETURNING "id") ` +
    `INSERT INTO task_changes (${CHANGE_COLUMNS}) ` +
    `SELECT $${next + 1}, $${next + 2}, $${next + 3}, $${next + 4}, $${next + 5}, $${next + 6} FROM written RETURNING seq`;
  const rows: unknown[] = await dataSource.query(sql, [
    ...write.parameters,
    change.taskId,
    change.kind,
    change.fields,
    change.snapshot,
    change.userId,
    change.changedAt,
  ]);
  return { affected: rows.length };
}

// Statements are prepared once per SQL text; the shapes of task writes are few.
const preparedStatements = new WeakMap<Database, Map<string, SqliteStatement>>();

function prepared(database: Database, sql: string): SqliteStatement {
  let cache = preparedStatements.get(database);
  if (!cache) preparedStatements.set(database, (cache = new Map()));
  let statement = cache.get(sql);
  if (!statement) cache.set(sql, (statement = database.prepare(sql)));
  return statement;
}

function writeOnSqlite(dataSource: DataSource, write: BuiltStatement, change: ChangeRow): LoggedWrite {
  // The same error TypeORM raises for a closed data source, which the error filter answers with 503.
  if (!dataSource.isInitialized) throw new CannotExecuteNotConnectedError();
  const database = (dataSource.driver as unknown as { databaseConnection: Database }).databaseConnection;
  const run = database.transaction((): LoggedWrite => {
    const result = prepared(database, write.sql).run(...write.parameters);
    if (result.changes !== 1) return { affected: result.changes };
    prepared(database, `INSERT INTO task_changes (${CHANGE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)`).run(
      change.taskId,
      change.kind,
      change.fields,
      change.snapshot,
      change.userId,
      // TypeORM's SQLite form of a datetime column, so that the log sorts and compares like the other dates.
      change.changedAt.toISOString().replace('T', ' ').replace('Z', ''),
    );
    return { affected: 1 };
  });
  // IMMEDIATE takes the write lock at once, so another process cannot make the transaction fail half-way.
  const startedAt = performance.now();
  try {
    const written = run.immediate();
    announceQuery(dataSource, write.sql, startedAt);
    return written;
  } catch (error) {
    announceQuery(dataSource, write.sql, startedAt, error);
    throw error;
  }
}
