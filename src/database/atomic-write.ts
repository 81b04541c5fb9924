import type { Database } from 'better-sqlite3';
import { CannotExecuteNotConnectedError, DataSource } from 'typeorm';
import { numberedPlaceholders, sqliteDate } from './sql-values';
import { whenNoSqliteTransaction } from './transaction';

/** Rows to insert into one table as part of a write (a task write's extras, an atomic write's steps). */
export interface RowsToInsert {
  table: string;
  columns: string[];
  /** PostgreSQL type of each column, for the casts of the inserted values. */
  pgTypes: string[];
  rows: unknown[][];
  /** An `ON CONFLICT …` clause without its keywords, e.g. `(task_id, user_id) DO UPDATE SET watching = excluded.watching`. */
  onConflict?: string;
}

/** The same rows as statements of an atomic write, one per row. */
export function insertSteps(rows: RowsToInsert): WriteStep[] {
  const conflict = rows.onConflict ? ` ON CONFLICT ${rows.onConflict}` : '';
  const sql = `INSERT INTO ${rows.table} (${rows.columns.join(', ')}) VALUES (${rows.columns.map(() => '?').join(', ')})${conflict}`;
  return rows.rows.map((params) => ({ sql, params }));
}

/** One statement of an atomic write, with `?` placeholders (numbered for PostgreSQL here). */
export interface WriteStep {
  sql: string;
  params: unknown[];
  /** When this statement changes no row, nothing of the write is kept and `runAtomically` answers false. */
  required?: boolean;
  /** When this statement changes another number of rows, nothing of the write is kept and `runAtomically` answers false. */
  changes?: number;
}

/** False when the step's condition no longer held (see `required` and `changes`). */
function stillHolds(step: WriteStep, changed: number): boolean {
  if (step.required && changed === 0) return false;
  return step.changes === undefined || changed === step.changes;
}

/**
 * Runs statements as one transaction: all of them, or none when a step's condition no longer held (a `required`
 * one changed nothing: a task deleted or archived meanwhile; one with `changes` changed another number of rows).
 * PostgreSQL: a transaction on one pooled
 * connection. SQLite: one synchronous better-sqlite3 transaction, which no other query can interleave with
 * (TypeORM's own transactions on SQLite share the one connection with every concurrent request).
 */
export async function runAtomically(dataSource: DataSource, steps: WriteStep[]): Promise<boolean> {
  if (dataSource.options.type === 'postgres') return runOnPostgres(dataSource, steps);
  await whenNoSqliteTransaction(dataSource, sqliteConnection(dataSource));
  // Read again after the wait: the data source may have closed meanwhile (a shutdown), which answers 503.
  return runOnSqlite(sqliteConnection(dataSource), steps);
}

class Refused extends Error {}

async function runOnPostgres(dataSource: DataSource, steps: WriteStep[]): Promise<boolean> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    for (const step of steps) {
      const result = await runner.query(numberedPlaceholders(step.sql), step.params, true);
      if (!stillHolds(step, result.affected ?? 0)) {
        await runner.rollbackTransaction();
        return false;
      }
    }
    await runner.commitTransaction();
    return true;
  } catch (error) {
    if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
    throw error;
  } finally {
    await runner.release();
  }
}

/** The one better-sqlite3 connection under TypeORM's SQLite data source. */
export function sqliteConnection(dataSource: DataSource): Database {
  // The same error TypeORM raises for a closed data source, which the error filter answers with 503.
  if (!dataSource.isInitialized) throw new CannotExecuteNotConnectedError();
  return (dataSource.driver as unknown as { databaseConnection: Database }).databaseConnection;
}

function runOnSqlite(database: Database, steps: WriteStep[]): boolean {
  try {
    database
      .transaction(() => {
        for (const step of steps) {
          const values = step.params.map((value) => (typeof value === 'boolean' ? Number(value) : sqliteDate(value)));
          const { changes } = database.prepare(step.sql).run(...values);
          if (!stillHolds(step, changes)) throw new Refused();
        }
      })
      .immediate();
    return true;
  } catch (error) {
    if (error instanceof Refused) return false;
    throw error;
  }
}
