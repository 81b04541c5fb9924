// better-sqlite3 12 built against Node >= 24.19 headers aborts the process when the garbage collector frees a
// Database or Statement: "Assertion failed: (env) != nullptr" in node::RemoveEnvironmentCleanupHook
// (nodejs/node#65446). So that the harness and the baseline never depend on which build is installed, every
// handle they create stays reachable for the life of the process, and statements are prepared once and reused.
import Database from 'better-sqlite3';

const retained = [];

export function openSqlite(file) {
  const db = new Database(file);
  retained.push(db);
  const statements = new Map();
  return {
    raw: db,
    exec: (sql) => db.exec(sql),
    prepare(sql) {
      let statement = statements.get(sql);
      if (!statement) {
        statement = db.prepare(sql);
        statements.set(sql, statement);
      }
      return statement;
    },
    transaction: (fn) => {
      const wrapped = db.transaction(fn);
      retained.push(wrapped);
      return wrapped;
    },
    close: () => db.close(),
  };
}
