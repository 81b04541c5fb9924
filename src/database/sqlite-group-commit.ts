import type { Database } from 'better-sqlite3';
import { DataSource } from 'typeorm';
import { sqliteConnection } from './sqlite-connection';
import { whenNoSqliteTransaction } from './transaction';

/**
 * SQLite group commit: the synchronous writes that arrive while the event loop is busy share one transaction
 * and one commit.
 *
 * Why: with `synchronous = FULL` every commit syncs the WAL to disk, and that sync (0.4-0.6 ms here, more under
 * load) blocks the event loop; it was most of a SQLite write's time. A write asked for while a batch is pending
 * joins it; the batch runs on the next turn of the event loop, each write in a savepoint of its own, so one that
 * fails or refuses (throws) is undone alone. Every write is answered only once the batch's COMMIT has returned:
 * nothing is acknowledged before it is durable, and a failed commit fails every write of the batch.
 */
export type SqliteWork<T> = (database: Database) => T;

interface PendingWrite {
  work: SqliteWork<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** Bounds how long one batch holds the event loop; later writes go to the next batch. */
export const MAX_WRITES_PER_COMMIT = 64;

class GroupCommit {
  private queue: PendingWrite[] = [];
  private scheduled = false;

  constructor(private readonly dataSource: DataSource) {}

  run<T>(work: SqliteWork<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => void this.flush());
  }

  private async flush(): Promise<void> {
    let database: Database;
    try {
      // A TypeORM transaction open on the connection would swallow the batch as a savepoint (transaction.ts).
      await whenNoSqliteTransaction(this.dataSource, sqliteConnection(this.dataSource));
      // Read again after the wait: the data source may have closed meanwhile.
      database = sqliteConnection(this.dataSource);
    } catch (error) {
      // The data source closed (a shutdown): every waiting write is answered 503 by the error filter.
      this.scheduled = false;
      for (const write of this.queue.splice(0)) write.reject(error);
      return;
    }
    const batch = this.queue.splice(0, MAX_WRITES_PER_COMMIT);
    this.scheduled = false;
    if (this.queue.length > 0) this.schedule();
    // No await from here to the commit: nothing can interleave.
    runBatch(database, batch);
  }
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Runs the writes in one IMMEDIATE transaction, each in a savepoint; answers each once the commit is done. */
function runBatch(database: Database, batch: PendingWrite[]): void {
  const outcomes: Outcome[] = [];
  try {
    database.exec('BEGIN IMMEDIATE');
    for (const write of batch) {
      database.exec('SAVEPOINT group_write');
      try {
        const value = write.work(database);
        database.exec('RELEASE group_write');
        outcomes.push({ ok: true, value });
      } catch (error) {
        // Some errors (a full disk, an I/O error) roll the whole transaction back: nothing of the batch remains.
        if (!database.inTransaction) throw error;
        database.exec('ROLLBACK TO group_write');
        database.exec('RELEASE group_write');
        outcomes.push({ ok: false, error });
      }
    }
    database.exec('COMMIT');
  } catch (error) {
    try {
      if (database.inTransaction) database.exec('ROLLBACK');
    } catch {
      // The connection cannot even roll back; SQLite undoes the unfinished transaction when it is next opened.
    }
    for (const write of batch) write.reject(error);
    return;
  }
  batch.forEach((write, index) => {
    const outcome = outcomes[index];
    if (outcome.ok) write.resolve(outcome.value);
    else write.reject(outcome.error);
  });
}

const groups = new WeakMap<DataSource, GroupCommit>();

/**
 * Runs `work` (synchronous statements on the connection) as part of the next group commit and answers its
 * result once that commit is durable. `work` throwing undoes its own statements only, and rejects with that error.
 */
export function inGroupCommit<T>(dataSource: DataSource, work: SqliteWork<T>): Promise<T> {
  let group = groups.get(dataSource);
  if (!group) groups.set(dataSource, (group = new GroupCommit(dataSource)));
  return group.run(work);
}
