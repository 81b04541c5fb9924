import { DataSource } from 'typeorm';

// How values and placeholders differ between the two databases, for the statements written by hand.

/** TypeORM's SQLite form of a datetime column (UTC, `YYYY-MM-DD HH:MM:SS.mmm`), so that dates sort and compare alike. */
export function sqliteDate(value: unknown): unknown {
  return value instanceof Date ? value.toISOString().replace('T', ' ').replace('Z', '') : value;
}

/** A date as the data source's driver takes it: a Date on PostgreSQL, TypeORM's text form on SQLite. */
export function storedDate(dataSource: DataSource, value: Date): Date | string {
  return dataSource.options.type === 'postgres' ? value : (sqliteDate(value) as string);
}

/** `?` placeholders as PostgreSQL's `$1, $2…` (for statements with no `?` inside literals). */
export function numberedPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}
