import { DataSource } from 'typeorm';
import { runAtomically } from './atomic-write';
import { inTransaction } from './transaction';

/** A real SQLite database in memory: the connection sharing these tests are about is better-sqlite3's own. */
describe('SQLite: inTransaction and the synchronous writes share one connection', () => {
  let dataSource: DataSource;

  beforeEach(async () => {
    dataSource = new DataSource({ type: 'better-sqlite3', database: ':memory:' });
    await dataSource.initialize();
    await dataSource.query('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  });

  afterEach(() => dataSource.destroy());

  const bodies = async () => ((await dataSource.query('SELECT body FROM notes ORDER BY id')) as Array<{ body: string }>).map((row) => row.body);
  const turn = () => new Promise((resolve) => setTimeout(resolve, 20));

  /** A transaction that writes, then waits for `release` before it ends (by `outcome`). */
  function heldTransaction(outcome: 'commit' | 'rollback') {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const done = inTransaction(dataSource, async (manager) => {
      await manager.query("INSERT INTO notes (body) VALUES ('from the transaction')");
      await held;
      if (outcome === 'rollback') throw new Error('refused');
    });
    return { release, done };
  }

  it('an acknowledged write made while a transaction is open survives that transaction rolling back', async () => {
    const transaction = heldTransaction('rollback');
    await turn();
    let acknowledged = false;
    const write = runAtomically(dataSource, [{ sql: 'INSERT INTO notes (body) VALUES (?)', params: ['acknowledged'] }]).then(() => {
      acknowledged = true;
    });
    await turn();
    // It waits for the open transaction instead of becoming a savepoint inside it.
    expect(acknowledged).toBe(false);
    transaction.release();
    await expect(transaction.done).rejects.toThrow('refused');
    await write;
    expect(acknowledged).toBe(true);
    expect(await bodies()).toEqual(['acknowledged']);
  });

  it('the waiting write runs once the transaction commits, after it', async () => {
    const transaction = heldTransaction('commit');
    await turn();
    const write = runAtomically(dataSource, [{ sql: 'INSERT INTO notes (body) VALUES (?)', params: ['after'] }]);
    await turn();
    transaction.release();
    await transaction.done;
    await write;
    expect(await bodies()).toEqual(['from the transaction', 'after']);
  });

  it('transactions take turns: the second starts when the first has ended', async () => {
    const first = heldTransaction('rollback');
    const second = inTransaction(dataSource, (manager) => manager.query("INSERT INTO notes (body) VALUES ('second')"));
    await turn();
    first.release();
    await expect(first.done).rejects.toThrow('refused');
    await second;
    expect(await bodies()).toEqual(['second']);
  });
});
