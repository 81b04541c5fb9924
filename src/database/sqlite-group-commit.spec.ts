import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { CannotExecuteNotConnectedError, DataSource } from 'typeorm';
import { sqliteConnection } from './sqlite-connection';
import { inGroupCommit, MAX_WRITES_PER_COMMIT } from './sqlite-group-commit';

/** A real SQLite file in WAL mode, as the app runs it: commits are what these tests count. */
describe('SQLite group commit', () => {
  let directory: string;
  let dataSource: DataSource;
  let commits: string[];

  beforeEach(async () => {
    directory = mkdtempSync(join(tmpdir(), 'taskflow-group-commit-'));
    dataSource = new DataSource({ type: 'better-sqlite3', database: join(directory, 'test.db'), enableWAL: true });
    await dataSource.initialize();
    await dataSource.query('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL UNIQUE)');
    commits = [];
    const database = sqliteConnection(dataSource);
    const exec = database.exec.bind(database);
    // Records each COMMIT the group commit sends.
    jest.spyOn(database, 'exec').mockImplementation((sql: string) => {
      if (sql === 'COMMIT') commits.push(sql);
      return exec(sql);
    });
  });

  afterEach(async () => {
    jest.restoreAllMocks();
    if (dataSource.isInitialized) await dataSource.destroy();
    rmSync(directory, { recursive: true, force: true });
  });

  const insert = (body: string) => (database: Database) => database.prepare('INSERT INTO notes (body) VALUES (?)').run(body).lastInsertRowid;
  const bodies = async () => ((await dataSource.query('SELECT body FROM notes ORDER BY id')) as Array<{ body: string }>).map((row) => row.body);

  it('writes asked for together share one commit, each answered with its own result', async () => {
    const ids = await Promise.all(['a', 'b', 'c', 'd'].map((body) => inGroupCommit(dataSource, insert(body))));
    expect(ids).toEqual([1, 2, 3, 4]);
    expect(commits).toHaveLength(1);
    expect(await bodies()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('a write that throws is undone alone and gets its error; the others are kept', async () => {
    const results = await Promise.allSettled([
      inGroupCommit(dataSource, insert('first')),
      inGroupCommit(dataSource, (database) => {
        insert('half written')(database);
        throw new Error('refused');
      }),
      inGroupCommit(dataSource, insert('first')),
      inGroupCommit(dataSource, insert('last')),
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toEqual(new Error('refused'));
    expect(String((results[2] as PromiseRejectedResult).reason)).toContain('UNIQUE');
    expect(commits).toHaveLength(1);
    expect(await bodies()).toEqual(['first', 'last']);
  });

  it('answers nothing before the commit: a failed commit fails every write of the batch and keeps none', async () => {
    const database = sqliteConnection(dataSource);
    const exec = (database.exec as jest.Mock).getMockImplementation()!;
    (database.exec as jest.Mock).mockImplementation((sql: string) => {
      if (sql === 'COMMIT') throw new Error('disk I/O error');
      return exec(sql);
    });
    const results = await Promise.allSettled([inGroupCommit(dataSource, insert('a')), inGroupCommit(dataSource, insert('b'))]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect(database.inTransaction).toBe(false);
    (database.exec as jest.Mock).mockImplementation(exec);
    expect(await bodies()).toEqual([]);
  });

  it('a write asked for while a batch commits goes into the next one', async () => {
    let second: Promise<unknown> | undefined;
    await inGroupCommit(dataSource, (database) => {
      second = inGroupCommit(dataSource, insert('next batch'));
      return insert('first batch')(database);
    });
    await second;
    expect(commits).toHaveLength(2);
    expect(await bodies()).toEqual(['first batch', 'next batch']);
  });

  it(`holds at most ${MAX_WRITES_PER_COMMIT} writes per commit`, async () => {
    const count = MAX_WRITES_PER_COMMIT + 1;
    await Promise.all(Array.from({ length: count }, (_, index) => inGroupCommit(dataSource, insert(`note ${index}`))));
    expect(commits).toHaveLength(2);
    expect(await bodies()).toHaveLength(count);
  });

  it('answers a closed data source with TypeORM\'s not-connected error (503)', async () => {
    const pending = inGroupCommit(dataSource, insert('too late'));
    jest.restoreAllMocks();
    await dataSource.destroy();
    await expect(pending).rejects.toThrow(CannotExecuteNotConnectedError);
  });
});
