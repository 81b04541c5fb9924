import type { Database } from 'better-sqlite3';
import { CannotExecuteNotConnectedError, DataSource } from 'typeorm';
import { numberedPlaceholders, sqliteDate } from './sql-values';

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
}

/**
 * Runs statements as one transaction: all of them, or none when a `required` one changed nothing (its
 * condition no longer held: a task deleted or archived meanwhile). PostgreSQL: a transaction on one pooled
 * connection. SQLite: one synchronous better-sqlite3 transaction, which no other query can interleave with
 * (TypeORM's own transactions on SQLite share the one connection with every concurrent request).
 */
export async function runAtomically(dataSource: DataSource, steps: WriteStep[]): Promise<boolean> {
  if (dataSource.options.type === 'postgres') return runOnPostgres(dataSource, steps);
  return runOnSqlite(dataSource, steps);
}

class Refused extends Error {}

async function runOnPostgres(dataSource: DataSource, steps: WriteStep[]): Promise<boolean> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    for (const step of steps) {
      const result = await runner.query(numberedPlaceholders(step.sql), step.params, true);
      if (step.required && !(result.affected ?? 0)) {
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

function runOnSqlite(dataSource: DataSource, steps: WriteStep[]): boolean {
  // The same error TypeORM raises for a closed data source, which the error filter answers with 503.
  if (!dataSource.isInitialized) throw new CannotExecuteNotConnectedError();
  const database = (dataSource.driver as unknown as { databaseConnection: Database }).databaseConnection;
  try {
    database
      .transaction(() => {
        for (const step of steps) {
          const values = step.params.map((value) => (typeof value === 'boolean' ? Number(value) : sqliteDate(value)));
          const { changes } = database.prepare(step.sql).run(...values);
          if (step.required && changes === 0) throw new Refused();
        }
      })
      .immediate();
    return true;
  } catch (error) {
    if (error instanceof Refused) return false;
    throw error;
  }
}
