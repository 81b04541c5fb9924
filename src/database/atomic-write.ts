import { DataSource } from 'typeorm';
import { namedQuery } from './named-statements';
import { numberedPlaceholders, sqliteDate } from './sql-values';
import { inGroupCommit } from './sqlite-group-commit';

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

/** One statement of an atomic write, with `?` placeholders (numbered for PostgreSQL here). */
export interface SqlStep {
  sql: string;
  params: unknown[];
  /** When this statement changes no row, nothing of the write is kept and `runAtomically` answers false. */
  required?: boolean;
  /** When this statement changes another number of rows, nothing of the write is kept and `runAtomically` answers false. */
  changes?: number;
}

/** False when the step's condition no longer held (see `required` and `changes`). */
function stillHolds(step: { required?: boolean; changes?: number }, changed: number): boolean {
  if (step.required && changed === 0) return false;
  return step.changes === undefined || changed === step.changes;
}

/** Rows to insert as one statement of an atomic write, whatever their number. */
export interface RowsStep {
  rows: RowsToInsert;
  /** When no row is inserted (a conflict with `DO NOTHING`), nothing of the write is kept. */
  required?: boolean;
}

export type WriteStep = SqlStep | RowsStep;

/** The rows as one step of an atomic write (none when there are no rows). */
export function insertSteps(rows: RowsToInsert): WriteStep[] {
  return rows.rows.length > 0 ? [{ rows }] : [];
}

/**
 * Runs statements as one transaction: all of them, or none when a step's condition no longer held (a `required`
 * one changed nothing: a task deleted or archived meanwhile; one with `changes` changed another number of rows).
 * PostgreSQL: when only the first step has a condition, `required`, and the others insert rows, one statement of
 * data-modifying CTEs (one round trip, as TaskWrites does), where each insert happens only if the first step
 * wrote; otherwise a transaction on one pooled connection. SQLite: synchronous statements, which no other query
 * can interleave with, in a savepoint of the next group commit (sqlite-group-commit.ts); TypeORM's own
 * transactions on SQLite share the one connection with every concurrent request.
 */
export async function runAtomically(dataSource: DataSource, steps: WriteStep[]): Promise<boolean> {
  if (dataSource.options.type === 'postgres') {
    const [first, ...rest] = steps;
    // A first step that must change an exact number of rows is checked before anything else is written.
    const exact = first !== undefined && 'sql' in first && first.changes !== undefined;
    const oneStatement = first !== undefined && !exact && rest.every((step) => 'rows' in step && !step.required);
    if (oneStatement) return runAsOneStatement(dataSource, first, rest as RowsStep[]);
    return runOnPostgres(dataSource, steps);
  }
  return runOnSqlite(dataSource, steps);
}

/** The rows as PostgreSQL's INSERT: one array per column, unnested side by side (a fixed shape for any number of rows). */
function pgInsert(rows: RowsToInsert, params: unknown[], condition = ''): string {
  const arrays = rows.columns.map((_, column) => {
    params.push(rows.rows.map((row) => row[column]));
    return `$${params.length}::${rows.pgTypes[column]}[]`;
  });
  const conflict = rows.onConflict ? ` ON CONFLICT ${rows.onConflict}` : '';
  return `INSERT INTO ${rows.table} (${rows.columns.join(', ')}) SELECT * FROM unnest(${arrays.join(', ')})${condition}${conflict}`;
}

/** The rows as SQLite's multi-row INSERT. */
function sqliteInsert(rows: RowsToInsert): SqlStep {
  const row = `(${rows.columns.map(() => '?').join(', ')})`;
  const conflict = rows.onConflict ? ` ON CONFLICT ${rows.onConflict}` : '';
  return { sql: `INSERT INTO ${rows.table} (${rows.columns.join(', ')}) VALUES ${rows.rows.map(() => row).join(', ')}${conflict}`, params: rows.rows.flat() };
}

class Refused extends Error {}

async function runAsOneStatement(dataSource: DataSource, first: WriteStep, inserts: RowsStep[]): Promise<boolean> {
  const params: unknown[] = [];
  let firstSql: string;
  if ('rows' in first) firstSql = pgInsert(first.rows, params);
  else {
    // The first statement's `?` become $1… before any other parameter is added.
    firstSql = numberedPlaceholders(first.sql);
    params.push(...first.params);
  }
  const parts = [`first_step AS (${firstSql} RETURNING 1)`];
  inserts.forEach((step, index) => parts.push(`step_${index + 1} AS (${pgInsert(step.rows, params, ' WHERE EXISTS (SELECT 1 FROM first_step)')})`));
  const [row] = await namedQuery<{ written: string | number }>(dataSource, `WITH ${parts.join(', ')} SELECT COUNT(*) AS written FROM first_step`, params);
  return !first.required || Number(row.written) > 0;
}

async function runOnPostgres(dataSource: DataSource, steps: WriteStep[]): Promise<boolean> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    for (const step of steps) {
      const params: unknown[] = [];
      const sql = 'rows' in step ? pgInsert(step.rows, params) : numberedPlaceholders(step.sql);
      const result = await runner.query(sql, 'rows' in step ? params : step.params, true);
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

/** The steps as one write of SQLite's group commit (sqlite-group-commit.ts): all of them, or none. */
async function runOnSqlite(dataSource: DataSource, steps: WriteStep[]): Promise<boolean> {
  try {
    await inGroupCommit(dataSource, (database) => {
      for (const step of steps) {
        const { sql, params } = 'rows' in step ? sqliteInsert(step.rows) : step;
        const values = params.map((value) => (typeof value === 'boolean' ? Number(value) : sqliteDate(value)));
        const { changes } = database.prepare(sql).run(...values);
        if (!stillHolds(step, changes)) throw new Refused();
      }
    });
    return true;
  } catch (error) {
    if (error instanceof Refused) return false;
    throw error;
  }
}
