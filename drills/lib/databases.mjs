// A fresh database per drill run: a SQLite file in a temporary directory, or a PostgreSQL database
// named drills_<drill>_<pid> on the local server, dropped afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export const PG_ADMIN_URL = process.env.DRILLS_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function admin(sql) {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function postgresAvailable() {
  try {
    await admin('SELECT 1');
    return true;
  } catch {
    return false;
  }
}

/** Returns { url, drop() } for a new, empty database of the given kind. */
export async function freshDatabase(kind, drillName) {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), `drills-${drillName}-`));
    return { kind, url: `sqlite:///${join(dir, 'taskflow.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  // DRILLS_DB_PREFIX: on a PostgreSQL server shared with others, a prefix of one's own databases.
  const name = `${process.env.DRILLS_DB_PREFIX ?? 'drills'}_${drillName.replace(/\W/g, '_')}_${process.pid}`;
  await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return { kind, url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined) };
}

/** Runs one query on a drill's database (PostgreSQL only). */
export async function queryDatabase(url, sql, params = []) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}
