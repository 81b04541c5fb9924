import type { Database } from 'better-sqlite3';
import { DataSource, EntityManager } from 'typeorm';

/** SQLite: the transactions of inTransaction, which take turns on the one connection. */
interface SqliteTurns {
  /** Settles when the last queued transaction has ended. */
  tail: Promise<unknown>;
  /** True from the BEGIN of a queued transaction to its COMMIT or ROLLBACK. */
  open: boolean;
}

const sqliteTurns = new WeakMap<DataSource, SqliteTurns>();

function turnsOf(dataSource: DataSource): SqliteTurns {
  let turns = sqliteTurns.get(dataSource);
  if (!turns) {
    turns = { tail: Promise.resolve(), open: false };
    sqliteTurns.set(dataSource, turns);
  }
  return turns;
}

/**
 * Runs `work` in one transaction, on either database. PostgreSQL: a transaction on a connection of its
 * own. SQLite: the app has one connection, and TypeORM cannot open a second transaction on it while one
 * is open ("cannot start a transaction within a transaction"), so these transactions take turns, and the
 * synchronous writes (atomic-write.ts, task-writes.ts) wait for the open one to end (whenNoSqliteTransaction).
 * Keep `work` to a few short statements: it holds back every other write while it is open; and it must not
 * call runAtomically or the task writes, which would wait for it to end.
 */
export function inTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  if (dataSource.options.type === 'postgres') return dataSource.transaction(work);
  const turns = turnsOf(dataSource);
  const runTurn = async () => {
    turns.open = true;
    try {
      return await dataSource.transaction(work);
    } finally {
      turns.open = false;
    }
  };
  const run = turns.tail.then(runTurn, runTurn);
  turns.tail = run.catch(() => undefined);
  return run;
}

/**
 * SQLite: resolves once no transaction is open on the connection. A synchronous better-sqlite3 transaction
 * started while a TypeORM transaction is open would become a savepoint inside it: answered as written, yet
 * undone if that transaction rolls back (a refused project deletion, a crash before its COMMIT). Callers run
 * their synchronous transaction right after, with no await in between, so nothing can open one meanwhile.
 */
export async function whenNoSqliteTransaction(dataSource: DataSource, database: Database): Promise<void> {
  const turns = turnsOf(dataSource);
  while (turns.open || database.inTransaction) {
    // A transaction of inTransaction ends with its turn; any other (TypeORM's own, from save()) is waited out.
    await (turns.open ? turns.tail : new Promise((resolve) => setTimeout(resolve, 1)));
  }
}
